"""Partial exports: which tables an export has, what they support, which references can be checked.

An ATS export may hold requests, submissions and candidates but no placements or clients.  Any
subset of tables can be ingested: absent tables become empty, a reference to a table that is
absent (or present with a header and no rows) is not checked and the run says so, a reference to
a table with rows is checked.  :func:`analysis_support` says which analyses the tables support,
down to the optional columns some analyses need (survival by grade needs the specialists' grade).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ..config import resolve_data_dir
from ..exceptions import SchemaError
from ..schema import TABLES
from .atomic import write_text_atomic

MANIFEST_FILE = "manifest.json"
"""Written into ``processed/`` by ingest: which tables the export had."""


@dataclasses.dataclass(frozen=True)
class Analysis:
    """An analysis and what it needs: tables, and columns of them that must hold values."""

    name: str
    tables: tuple[str, ...]
    columns: tuple[tuple[str, str], ...] = ()


ANALYSES = (
    Analysis("staffing funnel", ("requests", "submissions")),
    Analysis("time to fill", ("requests", "submissions")),
    Analysis("share of requests closed", ("requests",)),
    Analysis("placement survival", ("placements",)),
    Analysis("placement survival by role and grade", ("placements", "specialists"),
             (("specialists", "role"), ("specialists", "grade"))),
    Analysis("account lifetime and LTV", ("placements",)),
    Analysis("SLA compliance", ("sla_events",)),
    Analysis("CSI from interview transcripts", ("interviews",)),
    Analysis("client and portfolio reports", ("clients", "specialists", "requests", "submissions", "placements")),
)
"""Every analysis with the tables (and columns) it needs."""


def analysis_support(present: Iterable[str], tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Which analyses a set of tables supports.

    Parameters
    ----------
    present : iterable of str
        Tables the export has.
    tables : mapping of str to DataFrame, optional
        The validated tables; when given, a column an analysis needs must hold a value in some row.

    Returns
    -------
    pandas.DataFrame
        ``analysis``, ``supported`` (bool) and ``missing`` (what is lacking, empty when supported).

    Examples
    --------
    >>> support = analysis_support(["requests", "submissions", "specialists"])
    >>> support.loc[support["supported"], "analysis"].tolist()
    ['staffing funnel', 'time to fill', 'share of requests closed']
    >>> support.set_index("analysis").loc["placement survival", "missing"]
    'table placements'
    """
    present = set(present)
    rows = []
    for analysis in ANALYSES:
        missing = [f"table {t}" for t in analysis.tables if t not in present]
        if tables is not None:
            missing += [f"column {t}.{c}" for t, c in analysis.columns
                        if t in present and (c not in tables[t] or tables[t][c].isna().all())]
        rows.append({"analysis": analysis.name, "supported": not missing, "missing": ", ".join(missing)})
    return pd.DataFrame(rows)


def unchecked_references(checkable: Iterable[str]) -> list[str]:
    """Sentences naming each reference that cannot be checked because its table has no rows.

    Parameters
    ----------
    checkable : iterable of str
        Tables present with at least one row (their keys can be checked against).

    Returns
    -------
    list of str
        One sentence per unchecked reference of a table that is itself checkable.
    """
    checkable = set(checkable)
    return [
        f"`{spec.name}.{ref.column}` is not checked: table `{ref.table}` is not in the export or has no rows"
        for spec in TABLES.values() if spec.name in checkable
        for ref in spec.references if ref.table not in checkable
    ]


def write_manifest(out: Path, present: Iterable[str]) -> None:
    """Record in ``out/manifest.json`` which tables the export had."""
    write_text_atomic(out / MANIFEST_FILE, json.dumps({"present": sorted(present)}, indent=1) + "\n")


def read_manifest(data_dir: str | os.PathLike | None = None) -> tuple[str, ...]:
    """The tables the export had, in data-model order (every table when no manifest was written)."""
    path = resolve_data_dir(data_dir) / "processed" / MANIFEST_FILE
    if not path.is_file():
        return tuple(TABLES)
    try:
        present = set(json.loads(path.read_text(encoding="utf-8"))["present"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SchemaError(path, "unreadable manifest; rebuild it with `outstaff ingest`") from exc
    return tuple(name for name in TABLES if name in present)


__all__ = [
    "ANALYSES",
    "MANIFEST_FILE",
    "Analysis",
    "analysis_support",
    "read_manifest",
    "unchecked_references",
    "write_manifest",
]
