"""Is a rendered report current?  Its inputs' hash against the one kept in its executed notebook.

A report's inputs are the processed tables, the transcripts it reads (a client's own; all of them for
the portfolio), the settings, its template, its parameters, the package and the rendering libraries.
The hash of all that is stored in the executed notebook's metadata (``metadata.outstaff.inputs``) when
the report is written; a rerun skips every report whose HTML and notebook are there with the same
hash, so a changed input re-renders exactly the reports that read it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib
import nbconvert
import papermill

from .fingerprint import digest, file_digest, package_digest

METADATA_KEY = "outstaff"


def report_inputs_key(*, template: str | os.PathLike, parameters: dict, tables: str, transcripts: str,
                      settings: str) -> str:
    """Hash of one report's inputs (``tables``, ``transcripts``, ``settings``: their digests)."""
    return digest("report", file_digest(template), parameters, tables, transcripts, settings, package_digest(),
                  papermill.__version__, nbconvert.__version__, matplotlib.__version__)


def recorded_key(output_html: str | os.PathLike) -> str | None:
    """The inputs hash kept in the executed notebook beside ``output_html`` (None if there is none)."""
    html, executed = Path(output_html), Path(output_html).with_suffix(".ipynb")
    if not (html.is_file() and executed.is_file()):
        return None
    try:
        metadata = json.loads(executed.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return None
    return metadata.get(METADATA_KEY, {}).get("inputs")


def is_current(output_html: str | os.PathLike, key: str) -> bool:
    """Whether the report at ``output_html`` was rendered from inputs hashing to ``key``."""
    return recorded_key(output_html) == key
