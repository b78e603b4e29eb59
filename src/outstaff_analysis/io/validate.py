"""Validate one raw table against its :class:`~outstaff_analysis.schema.TableSpec`.

Validation converts the raw strings to typed columns and checks every row: required values,
types, allowed values, bounds, unique keys, references to other tables, dates in order and
(for interviews) that the transcript file lies inside the transcripts folder and parses.  It never drops a row silently: each
problem becomes a reject record ``(source_file, source_row, column, value, reason, outcome)``.
A problem with a required value (or with the row as a whole) rejects the row (outcome
``row rejected``); an invalid *optional* value is emptied and the row kept (outcome
``value emptied``), so one bad cell never costs a client its whole account.  A row that refers to a
rejected row of another table says which one (file, row and its reason).  A missing required *column* is not a row
problem: it raises :class:`~outstaff_analysis.exceptions.SchemaError` for the whole file.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..exceptions import SchemaError, TranscriptError, UnsafePathError
from ..schema import Column, Reference, TableSpec
from .parse import DATE_EXPECTED, parse_datetimes, parse_numbers
from .readers import ROW_PROBLEM, SOURCE_ROW
from .safe_paths import file_name_problem, resolve_inside
from .transcripts import folder_problem, read_transcript

REJECT_COLUMNS = ("source_file", "source_row", "column", "value", "reason", "outcome")
ROW_REJECTED = "row rejected"
VALUE_EMPTIED = "value emptied"


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
        One record per problem: source_file, source_row, column, value, reason and outcome
        (``row rejected`` or ``value emptied``).
    rows_read : int
        Data rows read from the file.
    ignored_columns : tuple of str
        Columns of the file that are not in the spec.
    rejected_keys : pandas.Series
        Key value of each rejected row -> ``"<file> row <n> (<reason>)"``, so that rows of other
        tables referring to it can say why they are rejected.
    """

    table: str
    file: str
    clean: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    ignored_columns: tuple[str, ...] = ()
    rejected_keys: pd.Series = dataclasses.field(default_factory=lambda: pd.Series(dtype=object))

    @property
    def rows_rejected(self) -> int:
        """Number of distinct rows rejected (a row may have several problems)."""
        return int(self.rejects.loc[self.rejects["outcome"] == ROW_REJECTED, "source_row"].nunique())

    @property
    def values_emptied(self) -> int:
        """Number of invalid optional values emptied in rows that were kept."""
        return int((self.rejects["outcome"] == VALUE_EMPTIED).sum())


class _Problems:
    """Collects (row index, column, reason, outcome) records, vectorised per check."""

    def __init__(self, raw: pd.DataFrame):
        self.raw = raw
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, reasons, *, reject_row: bool = True) -> pd.Series:
        """Record the problem ``reasons`` where ``mask`` holds; returns the mask (NaN as False).

        ``reject_row=False`` records an invalid optional value that is emptied, the row kept.
        """
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return mask
        values = self.raw[column] if column in self.raw else pd.Series("", index=self.raw.index)
        reasons = reasons[mask] if isinstance(reasons, pd.Series) else reasons
        self.parts.append(pd.DataFrame({"index": mask.index[mask], "column": column,
                                        "value": values[mask].astype(str).to_numpy(), "reason": reasons,
                                        "outcome": ROW_REJECTED if reject_row else VALUE_EMPTIED}))
        return mask

    def frame(self, file: str) -> pd.DataFrame:
        if not self.parts:
            return empty_rejects()
        found = pd.concat(self.parts, ignore_index=True)
        found.insert(0, "source_row", self.raw.loc[found["index"], SOURCE_ROW].to_numpy())
        found.insert(0, "source_file", file)
        return found.sort_values(["source_row", "column"], kind="stable")[list(REJECT_COLUMNS)].reset_index(drop=True)

    def row_reasons(self) -> pd.Series:
        """First reason of each rejected row, by row index."""
        if not self.parts:
            return pd.Series(dtype=object)
        found = pd.concat(self.parts, ignore_index=True)
        found = found[found["outcome"] == ROW_REJECTED]
        return found.groupby("index", sort=True)["reason"].first()


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
    invalid = pd.Series(False, index=raw.index)

    def flag(mask: pd.Series, reasons) -> None:
        nonlocal invalid
        invalid |= problems.add(mask, column.name, reasons, reject_row=column.required)

    if column.required:
        problems.add(empty, column.name, f"required value of `{column.name}` is empty")
    if column.kind in ("date", "datetime"):
        values = parse_datetimes(text)
        flag(~empty & values.isna(), f"not a valid date; expected {DATE_EXPECTED}")
        if column.kind == "date":
            values = values.dt.normalize()
    elif column.kind in ("float", "int"):
        values = parse_numbers(text)
        flag(~empty & values.isna(), "not a number, or an ambiguous one like 250,000 (250 or 250000?); expected digits with a decimal point or comma")
        if column.kind == "int":
            flag(values.notna() & (values % 1 != 0), "not a whole number")
        if column.min is not None:
            flag(values < column.min, f"must be at least {column.min:g}")
        if column.max is not None:
            flag(values > column.max, f"must be at most {column.max:g}")
    else:
        values = text.where(~empty, None).astype(object)
        if column.allowed is not None:
            canon = values.str.upper() if column.name == "currency" else values.str.lower()
            flag(~empty & ~canon.isin(column.allowed), f"The value for `{column.name}` must be one of {list(column.allowed)}")
            values = canon.where(~empty, None)
        if column.file_name:
            reasons = text.map(file_name_problem)
            flag(~empty & (reasons != ""),
                 f"`{column.name}` names report files and cannot be used as a file name: " + reasons)
    values = values.where(~invalid, None)
    if column.default is not None:
        values = values.fillna(column.default)
    if column.kind == "int":
        values = values.where(values % 1 == 0).astype("Int64")
    return values


def validate_table(
    raw: pd.DataFrame,
    spec: TableSpec,
    *,
    file: str | Path,
    known_keys: Mapping[str, pd.Index] | None = None,
    rejected_keys: Mapping[str, pd.Series] | None = None,
    transcripts_dir: str | Path | None = None,
    settings: Settings = DEFAULT_SETTINGS,
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
        table not in the mapping is not checked.  An unknown value of an optional reference is
        emptied; of a required one, rejects the row.
    rejected_keys : mapping, optional
        Table name -> :attr:`ValidationResult.rejected_keys` of that table: a row referring to a
        rejected row names it.
    transcripts_dir : path-like, optional
        Where interview transcripts live; a ``transcript`` column is checked against it.
    settings : Settings
        Plausible ranges of values (``monthly_rate_bounds``).

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
    for column in spec.columns:
        if column.plausible is not None:
            outside = problems.add(*_implausible(typed, column, getattr(settings, column.plausible)),
                                   reject_row=column.required)
            typed[column.name] = typed[column.name].where(~outside)

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
            reasons = _reference_reasons(values, ref, (rejected_keys or {}).get(ref.table))
            required = spec.column(ref.column).required
            problems.add(unknown, ref.column, reasons, reject_row=required)
            if not required:
                typed[ref.column] = values.where(~unknown, None)
    for earlier, later in spec.ordered_dates:
        before = typed[later] < typed[earlier]
        problems.add(before, later, f"`{later}` is before `{earlier}` of the same row ("
                     + typed[earlier].dt.strftime("%Y-%m-%d %H:%M").fillna("") + ")")
    if transcripts_dir is not None and "transcript" in typed:
        reasons = typed["transcript"].map(lambda rel: "" if rel is None else transcript_problem(transcripts_dir, rel))
        problems.add(reasons != "", "transcript", reasons)

    reasons = problems.row_reasons()
    clean = typed.drop(index=reasons.index).reset_index(drop=True)
    ignored = tuple(c for c in raw.columns if c not in spec.names and not str(c).startswith("_"))
    rejected_keys = pd.Series(dtype=object)
    if len(spec.key) == 1 and len(reasons):
        keys = typed.loc[reasons.index, spec.key[0]]
        described = (file + " row " + raw.loc[reasons.index, SOURCE_ROW].astype(str) + " (" + reasons + ")")
        rejected_keys = described[keys.notna()].set_axis(keys[keys.notna()])
        rejected_keys = rejected_keys[~rejected_keys.index.duplicated()]
    return ValidationResult(spec.name, file, clean, problems.frame(file), len(raw), ignored, rejected_keys)


def _implausible(typed: pd.DataFrame, column: Column, bounds: Mapping[str, tuple[float, float]]):
    """(mask, column name, reasons) of values outside the plausible range of their row's currency.

    A row without a (valid) currency is held to the widest range of all currencies.
    """
    values = typed[column.name]
    currency = typed["currency"] if "currency" in typed else pd.Series(None, index=typed.index, dtype=object)
    low = currency.map({c: lo for c, (lo, _) in bounds.items()}).fillna(min(lo for lo, _ in bounds.values()))
    high = currency.map({c: hi for c, (_, hi) in bounds.items()}).fillna(max(hi for _, hi in bounds.values()))
    outside = values.notna() & ((values < low) | (values > high))
    unit = (" " + currency).fillna("")
    note = currency.isna().map({True: "; no currency given, so the widest range of all currencies", False: ""})
    reasons = (f"a {column.name.replace('_', ' ')} of " + values.map(_amount) + unit + " is outside the plausible "
               "range " + low.map(_amount) + " to " + high.map(_amount) + unit + note
               + f" (settings: {column.plausible})")
    return outside, column.name, reasons


def _amount(value: float) -> str:
    return "" if pd.isna(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _reference_reasons(values: pd.Series, ref: Reference, parents: pd.Series | None) -> pd.Series:
    """Why each value of a reference column is not a valid key: unknown, or the key of a rejected row."""
    reasons = pd.Series(f"unknown `{ref.column}`: not a `{ref.target}` of a valid row in `{ref.table}`",
                        index=values.index, dtype=object)
    if parents is None or parents.empty:
        return reasons
    parent = values.map(parents)
    return reasons.where(parent.isna(), f"`{ref.column}` refers to a rejected row of `{ref.table}`: " + parent)


def transcript_problem(transcripts_dir: str | Path, relpath: str) -> str:
    """Why the transcript ``relpath`` of an interviews row cannot be used (``""`` when it can).

    The path must stay inside ``transcripts_dir`` (symbolic links resolved; ``\\`` separators
    accepted) and name an existing file that :func:`~.transcripts.read_transcript` parses.  If
    ``transcripts_dir`` itself is missing, that is the reason given.
    """
    problem = folder_problem(transcripts_dir)
    if problem:
        return f"{problem}: {transcripts_dir}"
    try:
        path = resolve_inside(transcripts_dir, relpath)
    except UnsafePathError as exc:
        return f"transcript path refused: {exc}"
    if not path.is_file():
        return f"transcript file not found under {transcripts_dir}"
    try:
        read_transcript(path)
    except TranscriptError as exc:
        return f"transcript cannot be read: {exc}"
    return ""


def empty_rejects() -> pd.DataFrame:
    """An empty rejects frame with the reject columns."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "source_row" else object) for c in REJECT_COLUMNS})


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An empty frame with the spec's columns and processed dtypes."""
    dtypes = {"str": object, "date": "datetime64[ns]", "datetime": "datetime64[ns]", "float": float, "int": "Int64"}
    return pd.DataFrame({c.name: pd.Series(dtype=dtypes[c.kind]) for c in spec.columns})


__all__ = ["REJECT_COLUMNS", "ROW_REJECTED", "VALUE_EMPTIED", "ValidationResult", "check_required_columns", "empty_rejects", "empty_table", "transcript_problem",
           "validate_table"]
