"""Vectorised parsing of raw string cells into dates and numbers.

Unparseable cells become NaT/NaN; the caller (validation) turns them into reject rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y")
DATE_EXPECTED = "a date as YYYY-MM-DD or DD.MM.YYYY (optionally with HH:MM[:SS])"


def parse_datetimes(cells: pd.Series) -> pd.Series:
    """Parse ISO (``2024-03-05``, ``2024-03-05 14:30:00``, ``2024-03-05T14:30``) or Russian
    (``05.03.2024``, ``05.03.2024 14:30``) dates; impossible dates (``31.02.2024``) give NaT."""
    text = cells.fillna("").astype(str).str.strip()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    iso = text.str.match(r"^\d{4}-\d{2}-\d{2}")
    if iso.any():
        out[iso] = pd.to_datetime(text[iso], format="ISO8601", errors="coerce").astype("datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = out.isna() & (text != "") & ~iso
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return out


def _number(text: str) -> float:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("'", "")
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return np.nan


def parse_numbers(cells: pd.Series) -> pd.Series:
    """Parse numbers written with a decimal comma or point and optional thousands separators
    (``250 000,50``, ``250,000.50``, ``1.234,5``); unparseable cells give NaN."""
    text = cells.fillna("").astype(str).str.strip()
    uniques = text[text != ""].unique()
    lookup = {value: _number(value) for value in uniques}
    return text.map(lookup).astype(float)
