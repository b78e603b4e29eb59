"""Rendered reports read as their reader would: the page's numbers are the library's, only this
client appears, English is English, nothing is loaded from anywhere, and the layout holds in a
real browser (headless Debian chromium through Playwright) on a phone and a laptop.

One batch renders, once for the module: two clients named "Вектор" and "Вектор 2" (one name
inside the other), the first also in its second language, the portfolio and the index.
"""

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from outstaff_analysis.i18n import in_language
from outstaff_analysis.kpis import client_kpis
from outstaff_analysis.reporting.batch import client_languages, clients_in_quarter, render_quarter
from outstaff_analysis.reporting.inputs import load_inputs

QUARTER = "2024Q4"
CHROMIUM = Path("/usr/bin/chromium")
NAMES = ("Вектор", "Вектор 2")
CYRILLIC = re.compile("[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def firm(demo_data_dir, demo_firm, tmp_path_factory):
    """A copy of the demo data where the unhappy client is "Вектор" and an English-speaking one "Вектор 2"."""
    data = tmp_path_factory.mktemp("twins")
    shutil.copytree(demo_data_dir / "processed", data / "processed")
    (data / "raw").mkdir()
    os.symlink(demo_data_dir / "raw" / "transcripts", data / "raw" / "transcripts")
    for extra in ("settings.yaml",):
        if (demo_data_dir / extra).is_file():
            shutil.copy(demo_data_dir / extra, data / extra)
    tables = {name: pd.read_parquet(data / "processed" / f"{name}.parquet") for name in ("clients", "interviews",
                                                                                             "placements", "requests")}
    first = demo_firm.truth["special_clients"]["unhappy_service"]
    languages = client_languages(tables, QUARTER)
    english = [c for c in clients_in_quarter(tables, QUARTER) if languages[c] == "en" and c != first]
    second = english[0]
    clients = tables["clients"]
    clients.loc[clients["client_id"] == first, "client_name"] = NAMES[0]
    clients.loc[clients["client_id"] == second, "client_name"] = NAMES[1]
    clients.to_parquet(data / "processed" / "clients.parquet", index=False)
    return {"data": data, "ids": (first, second), "clients": clients, "languages": languages}


@pytest.fixture(scope="module")
def rendered(firm, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    first, second = firm["ids"]
    result = render_quarter(firm["data"], QUARTER, out_dir=out, client_ids=[first, second], both_languages=[first],
                            workers=2, show_progress=False)
    assert result.failures == ()
    folder = out / QUARTER
    other = "en" if firm["languages"][first] == "ru" else "ru"
    return {
        "folder": folder,
        "pages": {
            (first, firm["languages"][first]): folder / "clients" / f"{first}.html",
            (first, other): folder / "clients" / f"{first}.{other}.html",
            (second, "en"): folder / "clients" / f"{second}.html",
        },
    }


def _cards(page: str) -> dict:
    """KPI code -> (value, target, status) of each card, from its data- attributes (in any order)."""
    cards = {}
    for tag in re.findall(r'<div class="oa-card [^>]*>', page):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        cards[attrs["data-kpi"]] = (float(attrs["data-value"]), float(attrs["data-target"]), attrs["data-status"])
    return cards


def test_kpis_on_the_page_are_the_librarys(firm, rendered):
    for (client_id, _), path in rendered["pages"].items():
        # loaded as the report loads it: CSI scores depend on which interviews are scored together
        inputs = load_inputs(firm["data"], as_of=QUARTER, client_ids=[client_id])
        expected = client_kpis(inputs.tables, inputs.csi.client_quarters, client_id, QUARTER,
                               settings=inputs.settings).set_index("kpi")
        cards = _cards(path.read_text(encoding="utf-8"))
        assert list(cards) == list(expected.index)
        for kpi, (value, target, status) in cards.items():
            row = expected.loc[kpi]
            assert value == pytest.approx(row["value"], abs=1e-12, nan_ok=True)
            assert target == row["target"]
            assert status == row["status"]


def test_no_other_clients_id_or_name_on_a_client_page(firm, rendered):
    clients = firm["clients"].set_index("client_id")["client_name"]
    for (client_id, lang), path in rendered["pages"].items():
        page = path.read_text(encoding="utf-8")
        own = in_language(clients[client_id], lang)
        assert own in page
        rest = page.replace(own, "")
        for other, name in clients.items():
            if other == client_id:
                continue
            assert re.search(rf"\b{other}\b", page) is None, (client_id, other)
            for form in {name, in_language(name, "en")}:
                assert form not in rest, (client_id, lang, form)


def test_pages_load_nothing_and_render_no_math(rendered):
    pages = [*rendered["pages"].values(), rendered["folder"] / "portfolio.html", rendered["folder"] / "index.html"]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        for forbidden in ("<script", "http://", "https://", "//cdn", "@import", "url(", "<link", "MathJax",
                          "require.js", "mermaid", "@font-face"):
            assert forbidden not in page, (path.name, forbidden)
        assert "Content-Security-Policy" in page


def test_each_page_declares_its_language_and_english_is_english_throughout(rendered):
    for (_, lang), path in rendered["pages"].items():
        page = path.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        if lang == "en":
            # quotes keep the words the client said: marked with their own language, or in the page's quotes
            text = re.sub(r'<span lang="ru">.*?</span>', "", page, flags=re.DOTALL)
            text = re.sub(r"<[^>]+>", " ", text)
            text = re.sub("\u201c[^\u201d]*\u201d", "", text)
            assert CYRILLIC.findall(text) == []
            assert "«" not in text and "»" not in text


def test_index_lists_every_client_with_its_kpis_and_risk_attention_first(firm, rendered):
    index = (rendered["folder"] / "index.html").read_text(encoding="utf-8")
    first, second = firm["ids"]
    assert index.count('class="chip status-') == 14
    # one language throughout, even for a client whose report is English
    assert '<html lang="ru">' in index and index.count("Одобрений на одно показанное резюме") == 2
    assert "Approvals per CV shown" not in index and NAMES[1] in index
    assert 'href="portfolio.html"' in index
    assert f'href="clients/{first}.html"' in index and f'href="clients/{second}.html"' in index
    assert re.search(rf'href="clients/{first}\.(en|ru)\.html"', index)
    rows = re.findall(r'<tr class="risk-(\w+)"><th scope="row">(.*?)<span class="muted">(C\d+)</span>', index)
    assert {r[2] for r in rows} == {first, second}
    order = {"high": 0, "medium": 1, "low": 2, "unknown": 3}
    assert [order[r[0]] for r in rows] == sorted(order[r[0]] for r in rows)


# --- the browser ---------------------------------------------------------------------------------

LAYOUT_CHECK = """
() => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  if (document.scrollingElement.scrollWidth > vw) problems.push(`page scrolls sideways: ${document.scrollingElement.scrollWidth} > ${vw}`);
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.oa-scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) problems.push(`wider than the viewport: ${el.tagName}.${el.className} ${r.left}-${r.right}`);
  }
  for (const row of document.querySelectorAll('tr')) {
    const cells = [...row.children].map(c => c.getBoundingClientRect());
    for (let i = 0; i < cells.length; i++) for (let j = i + 1; j < cells.length; j++) {
      const a = cells[i], b = cells[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 0.5 && h > 0.5) problems.push(`cells overlap in a row: ${row.textContent.slice(0, 40)}`);
    }
    for (const c of row.children) {
      if (c.scrollWidth > c.clientWidth + 1) problems.push(`text runs out of its cell: ${c.textContent.slice(0, 40)}`);
    }
  }
  const fonts = [...document.querySelectorAll('img[data-min-font-pt]')].map(img => {
    const scale = img.getBoundingClientRect().width / Number(img.getAttribute('width'));
    return {alt: img.alt, px: Number(img.dataset.minFontPt) * 96 / 72 * scale};
  });
  const broken = [...document.images].filter(img => !img.complete || img.naturalWidth === 0).map(img => img.alt);
  const sideways = [...document.querySelectorAll('.oa-scroll')].filter(s => s.scrollWidth > s.clientWidth + 1)
    .map(s => `${s.querySelector('th') ? s.querySelector('th').textContent : ''}: ${s.scrollWidth} > ${s.clientWidth}`);
  return {problems, fonts, images: document.images.length, broken, sideways};
}
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail("Debian's chromium is required for the browser test: apt-get install -y chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    """Where the screenshots go: $OUTSTAFF_SCREENSHOTS if set (to look at them), else a temporary folder."""
    folder = Path(os.environ.get("OUTSTAFF_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", [390, 1280])
def test_layout_holds_in_a_real_browser(rendered, browser, screenshots, width):
    pages = {f"{client}-{lang}": path for (client, lang), path in rendered["pages"].items()}
    pages.update(portfolio=rendered["folder"] / "portfolio.html", index=rendered["folder"] / "index.html")
    requests = []
    for name, path in pages.items():
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        found = page.evaluate(LAYOUT_CHECK)
        page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
        page.close()
        assert found["problems"] == [], (name, width)
        assert found["broken"] == [], (name, width)  # every chart decodes (SVG under the page's CSP)
        if name != "index":
            assert found["fonts"] and len(found["fonts"]) == found["images"], name
        if width == 1280:  # on a desktop every table fits the page: none hides a column behind a scroll
            assert found["sideways"] == [], (name, found["sideways"])
        if width == 390:
            small = [f for f in found["fonts"] if f["px"] < 9]
            assert small == [], (name, small)
    assert all(url.startswith("file://") for url in requests)
