"""The index page of a quarter's reports: who needs attention first, at a glance.

The page is rebuilt from what is on disk in ``<out>/<quarter>/``, never from one run's jobs alone,
so rendering a single client (``outstaff report``) updates that client's row and keeps the others:

- each executed report notebook (kept beside its HTML) carries its record
  (:func:`.display.record`): the client's headline KPIs with their statuses and changes, and, for
  the portfolio report, every client's churn-risk level;
- each failed report keeps its partial notebook, ``<name>.failed.ipynb`` (:mod:`.outputs`; removed
  when the report next renders), with the failing cell's index, its source line and the error in
  its metadata; the index links it.

Clients are sorted with those that need attention first: failed reports, then by risk level, then
by the number of KPIs that miss their target and those too uncertain to judge.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from pathlib import Path

import nbformat

from ..i18n import label
from ..io.atomic import write_text_atomic
from .export import report_css, report_record
from .kpi_text import STATUS_COLOURS, fmt_kpi
from .outputs import FAILED_SUFFIX, clear_failure, failed_notebook

FAILURE_KEY = "outstaff_failure"
RISK_ORDER = {"high": 0, "medium": 1, "low": 2}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def describe_failure(exc: BaseException) -> dict:
    """What failed in a report, from the exception its rendering raised.

    Returns
    -------
    dict
        ``error`` (the exception's type and message, one line), and when a notebook cell failed,
        ``cell`` (its 0-based index in the template), ``line_no`` (1-based, in the cell) and
        ``line`` (that source line).
    """
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    out = {"error": f"{ename}: {evalue}".strip().splitlines()[0][:500] if evalue else ename}
    if getattr(exc, "cell_index", None) is not None:
        source = (getattr(exc, "source", "") or "").splitlines()
        found = _CELL_LINE.findall(_ANSI.sub("", "\n".join(getattr(exc, "traceback", []) or [])))
        line_no = int(found[0]) if found else 1
        out.update(cell=int(exc.cell_index), line_no=line_no,
                   line=source[line_no - 1].strip() if 0 < line_no <= len(source) else "")
    return out


def record_failure(output: Path, name: str, failure: dict | None) -> None:
    """Write ``failure`` (:func:`describe_failure`) into the failed report's kept notebook, or clear it (None).

    The partial notebook a failed run keeps (``<name>.failed.ipynb``, :mod:`.outputs`) carries the
    failure in its metadata (``outstaff_failure``); when the kernel never ran a cell there is no
    partial notebook, and an empty one is written to carry it.
    """
    path = failed_notebook(Path(output))
    if failure is None:
        clear_failure(Path(output))
        return
    notebook = read_written_notebook(path) if path.is_file() else nbformat.v4.new_notebook()
    notebook.metadata[FAILURE_KEY] = {"name": name, **failure}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, nbformat.writes(notebook))


def read_written_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook a report run wrote, read as plain JSON.

    ``nbformat.read`` validates the whole document against the notebook schema, every chart output
    included: about 40 ms per report, 1.3 s of a one-report run's index page over a quarter of
    reports.  These files were valid when written; only their metadata and record are read here.
    """
    return nbformat.from_dict(json.loads(path.read_text(encoding="utf-8")))


def _records(folder: Path) -> tuple[list[tuple[Path, dict]], dict, list[Path]]:
    clients, risk, others = [], {}, []
    for notebook_path in sorted(folder.rglob("*.ipynb")):
        html_path = notebook_path.with_suffix(".html")
        if not html_path.is_file():
            continue
        record = report_record(read_written_notebook(notebook_path))
        if record.get("kind") == "client":
            clients.append((html_path, record))
        elif record.get("kind") == "portfolio":
            risk = record.get("risk", {})
        elif html_path.name != "portfolio.html":
            others.append(html_path)
    return clients, risk, others


def recorded_failure(output: Path) -> dict | None:
    """The failure recorded for the report meant for ``output`` (:func:`record_failure`), or None."""
    path = failed_notebook(Path(output))
    return read_written_notebook(path).metadata.get(FAILURE_KEY) if path.is_file() else None


def _failures(folder: Path) -> list[dict]:
    failures = []
    for path in sorted(folder.rglob(f"*{FAILED_SUFFIX}")):
        failure = read_written_notebook(path).metadata.get(FAILURE_KEY) or {
            "name": path.name[: -len(FAILED_SUFFIX)], "error": "—"}
        failures.append({**failure, "notebook": os.path.relpath(path, folder)})
    return failures


def _kpi_chips(kpis: list[dict], lang: str) -> str:
    chips = []
    for k in kpis:
        arrow = k.get("change_arrow") or ""
        strong = " real" if k.get("change_significant") else ""
        arrow_html = f' <span class="arrow{strong}">{arrow}</span>' if arrow else ""
        name = k["names"][lang]
        value = fmt_kpi(k["kpi"], math.nan if k["value"] is None else k["value"], lang)
        status = label(f"kpi.status_{k['status']}", lang)
        chips.append(f'<span class="chip status-{k["status"]}" style="--c:{STATUS_COLOURS[k["status"]]}" '
                     f'title="{html.escape(status)}">'
                     f'<span class="k">{html.escape(name)}</span> <b>{html.escape(value)}</b>'
                     f"{arrow_html}</span>")
    return "".join(chips)


def _client_rows(clients: list[tuple[Path, dict]], risk: dict, index: Path, lang: str) -> list[tuple[tuple, str]]:
    by_client: dict[str, list[tuple[Path, dict]]] = {}
    for path, record in clients:
        by_client.setdefault(record["client_id"], []).append((path, record))
    rows = []
    for client_id, reports in by_client.items():
        reports.sort(key=lambda pr: (pr[1].get("lang") != lang, pr[0].name))
        main = reports[0][1]
        name = main["client_names"][lang]
        statuses = [k["status"] for k in main["kpis"]]
        level = risk.get(client_id, {}).get("risk")
        key = (RISK_ORDER.get(level, 3), -statuses.count("bad"), -statuses.count("unclear"), name)
        links = " ".join(f'<a href="{html.escape(os.path.relpath(p, index.parent))}" hreflang="{r["lang"]}">'
                         f'{html.escape(r["lang"].upper())}</a>' for p, r in reports)
        risk_text = label(f"report.risk_{level}", lang) if level else "—"
        rows.append((key, (f'<tr class="risk-{level or "unknown"}"><th scope="row">'
                          f'{html.escape(name)} <span class="muted">{html.escape(client_id)}</span>'
                          f'<div class="links">{links}</div></th>'
                          f'<td class="risk">{html.escape(risk_text)}</td>'
                          f'<td><div class="chips">{_kpi_chips(main["kpis"], lang)}</div></td></tr>')))
    return rows


def _failure_rows(failures: list[dict], lang: str) -> str:
    items = []
    for f in failures:
        where = label("report.index_failed_cell", lang, cell=f["cell"], line_no=f["line_no"]) if "cell" in f else ""
        line = f'<code>{html.escape(f.get("line", ""))}</code>' if f.get("line") else ""
        partial = (f' (<a href="{html.escape(f["notebook"])}">{html.escape(Path(f["notebook"]).name)}</a>)'
                   if f.get("notebook") else "")
        items.append(f'<li><b>{html.escape(f["name"])}</b>{partial}: {html.escape(where)} {line}'
                     f'<div class="err">{html.escape(f["error"])}</div></li>')
    return "".join(items)


def write_index(folder: Path, *, lang: str = "ru", quarter: str = "") -> Path:
    """Write ``<folder>/index.html`` from the reports and failures found under ``folder``.

    Parameters
    ----------
    folder : Path
        A quarter's output folder (``<out>/<quarter>``).
    lang : {"ru", "en"}
        Language of the page.
    quarter : str
        Shown in the title.

    Returns
    -------
    Path
        The index page.
    """
    folder = Path(folder)
    index = folder / "index.html"
    clients, risk, others = _records(folder)
    failures = _failures(folder)
    rows = [row for _, row in sorted(_client_rows(clients, risk, index, lang), key=lambda kr: kr[0])]
    rows += [f'<tr><th scope="row"><a href="{html.escape(os.path.relpath(p, folder))}">{html.escape(p.stem)}</a></th>'
             "<td>—</td><td></td></tr>" for p in others]  # reports that carry no record: a link
    title = label("report.index_title", lang) + (f", {quarter}" if quarter else "")
    portfolio = folder / "portfolio.html"
    portfolio_link = (f'<p><a href="portfolio.html">{html.escape(label("report.index_portfolio", lang))}</a></p>'
                      if portfolio.is_file() else "")
    failed = (f'<section class="failed"><h2>{html.escape(label("report.index_failures", lang))}</h2>'
              f'<ul>{_failure_rows(failures, lang)}</ul></section>' if failures else "")
    head = "".join(f'<th scope="col">{html.escape(label(f"report.index_col_{c}", lang))}</th>'
                   for c in ("client", "risk", "kpis"))
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{html.escape(title)}</title>
<style>{report_css()}
.chips {{display: flex; flex-wrap: wrap; gap: 4px;}}
.chip {{border: 1px solid #d6d6d6; border-left: 5px solid var(--c); border-radius: 4px; padding: 1px 6px;
        font-size: .8em; white-space: normal;}}
.chip .k {{color: #4a4a4a;}} .chip .arrow.real {{font-weight: 700;}}
.links a {{margin-right: .5em;}} .err {{color: #b3261e;}} td.risk {{white-space: nowrap;}}
tr.risk-high td.risk {{color: #b3261e; font-weight: 600;}} tr.risk-medium td.risk {{color: #a36a00; font-weight: 600;}}
.oa-scroll th[scope=row] {{white-space: normal; background: none; min-width: 9em;}}
@media (max-width: 600px) {{
  .oa-index table, .oa-index tbody, .oa-index tr, .oa-index th, .oa-index td {{display: block; max-width: none;}}
  .oa-index thead {{display: none;}}
  .oa-index tr {{border-top: 1px solid #d6d6d6; padding: 4px 0;}}
  .oa-index td {{border: 0;}}
}}
</style></head><body><main class="oa-page">
<header class="oa oa-header"><h1>{html.escape(title)}</h1>
<p>{html.escape(label("report.index_lead", lang))}</p></header>
<div class="oa oa-index">{failed}{portfolio_link}
<div class="oa-scroll" tabindex="0" role="region" aria-label="{html.escape(label("report.scroll_table", lang))}">
<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></div>
</main></body></html>"""
    folder.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(index, page)
