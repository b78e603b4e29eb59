"""Write tables meant to be opened in a spreadsheet without letting a cell run as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, DDE payloads such as
``=cmd|' /C calc'!A0``).  Following the OWASP guidance on CSV injection, every such text cell of a
file written for people (rejects, exports) is prefixed with a single quote, which makes it text;
plain numbers such as ``-5`` are left as they are.  Only the written copy is changed: the stored
Parquet data keeps the original values.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from .atomic import atomic_path

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""First characters that make a spreadsheet evaluate a cell (OWASP, plus full-width forms)."""

_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def neutralise_cell(value):
    """``value`` made safe for a spreadsheet: text starting with a formula trigger gets a ``'`` prefix.

    Non-text values and plain signed numbers (``-5``, ``+7``, ``-1,5``) are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised (see :func:`neutralise_cell`)."""
    safe = frame.rename(columns=neutralise_cell)
    for column in safe.columns[safe.dtypes.eq(object).to_numpy() | safe.dtypes.eq("string").to_numpy()]:
        safe[column] = safe[column].map(neutralise_cell)
    return safe


def write_spreadsheet(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``frame`` for people to open: ``.csv`` (UTF-8 with BOM, so Excel reads Cyrillic) or ``.xlsx``.

    Cells are neutralised (see :func:`spreadsheet_safe`) and the file is replaced atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is not written.
    path : path-like
        Target file; the suffix picks the format.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        If the suffix is neither ``.csv`` nor ``.xlsx``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"The suffix of `path` must be '.csv' or '.xlsx', but {path.name!r} was passed")
    safe = spreadsheet_safe(frame)
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        else:
            safe.to_excel(tmp, index=False, engine="openpyxl")
    return path


__all__ = ["FORMULA_TRIGGERS", "neutralise_cell", "spreadsheet_safe", "write_spreadsheet"]
