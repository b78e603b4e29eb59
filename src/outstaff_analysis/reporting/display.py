"""HTML building blocks for report notebooks: each report cell is one call to one of these.

They return :class:`IPython.display.HTML` objects, so the exported page holds styled, plain-
language text with no code; all wording comes from ``locale/report.yaml``.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from ..i18n import fmt_date, fmt_number, label

STATUS_COLOURS = {"good": "#2e8b57", "watch": "#e0a100", "bad": "#c0392b", "none": "#8c8c8c"}

PAGE_CSS = """
<style>
body, .jp-Notebook {font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;}
.jp-Notebook {max-width: 960px; margin: 0 auto; padding: 0 12px;}
.jp-Cell {padding: 0 !important;}
.jp-OutputArea-output img {max-width: 100%; height: auto;}
.oa-header h1 {font-size: 1.6em; margin: .6em 0 .1em;}
.oa-header p {color: #555; margin: 0 0 1em;}
.oa h2 {font-size: 1.25em; margin: 1.4em 0 .4em; border-bottom: 2px solid #1f5a96; padding-bottom: .2em;}
.oa p.lead {color: #444; margin: .2em 0 .8em;}
.oa-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px;}
.oa-card {border: 1px solid #ddd; border-left: 6px solid var(--c); border-radius: 6px; padding: 8px 10px;}
.oa-card .name {font-size: .85em; color: #555;}
.oa-card .value {font-size: 1.5em; font-weight: 600; margin: .1em 0;}
.oa-card .target {font-size: .8em; color: #666;}
.oa-card .status {font-size: .8em; font-weight: 600; color: var(--c);}
.oa-table {overflow-x: auto;}
.oa-table table {border-collapse: collapse; width: 100%; min-width: 560px; font-size: .9em;}
.oa-table th {text-align: left !important; background: #f3f6fa; padding: 6px;}
.oa-table td {text-align: left !important; padding: 6px; border-bottom: 1px solid #eee; vertical-align: top;}
.oa ul.actions li {margin: .3em 0;}
.oa blockquote {margin: .4em 0; padding: .3em .8em; border-left: 4px solid #ccc; color: #333;}
.oa blockquote.neg {border-color: #c0392b;} .oa blockquote.pos {border-color: #2e8b57;}
.oa .muted {color: #777; font-size: .85em;}
</style>
"""


def page_style() -> HTML:
    """The report's CSS (readable on a phone: cards wrap, tables scroll, images shrink)."""
    return HTML(PAGE_CSS)


def header(title: str, subtitle: str) -> HTML:
    """Report title and a subtitle line."""
    return HTML(f'<div class="oa oa-header"><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></div>')


def section(key: str, lang: str, **fields) -> HTML:
    """A section heading with its one-line explanation (``section_<key>`` and ``lead_<key>`` labels)."""
    lead = label(f"report.lead_{key}", lang, **fields)
    return HTML(f'<div class="oa"><h2>{html.escape(label(f"report.section_{key}", lang))}</h2>'
                f'<p class="lead">{html.escape(lead)}</p></div>')


def note(text: str) -> HTML:
    """A muted remark (for example: no data this quarter)."""
    return HTML(f'<div class="oa"><p class="muted">{html.escape(text)}</p></div>')


def kpi_cards(kpis: pd.DataFrame, lang: str) -> HTML:
    """KPI cards: name, value, target and a coloured status."""
    cards = []
    for row in kpis.itertuples(index=False):
        colour = STATUS_COLOURS[row.status]
        cards.append(
            f'<div class="oa-card" style="--c:{colour}"><div class="name">{html.escape(row.name)}</div>'
            f'<div class="value">{html.escape(row.value_text)}</div>'
            f'<div class="target">{html.escape(row.target_text)}</div>'
            f'<div class="status">{html.escape(label(f"report.status_{row.status}", lang))}</div></div>'
        )
    return HTML(f'<div class="oa"><div class="oa-cards">{"".join(cards)}</div></div>')


def table(frame: pd.DataFrame, columns: dict[str, str], lang: str, *, digits: int = 1) -> HTML:
    """A plain HTML table of ``frame[columns]`` with headers ``columns.values()``; numbers and dates
    are formatted for ``lang``."""
    head = "".join(f"<th>{html.escape(title)}</th>" for title in columns.values())
    body = []
    for _, row in frame[list(columns)].iterrows():
        cells = "".join(f"<td>{html.escape(_cell(value, lang, digits))}</td>" for value in row)
        body.append(f"<tr>{cells}</tr>")
    return HTML(f'<div class="oa oa-table"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}'
                "</tbody></table></div>")


def bullets(items: list[str], *, css_class: str = "actions") -> HTML:
    """A bulleted list."""
    lis = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return HTML(f'<div class="oa"><ul class="{css_class}">{lis}</ul></div>')


def quotes(frame: pd.DataFrame, lang: str) -> HTML:
    """Client quotes grouped by factor, positive and negative, each with speaker and date."""
    blocks = []
    for factor, rows in frame.groupby("factor", sort=False):
        blocks.append(f"<h3>{html.escape(label(f'report.factor_{factor}', lang))}</h3>")
        for row in rows.itertuples(index=False):
            tone = "pos" if row.contribution > 0 else "neg"
            who = f"{row.speaker}, {fmt_date(row.held_at, lang)}"
            blocks.append(f'<blockquote class="{tone}">«{html.escape(row.quote)}»'
                          f'<br><span class="muted">{html.escape(who)}</span></blockquote>')
    return HTML(f'<div class="oa">{"".join(blocks)}</div>')


def _cell(value, lang: str, digits: int) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, pd.Timestamp):
        return fmt_date(value, lang)
    if isinstance(value, float):
        return fmt_number(value, lang, digits=digits)
    return str(value)
