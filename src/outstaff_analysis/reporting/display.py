"""HTML building blocks for report notebooks: each report cell is one call to one of these.

They return :class:`IPython.display.HTML` objects, so the exported page holds styled, plain-
language text with no code; all wording comes from the locale files.  The page's stylesheet is
the export template's (``reporting/templates/outstaff/report.css``), not repeated in each cell.
Wide tables sit in a ``div.oa-scroll`` (a marked, keyboard-focusable scroll container with a
visible cue), so a phone scrolls the table, never the page.
"""

from __future__ import annotations

import html
import io
import re
import textwrap

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from matplotlib.text import Text

from ..csi.language import detect_language
from ..i18n import fmt_date, fmt_number, label, quoted
from .kpi_text import STATUS_COLOURS

FIGURE_WIDTH_IN = 5.0
"""Width of a report chart: on a 390 px phone it shrinks by about 0.75, so 9 pt text stays 9 CSS px."""
CSS_PX_PER_IN = 96
SVG_PT_PER_IN = 72
"""Matplotlib writes SVG sizes in points."""
SVG_RC = {"svg.fonttype": "path", "svg.hashsalt": "outstaff", "svg.image_inline": True}
"""Text drawn as outlines (the chart looks the same without its fonts on the reader's machine), and
element ids from a fixed salt (the same chart gives the same bytes in every run)."""
LONG_TEXT = 60
"""Characters from which a table column is a text to read (it gets a wider column, not a tall row)."""
LONG_CLASS = ' class="oa-long"'
CELL_MIN_EM = {False: 6.0, True: 18.0}
"""Smallest width of a table column, and of a column of long texts, in ems of the table's text (report.css)."""
CELL_PADDING_EM = 1.1
CHAR_EM = 0.6
"""Average width of a character in ems (an unbroken word sets its column's smallest width)."""
PAGE_WIDTH_EM = 64
"""The page's text column (926 CSS px) in ems of a table's text (0.9 x 16 px)."""
WRAP_YLABEL = 30
"""Characters per line of a chart's y label."""
TITLE_CHAR_EM = 0.62
"""Average width of a bold title character, in ems (to wrap a title to its axes' width)."""
REPORT_MIMETYPE = "application/vnd.outstaff.report+json"
"""Mimetype of a report's machine-readable record (read by the index page, never shown)."""


def header(title: str, subtitle: str) -> HTML:
    """Report title and a subtitle line."""
    return HTML(f'<header class="oa oa-header"><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>')


def section(key: str, lang: str, *, domain: str = "report", **fields) -> HTML:
    """A section heading with its one-line explanation (``section_<key>`` and ``lead_<key>`` labels)."""
    lead = label(f"{domain}.lead_{key}", lang, **fields)
    return HTML(f'<div class="oa"><h2>{html.escape(label(f"{domain}.section_{key}", lang))}</h2>'
                f'<p class="lead">{html.escape(lead)}</p></div>')


def heading(title: str, lead: str = "") -> HTML:
    """A section heading with an optional lead line, both given as text."""
    lead_html = f'<p class="lead">{html.escape(lead)}</p>' if lead else ""
    return HTML(f'<div class="oa"><h2>{html.escape(title)}</h2>{lead_html}</div>')


def note(text: str) -> HTML:
    """A muted remark (for example: no data this quarter)."""
    return HTML(f'<div class="oa"><p class="muted">{html.escape(text)}</p></div>')


def paragraphs(sentences: list[str], *, css_class: str = "summary") -> HTML:
    """Plain sentences as one paragraph block."""
    text = " ".join(html.escape(s) for s in sentences)
    return HTML(f'<div class="oa"><p class="{css_class}">{text}</p></div>')


def kpi_cards(kpis: pd.DataFrame) -> HTML:
    """KPI cards: name, value and interval, target and firm average, direction, change and a coloured status.

    ``kpis`` holds the text columns of :func:`~.kpi_text.kpi_texts`; each card carries its KPI code
    and numbers in ``data-`` attributes, so tests can hold the page to the library's numbers.
    """
    cards = []
    for r in kpis.itertuples(index=False):
        interval = f'<div class="interval">{html.escape(r.interval_text)}</div>' if r.interval_text else ""
        change_class = "change real" if r.change_significant else "change"
        cards.append(
            f'<div class="oa-card status-{r.status}" style="--c:{r.colour}" data-kpi="{r.kpi}" '
            f'data-value="{float(r.value)!r}" data-target="{float(r.target)!r}" data-status="{r.status}">'
            f'<div class="name">{html.escape(r.name)}</div>'
            f'<div class="value">{html.escape(r.value_text)}</div>{interval}'
            f'<div class="status">{html.escape(r.status_text)}</div>'
            f'<div class="target">{html.escape(r.target_text)}; {html.escape(r.direction_text)}</div>'
            f'<div class="{change_class}">{html.escape(r.change_text)}</div></div>'
        )
    return HTML(f'<div class="oa"><div class="oa-cards">{"".join(cards)}</div></div>')


def table(frame: pd.DataFrame, columns: dict[str, str], lang: str, *, digits: int = 1,
          status_column: str | None = None) -> HTML:
    """A plain HTML table of ``frame[columns]`` with headers ``columns.values()`` in a marked scroll container.

    Numbers and dates are formatted for ``lang``; ``status_column`` (a column of ``good``/``bad``/
    ``unclear``/``none`` codes, not shown) colours each row's left edge.  A column of long texts
    (:data:`LONG_TEXT` characters or more) is marked ``oa-long`` and kept wide enough to read.
    """
    long = {c for c in columns if max((len(v) for v in frame[c] if isinstance(v, str)), default=0) >= LONG_TEXT}
    head = "".join(f'<th scope="col"{LONG_CLASS if c in long else ""}>{html.escape(title)}</th>'
                   for c, title in columns.items())
    texts = {c: [_cell(value, lang, digits) for value in frame[c]] for c in columns}
    body = []
    for i, status in enumerate(frame[status_column] if status_column else [None] * len(frame)):
        cells = "".join(f"<td>{html.escape(texts[c][i])}</td>" for c in columns)
        style = f' class="status-{status}" style="--c:{STATUS_COLOURS[status]}"' if status_column else ""
        body.append(f"<tr{style}>{cells}</tr>")
    wide = " oa-wide" if _width_em(columns, texts, long) > PAGE_WIDTH_EM else ""
    return HTML(f'<div class="oa"><div class="oa-scroll{wide}" tabindex="0" role="region" '
                f'aria-label="{html.escape(label("report.scroll_table", lang))}"><table><thead><tr>{head}</tr>'
                f'</thead><tbody>{"".join(body)}</tbody></table></div></div>')


def _width_em(columns: dict[str, str], texts: dict[str, list[str]], long: set) -> float:
    """Estimated smallest width of a table, in ems: each column as wide as its longest unbroken word,
    at least its CSS minimum.  A table wider than the page's text column is marked ``oa-wide``: on a
    wide screen it takes the screen's width instead of hiding its last columns behind a scroll."""
    total = 0.0
    for c, title in columns.items():
        longest = max((len(word) for text in [title, *texts[c]] for word in text.split()), default=0)
        total += max(CELL_MIN_EM[c in long], longest * CHAR_EM) + CELL_PADDING_EM
    return total


def bullets(items: list[str], *, css_class: str = "actions") -> HTML:
    """A bulleted list."""
    lis = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return HTML(f'<div class="oa"><ul class="{css_class}">{lis}</ul></div>')


def quotes(frame: pd.DataFrame, lang: str, *, speakers: dict | None = None) -> HTML:
    """Client quotes grouped by factor, positive and negative, each with speaker and date.

    Quotes keep the words and language they were said in (marked with ``lang`` on the element) in
    the typographic quotes of the report's language; ``speakers`` renames speakers for the report.
    """
    blocks = []
    speakers = speakers or {}
    for factor, rows in frame.groupby("factor", sort=False):
        blocks.append(f"<h3>{html.escape(label(f'report.factor_{factor}', lang))}</h3>")
        for row in rows.itertuples(index=False):
            tone = "pos" if row.contribution > 0 else "neg"
            who = f"{speakers.get(row.speaker, row.speaker)}, {fmt_date(row.held_at, lang)}"
            said_in = detect_language(row.quote, default=lang)
            blocks.append(f'<blockquote class="{tone}"><span lang="{said_in}">{html.escape(quoted(row.quote, lang))}</span>'
                          f'<br><span class="muted">{html.escape(who)}</span></blockquote>')
    return HTML(f'<div class="oa">{"".join(blocks)}</div>')


def definitions(frame: pd.DataFrame, *, as_of, window_start, lang: str) -> HTML:
    """The definitions appendix: heading, as-of date and data window, and one row per figure."""
    window = fmt_date(window_start, lang) if window_start is not None else "—"
    lead = label("definitions.lead", lang, as_of=fmt_date(as_of, lang), window=window)
    columns = {c: label(f"definitions.col_{c}", lang) for c in ("name", "meaning", "unit", "period", "target")}
    body = table(frame, columns, lang).data
    return HTML(f'<section class="oa oa-definitions">{heading(label("definitions.section", lang), lead).data}'
                f"{body}</section>")


def show_figure(fig=None, *, width_in: float = FIGURE_WIDTH_IN) -> None:
    """Display a chart sized for the report and close it.

    The figure is set ``width_in`` inches wide (its height scaled with it) and embedded as SVG
    (vector: sharp at any zoom on any screen, and written in about half the time of a PNG at twice
    the screen's resolution); its CSS size, the smallest font it uses (in points) and its titles
    (as ``alt`` text) go into the output's metadata, where the export template writes them on the
    ``<img>`` (the browser test checks that no chart text is smaller than 9 CSS px on a phone).
    """
    fig = fig or plt.gcf()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    # laid out at the resolution SVG is written at: text is measured once, not once per resolution
    fig.set_dpi(SVG_PT_PER_IN)
    width, height = fig.get_size_inches()
    # narrower, but not as much lower: what hangs under the axes (legends, at-risk rows) keeps its height
    fig.set_size_inches(width_in, height * (0.5 + 0.5 * width_in / width))
    for ax in fig.axes:  # long axis labels wrap instead of widening the image
        ax.set_ylabel(textwrap.fill(ax.get_ylabel(), WRAP_YLABEL))
    fig.tight_layout()  # labels, legends and tables around the axes fit in the width
    # tight_layout leaves a placeholder layout engine, which makes savefig draw the whole figure once
    # more before drawing it (to let a live engine run): the layout is done, so none is kept
    fig.set_layout_engine(None)
    for ax in fig.axes:  # a title wider than its axes would stick out of the figure: wrap it to the axes
        title = ax.title
        fits = ax.get_position().width * width_in * 72 / (title.get_fontsize() * TITLE_CHAR_EM)
        title.set_text(textwrap.fill(title.get_text().replace("\n", " "), max(int(fits), 12)))
    buffer = io.StringIO()
    # the tight bounding box takes in a title that grew a line, without a second layout pass; it is
    # measured with the renderer tight_layout just used, whose text sizes are cached, so the SVG
    # renderer measures every text once (``bbox_inches="tight"`` would measure it twice more)
    extent = fig.get_tightbbox(fig.canvas.get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(buffer, format="svg", bbox_inches=extent, metadata={"Date": None})
    svg = buffer.getvalue()
    plt.close(fig)
    titles = [ax.get_title().replace("\n", " ") for ax in fig.axes if ax.get_title()]
    display({"image/svg+xml": svg}, raw=True, metadata={
        "image/svg+xml": svg_css_size(svg),
        "min_font_pt": min((t.get_fontsize() for t in texts), default=None),
        "alt": "; ".join(titles),
    })


def svg_css_size(svg: str) -> dict:
    """``width`` and ``height`` in CSS pixels of a matplotlib SVG (written in points).

    Examples
    --------
    >>> svg_css_size('<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="360pt" height="216pt" viewBox="0 0 360 216">')
    {'width': 480, 'height': 288}
    """
    root = re.search(r"<svg\b[^>]*>", svg).group(0)
    size = {name: float(re.search(rf'\b{name}="([0-9.]+)pt"', root).group(1)) for name in ("width", "height")}
    return {name: round(points * CSS_PX_PER_IN / SVG_PT_PER_IN) for name, points in size.items()}


def record(data: dict) -> dict:
    """A display bundle carrying ``data`` as the report's machine-readable record (not shown on the page)."""
    return {REPORT_MIMETYPE: data}


def _cell(value, lang: str, digits: int) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return "—"
    if isinstance(value, pd.Timestamp):
        return fmt_date(value, lang)
    if isinstance(value, float):
        return fmt_number(value, lang, digits=digits)
    return str(value)
