"""Validate one raw table against its :class:`~outstaff_analysis.schema.TableSpec`.

Validation converts the raw strings to typed columns and checks every row: required values,
types, allowed values, bounds, unique keys, references to other tables, dates in order and
(for interviews) that the transcript file exists.  It never drops a row silently: each
problem becomes a reject record ``(source_file, source_row, column, value, reason)`` and the
row goes to the rejects instead of the clean table.  A missing required *column* is not a row
problem: it raises :class:`~outstaff_analysis.exceptions.SchemaError` for the whole file.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..exceptions import SchemaError, UnsafePathError
from ..schema import Column, TableSpec
from .parse import DATE_EXPECTED, parse_datetimes, parse_numbers
from .readers import ROW_PROBLEM, SOURCE_ROW
from .safe_paths import file_name_problem, resolve_inside

REJECT_COLUMNS = ("source_file", "source_row", "column", "value", "reason")


@dataclasses.dataclass(frozen=True)
class ValidationResult:
    """Outcome of validating one table.

    Attributes
    ----------
    table, file : str
        Table name and the source file.
    clean : pandas.DataFrame
        Valid rows, typed, with exactly the spec's columns in order.
    rejects : pandas.DataFrame
        One record per problem: source_file, source_row, column, value, reason.
    rows_read : int
        Data rows read from the file.
    ignored_columns : tuple of str
        Columns of the file that are not in the spec.
    """

    table: str
    file: str
    clean: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    ignored_columns: tuple[str, ...] = ()

    @property
    def rows_rejected(self) -> int:
        """Number of distinct rows rejected (a row may have several problems)."""
        return int(self.rejects["source_row"].nunique())


class _Problems:
    """Collects (row index, column, reason) triples, vectorised per check."""

    def __init__(self, raw: pd.DataFrame):
        self.raw = raw
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, reasons) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        values = self.raw[column] if column in self.raw else pd.Series("", index=self.raw.index)
        reasons = reasons[mask] if isinstance(reasons, pd.Series) else reasons
        self.parts.append(pd.DataFrame({"index": mask.index[mask], "column": column,
                                        "value": values[mask].astype(str).to_numpy(), "reason": reasons}))

    def frame(self, file: str) -> pd.DataFrame:
        if not self.parts:
            return empty_rejects()
        found = pd.concat(self.parts, ignore_index=True)
        found.insert(0, "source_row", self.raw.loc[found["index"], SOURCE_ROW].to_numpy())
        found.insert(0, "source_file", file)
        return found.sort_values(["source_row", "column"], kind="stable")[list(REJECT_COLUMNS)].reset_index(drop=True)

    def rows(self) -> pd.Index:
        return pd.Index(pd.concat([p["index"] for p in self.parts]).unique()) if self.parts else pd.Index([])


def check_required_columns(raw: pd.DataFrame, spec: TableSpec, file: str) -> None:
    """Raise one :class:`SchemaError` naming the file and the first missing required column."""
    present = set(raw.columns)
    missing = [name for name in spec.required if name not in present]
    if missing:
        found = [c for c in raw.columns if not str(c).startswith("_")]
        raise SchemaError(
            file,
            f"missing required column `{missing[0]}` of table `{spec.name}`"
            + (f" (also missing: {missing[1:]})" if len(missing) > 1 else "")
            + f"; expected columns {list(spec.required)}, found {found}. "
            "Rename it in the file or map it in a mapping file (see `outstaff ingest --help`)",
            column=missing[0],
        )


def _typed_column(raw: pd.DataFrame, column: Column, problems: _Problems) -> pd.Series:
    if column.name in raw:
        text = raw[column.name].fillna("").astype(str).str.strip()
    else:
        text = pd.Series("", index=raw.index, dtype=object)
    empty = text == ""
    if column.required:
        problems.add(empty, column.name, f"required value of `{column.name}` is empty")
    if column.kind in ("date", "datetime"):
        values = parse_datetimes(text)
        problems.add(~empty & values.isna(), column.name, f"not a valid date; expected {DATE_EXPECTED}")
        if column.kind == "date":
            values = values.dt.normalize()
    elif column.kind in ("float", "int"):
        values = parse_numbers(text)
        problems.add(~empty & values.isna(), column.name, "not a number, or an ambiguous one like 250,000 (250 or 250000?); expected digits with a decimal point or comma")
        if column.kind == "int":
            problems.add(values.notna() & (values % 1 != 0), column.name, "not a whole number")
        if column.min is not None:
            problems.add(values < column.min, column.name, f"must be at least {column.min:g}")
        if column.max is not None:
            problems.add(values > column.max, column.name, f"must be at most {column.max:g}")
        if column.default is not None:
            values = values.fillna(column.default)
        if column.kind == "int":
            values = values.where(values % 1 == 0).astype("Int64")
    else:
        values = text.where(~empty, None).astype(object)
        if column.allowed is not None:
            canon = values.str.upper() if column.name == "currency" else values.str.lower()
            problems.add(~empty & ~canon.isin(column.allowed), column.name,
                         f"The value for `{column.name}` must be one of {list(column.allowed)}")
            values = canon.where(~empty, None)
        if column.file_name:
            reasons = text.map(file_name_problem)
            problems.add(~empty & (reasons != ""), column.name,
                         f"`{column.name}` names report files and cannot be used as a file name: " + reasons)
        if column.default is not None:
            values = values.fillna(column.default)
    return values


def validate_table(
    raw: pd.DataFrame,
    spec: TableSpec,
    *,
    file: str | Path,
    known_keys: Mapping[str, pd.Index] | None = None,
    transcripts_dir: str | Path | None = None,
) -> ValidationResult:
    """Validate a raw string table (as read by :mod:`~outstaff_analysis.io.readers` and mapped).

    Parameters
    ----------
    raw : pandas.DataFrame
        String cells with ``_source_row`` (and optionally ``_row_problem``).
    spec : TableSpec
        The table's spec.
    file : path-like
        Source file, for messages and rejects.
    known_keys : mapping, optional
        Table name -> valid keys of that table, for the spec's references.  A reference to a
        table not in the mapping is not checked.
    transcripts_dir : path-like, optional
        Where interview transcripts live; a ``transcript`` column is checked against it.

    Returns
    -------
    ValidationResult

    Raises
    ------
    SchemaError
        If a required column is missing.
    """
    file = str(file)
    check_required_columns(raw, spec, file)
    raw = raw.reset_index(drop=True)
    problems = _Problems(raw)
    if ROW_PROBLEM in raw:
        problems.add(raw[ROW_PROBLEM].astype(str) != "", "*", raw[ROW_PROBLEM].astype(str))
    typed = pd.DataFrame({c.name: _typed_column(raw, c, problems) for c in spec.columns}, index=raw.index)

    if spec.key:
        key = typed[list(spec.key)]
        dup = key.notna().all(axis=1) & key.duplicated(keep="first")
        if dup.any():
            first_row = raw[SOURCE_ROW].groupby([typed[k] for k in spec.key]).transform("first")
            problems.add(dup, spec.key[0],
                         "duplicate key " + ", ".join(f"`{k}`" for k in spec.key)
                         + "; first seen at row " + first_row.astype(str))
    for ref in spec.references:
        if known_keys is not None and ref.table in known_keys:
            values = typed[ref.column]
            unknown = values.notna() & ~values.isin(known_keys[ref.table])
            problems.add(unknown, ref.column, f"unknown `{ref.column}`: not a `{ref.target}` of a valid row in `{ref.table}`")
    for earlier, later in spec.ordered_dates:
        before = typed[later] < typed[earlier]
        problems.add(before, later, f"`{later}` is before `{earlier}` of the same row ("
                     + typed[earlier].dt.strftime("%Y-%m-%d %H:%M").fillna("") + ")")
    if transcripts_dir is not None and "transcript" in typed:
        reasons = typed["transcript"].map(lambda rel: "" if rel is None else transcript_problem(transcripts_dir, rel))
        problems.add(reasons != "", "transcript", reasons)

    bad = problems.rows()
    clean = typed.drop(index=bad).reset_index(drop=True)
    ignored = tuple(c for c in raw.columns if c not in spec.names and not str(c).startswith("_"))
    return ValidationResult(spec.name, file, clean, problems.frame(file), len(raw), ignored)


def transcript_problem(transcripts_dir: str | Path, relpath: str) -> str:
    """Why the transcript ``relpath`` of an interviews row cannot be used (``""`` when it can).

    The path must stay inside ``transcripts_dir`` (symbolic links resolved; ``\\`` separators
    accepted) and name an existing file.
    """
    try:
        path = resolve_inside(transcripts_dir, relpath)
    except UnsafePathError as exc:
        return f"transcript path refused: {exc}"
    if not path.is_file():
        return f"transcript file not found under {transcripts_dir}"
    return ""


def empty_rejects() -> pd.DataFrame:
    """An empty rejects frame with the reject columns."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "source_row" else object) for c in REJECT_COLUMNS})


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An empty frame with the spec's columns and processed dtypes."""
    dtypes = {"str": object, "date": "datetime64[ns]", "datetime": "datetime64[ns]", "float": float, "int": "Int64"}
    return pd.DataFrame({c.name: pd.Series(dtype=dtypes[c.kind]) for c in spec.columns})


__all__ = ["REJECT_COLUMNS", "ValidationResult", "check_required_columns", "empty_rejects", "empty_table", "transcript_problem",
           "validate_table"]
