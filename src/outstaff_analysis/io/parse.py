"""Vectorised parsing of raw string cells into dates and numbers.

Unparseable cells become NaT/NaN; the caller (validation) turns them into reject rows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y")
DATE_EXPECTED = "a date as YYYY-MM-DD or DD.MM.YYYY (optionally with HH:MM[:SS])"
_UTC_OFFSET = re.compile(r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))$")
_NUMBER = re.compile(r"^[+-]?(?:\d[\d.,]*|[.,]\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*$")


def parse_datetimes(cells: pd.Series) -> pd.Series:
    """Parse ISO (``2024-03-05``, ``2024-03-05 14:30:00``, ``2024-03-05T14:30``) or Russian
    (``05.03.2024``, ``05.03.2024 14:30``) dates; impossible dates (``31.02.2024``) give NaT.

    A UTC offset (``+03:00``, ``Z``) is dropped and the wall-clock time kept as written: the package
    works in the firm's local time, and durations between two stamps of one export are unaffected.
    """
    text = cells.fillna("").astype(str).str.strip()
    iso = text.str.match(r"^\d{4}-\d{2}-\d{2}")
    text = text.where(~iso, text.str.replace(_UTC_OFFSET, "", regex=True))
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if iso.any():
        out[iso] = pd.to_datetime(text[iso], format="ISO8601", errors="coerce")
    for fmt in DATE_FORMATS:
        todo = out.isna() & (text != "") & ~iso
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return out


def _separator_roles(values) -> tuple[str | None, str | None]:
    """(thousands, decimal) separators a column uses, judged from its unambiguous cells.

    ``1,234,567`` or ``250,000.50`` show that ``,`` groups thousands; ``3,5``, ``250000,50`` or
    ``1.234,5`` show that ``,`` is the decimal mark (and the same for ``.``).
    """
    thousands = decimal = None
    for value in values:
        for sep, other in ((",", "."), (".", ",")):
            if value.count(sep) > 1 or (sep in value and other in value and value.rfind(sep) < value.rfind(other)):
                thousands = sep
            elif value.count(sep) == 1 and (other in value or not _GROUPED.match(value)):
                decimal = sep
    return thousands, decimal


def _number(text: str, thousands: str | None, decimal: str | None) -> float:
    if not _NUMBER.match(text):
        return np.nan  # "inf", "nan", "1_000" and other spellings Python's float() would take
    if _GROUPED.match(text) and text.count(",") + text.count(".") == 1:
        sep = "," if "," in text else "."
        if thousands != sep and decimal != sep:
            return np.nan  # 250,000: 250 or 250000? the column does not say
        if thousands == sep:
            text = text.replace(sep, "")
    if "," in text and "." in text:
        mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if mark == "," else ",", "").replace(mark, ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")
    else:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return np.nan
    return value if np.isfinite(value) else np.nan


def parse_numbers(cells: pd.Series) -> pd.Series:
    """Parse numbers written with a decimal comma or point and optional thousands separators
    (``250 000,50``, ``250,000.50``, ``1.234,5``, ``1,234,567``); unparseable cells give NaN, and so
    do ``inf``, ``nan``, ``1_000`` and results too large to be finite.

    A lone group like ``250,000`` could be 250 or 250000: the other cells of the column decide (a
    column that also writes ``1,234,567`` groups thousands; one that writes ``3,5`` uses a decimal
    comma).  When nothing decides, the cell is NaN and validation rejects it, rather than reading a
    rate a thousand times too small.
    """
    text = cells.fillna("").astype(str).str.strip()
    compact = text.str.replace(r"[\s\u00a0']", "", regex=True)
    uniques = compact[compact != ""].unique()
    thousands, decimal = _separator_roles(uniques)
    lookup = {value: _number(value, thousands, decimal) for value in uniques}
    return compact.map(lookup).astype(float)
