"""The package's own export template: outputs only, nothing loaded, no math, the report's language."""

import base64
from pathlib import Path

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from outstaff_analysis import reporting
from outstaff_analysis.reporting.display import REPORT_MIMETYPE, table
from outstaff_analysis.reporting.export import notebook_to_html


def _executed(lang="en"):
    html_out = new_output("display_data", data={"text/html": "<p>The quote cost $5 and then $10.</p>",
                                                "text/plain": "<HTML>"})
    record = new_output("display_data", data={REPORT_MIMETYPE: {"kind": "client", "lang": lang}})
    png = new_output("display_data", data={"image/png": "iVBORw0KGgo="},
                     metadata={"image/png": {"width": 480, "height": 300}, "min_font_pt": 9, "alt": "SLA"})
    return new_notebook(cells=[new_code_cell("SECRET_CODE = 1", outputs=[html_out, record, png]),
                               new_markdown_cell("Between $a$ and $b$")])


def test_export_loads_nothing_renders_no_math_and_hides_code():
    page = notebook_to_html(_executed(), title="T & Co")
    for forbidden in ("<script", "http://", "https://", "<link", "MathJax", "require", "mermaid", "@import",
                      "url(", "SECRET_CODE", "jp-", "REPORT_MIMETYPE", "&lt;HTML&gt;"):
        assert forbidden not in page, forbidden
    assert "The quote cost $5 and then $10." in page
    assert "Between $a$ and $b$" in page
    assert "<title>T &amp; Co</title>" in page
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in page and 'width="480"' in page
    assert 'data-min-font-pt="9"' in page and 'alt="SLA"' in page
    assert "default-src 'none'" in page


def test_svg_charts_are_embedded_as_images_not_markup():
    # inline SVG would be part of the page (its scripts and styles live); an <img> of it runs nothing
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="360pt" height="216pt"><script>alert(1)</script></svg>'
    chart = new_output("display_data", data={"image/svg+xml": svg},
                       metadata={"image/svg+xml": {"width": 480, "height": 288}, "min_font_pt": 9, "alt": "CSI"})
    page = notebook_to_html(new_notebook(cells=[new_code_cell("x", outputs=[chart])]), title="T", lang="en")
    encoded = base64.b64encode(svg.encode()).decode()
    assert f'src="data:image/svg+xml;base64,{encoded}"' in page
    assert 'width="480"' in page and 'height="288"' in page and 'alt="CSI"' in page and 'data-min-font-pt="9"' in page
    assert "<svg" not in page and "<script" not in page


def test_show_figure_writes_the_same_svg_bytes_every_time(monkeypatch):
    import matplotlib.pyplot as plt

    from outstaff_analysis.reporting import display as display_module

    shown = []
    monkeypatch.setattr(display_module, "display", lambda data, raw, metadata: shown.append((data, metadata)))
    for _ in range(2):
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.fill_between([0, 1, 2], [0, 1, 0], alpha=0.3)
        ax.set_title("Share still running")
        display_module.show_figure(fig)
    (first, meta), (second, _) = shown
    assert first["image/svg+xml"] == second["image/svg+xml"]  # ids come from a fixed salt, no date
    width, height = meta["image/svg+xml"]["width"], meta["image/svg+xml"]["height"]
    assert 0.8 * display_module.FIGURE_WIDTH_IN * 96 < width <= display_module.FIGURE_WIDTH_IN * 96 + 2
    assert 100 < height < width and meta["alt"] == "Share still running"
    assert "<text" not in first["image/svg+xml"]  # text drawn as outlines: same look without the fonts


def test_page_language_comes_from_the_report():
    assert '<html lang="en">' in notebook_to_html(_executed("en"), title="T")
    assert '<html lang="ru">' in notebook_to_html(_executed("ru"), title="T")
    assert '<html lang="ru">' in notebook_to_html(_executed("en"), title="T", lang="ru")
    assert nbformat.validate(_executed()) is None


def test_a_column_of_long_texts_is_kept_wide_enough_to_read():
    # unbroken headers and a narrow reasons column made the portfolio's rows ten lines tall
    frame = pd.DataFrame({"client": ["A", "B"], "reasons": ["requests fell from 6 to 1 a quarter; team 15 -> 0 "
                                                            "people; SLA missed in 12 of 13 cases", "young account"]})
    page = table(frame, {"client": "Client", "reasons": "Why"}, "en").data
    assert '<th scope="col">Client</th>' in page and '<th scope="col" class="oa-long">Why</th>' in page
    css = (Path(reporting.__file__).parent / "templates" / "outstaff" / "report.css").read_text(encoding="utf-8")
    assert "th.oa-long { min-width: 18em; }" in css and "white-space: nowrap" not in css


def test_a_table_wider_than_the_page_takes_the_screen_width_on_a_desktop():
    # the portfolio's call list (8 columns) hid its reasons behind a scroll on a 1280 px screen
    reasons = "requests fell from 6 to 1 a quarter; team 15 -> 0 people; SLA missed in 12 of 13 cases"
    columns = {"client": "Client", "segment": "Segment", "risk": "Churn risk", "state": "State",
               "change": "Change", "days": "Days in state", "revenue": "Revenue at risk", "reasons": "Why"}
    wide = pd.DataFrame([{"client": "LLC Polusbank", "segment": "enterprise", "risk": "97 %", "state": "at risk",
                          "change": "+88", "days": 92, "revenue": "72.2 mln RUB", "reasons": reasons}])
    assert 'class="oa-scroll oa-wide"' in table(wide, columns, "en").data
    narrow = {"client": "Client", "reasons": "Why"}
    assert 'class="oa-scroll"' in table(wide, narrow, "en").data
    css = (Path(reporting.__file__).parent / "templates" / "outstaff" / "report.css").read_text(encoding="utf-8")
    assert ".oa-scroll.oa-wide { max-width: none;" in css
