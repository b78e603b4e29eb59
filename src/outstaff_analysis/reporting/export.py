"""Export an executed report notebook to one self-contained HTML file with the package's own template.

The template (``reporting/templates/outstaff``) writes the outputs only: no input cells, no
scripts, no external resource of any kind (no require.js, MathJax, mermaid, CDN, web fonts or
linked images: charts are embedded as data URIs), no math rendering (a quote with two dollar
amounts stays text), and a small stylesheet of its own.  A Content-Security-Policy forbids
loading anything, so a mistake fails closed.  ``<html lang>`` is the report's language.
"""

from __future__ import annotations

import base64
import functools
from importlib import resources

import nbformat
from nbconvert import HTMLExporter

from .display import REPORT_MIMETYPE

TEMPLATE = "outstaff"


@functools.lru_cache(maxsize=1)
def _templates_root() -> str:
    return str(resources.files("outstaff_analysis") / "reporting" / "templates")


@functools.lru_cache(maxsize=1)
def report_css() -> str:
    """The reports' stylesheet (also used by the index page)."""
    return (resources.files("outstaff_analysis") / "reporting" / "templates" / TEMPLATE / "report.css").read_text(
        encoding="utf-8")


def report_record(notebook: nbformat.NotebookNode) -> dict:
    """The machine-readable record a report notebook displayed (:func:`.display.record`), or ``{}``."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if REPORT_MIMETYPE in data:
                return dict(data[REPORT_MIMETYPE])
    return {}


@functools.cache
def report_exporter() -> HTMLExporter:
    """The nbconvert exporter of reports: the package's lean template, no code or prompts (built once)."""
    return HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[_templates_root()],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        filters={"base64_text": _base64_text})


def _base64_text(text: str) -> str:
    """Base64 of a text output (an SVG chart) for a data URI."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def notebook_to_html(notebook: nbformat.NotebookNode, *, title: str, lang: str | None = None) -> str:
    """HTML of an executed report notebook.

    Parameters
    ----------
    notebook : NotebookNode
        The executed notebook.
    title : str
        Page title.
    lang : {"ru", "en"}, optional
        Language of the page; by default the language in the report's record (see
        :func:`report_record`), else Russian.

    Returns
    -------
    str
    """
    if lang not in ("ru", "en"):
        lang = report_record(notebook).get("lang") or "ru"
    body, _ = report_exporter().from_notebook_node(
        notebook, resources={"report_lang": lang, "report_title": title, "report_css": report_css()})
    return body
