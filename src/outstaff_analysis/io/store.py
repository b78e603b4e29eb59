"""Raw -> processed: read every table of ``data/raw``, validate it, write ``data/processed``.

``data/raw`` is only ever read.  ``data/processed`` holds one Parquet file per table and
``rejects/<table>.csv`` (written even when empty, so a rerun never leaves stale rejects; cells that a
spreadsheet would run as formulas are neutralised, see :mod:`.spreadsheet`);
it is derived and can always be rebuilt: :func:`build_processed` is idempotent.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pandas as pd

from ..config import Settings, resolve_data_dir, resolve_settings
from ..exceptions import SchemaError, UnsafePathError
from ..schema import TABLES
from .atomic import atomic_path, folder_lock, remove_temp_files
from .coverage import analysis_support, unchecked_references, write_manifest
from .mapping import MappingFile, apply_mapping, load_mapping
from .readers import SUFFIXES, read_table_file
from .safe_paths import resolve_inside
from .spreadsheet import write_spreadsheet
from .validate import ValidationResult, empty_rejects, empty_table, validate_table

MAPPING_FILE = "mapping.yaml"

ABSENT = "(absent)"
"""The ``file`` of a table the export does not have."""


@dataclasses.dataclass(frozen=True)
class IngestResult:
    """Validation results of every table, in dependency order.

    Attributes
    ----------
    results : dict of str to ValidationResult
        Every table of the data model; a table the export lacks is empty.
    present : tuple of str
        The tables the export has.
    notes : tuple of str
        What the run could not check (references to tables that are absent or have no rows).
    """

    results: dict[str, ValidationResult]
    present: tuple[str, ...] = tuple(TABLES)
    notes: tuple[str, ...] = ()

    def supported_analyses(self) -> pd.DataFrame:
        """Which analyses these tables support (see :func:`.coverage.analysis_support`)."""
        return analysis_support(self.present, self.tables)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Clean tables by name."""
        return {name: r.clean for name, r in self.results.items()}

    @property
    def total_rejected(self) -> int:
        """Rows rejected across all tables."""
        return sum(r.rows_rejected for r in self.results.values())

    def summary(self) -> pd.DataFrame:
        """One row per table: table, file, rows_read, rows_valid, rows_rejected, values_emptied, ignored_columns."""
        return pd.DataFrame(
            [
                {
                    "table": name,
                    "file": r.file,
                    "rows_read": r.rows_read,
                    "rows_valid": len(r.clean),
                    "rows_rejected": r.rows_rejected,
                    "values_emptied": r.values_emptied,
                    "ignored_columns": ", ".join(r.ignored_columns),
                }
                for name, r in self.results.items()
            ]
        )


def raw_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """``<data_dir>/raw``."""
    return resolve_data_dir(data_dir) / "raw"


def processed_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """``<data_dir>/processed``."""
    return resolve_data_dir(data_dir) / "processed"


def find_table_file(raw: Path, table: str, mapping: MappingFile) -> Path | None:
    """The file holding ``table``: the mapping's ``file`` (inside ``raw``) or ``<table>.csv/.xlsx/.parquet``."""
    named = mapping.table(table).file
    if named is not None:
        try:
            path = resolve_inside(raw, named)
        except UnsafePathError as exc:
            raise SchemaError(mapping.source, f"the file of table `{table}` must be inside {raw}: {exc}") from exc
        if not path.is_file():
            raise SchemaError(path, f"file of table `{table}` named in the mapping file not found")
        return path
    found = [raw / f"{table}{suffix}" for suffix in SUFFIXES if (raw / f"{table}{suffix}").is_file()]
    if len(found) > 1:
        raise SchemaError(raw, f"table `{table}` is in several files {[p.name for p in found]}; keep one")
    return found[0] if found else None


def validate_raw(data_dir: str | os.PathLike | None = None, *, mapping: str | os.PathLike | None = None,
                 settings: Settings | None = None) -> IngestResult:
    """Read, map and validate every table of ``<data_dir>/raw`` without writing anything.

    Parameters
    ----------
    data_dir : path-like, optional
        The data directory (argument, then ``$OUTSTAFF_DATA_DIR``, then ``./data``).
    mapping : path-like, optional
        A YAML mapping file; by default ``<data_dir>/raw/mapping.yaml`` when it exists.
    settings : Settings, optional
        Plausible ranges of values; by default ``<data_dir>/settings.yaml`` when it exists.

    Any subset of the tables may be present: an absent table is empty and references to it (or to
    a table with a header and no rows) are not checked; :attr:`IngestResult.notes` says which.

    Raises
    ------
    SchemaError
        If no table's file is found, or a required column is missing.
    """
    raw = raw_dir(data_dir)
    if not raw.is_dir():
        raise SchemaError(raw, "raw data directory not found; expected the CRM/ATS exports there (or run `outstaff demo`)")
    if mapping is None and (raw / MAPPING_FILE).is_file():
        mapping = raw / MAPPING_FILE
    maps = load_mapping(mapping)
    files = {name: find_table_file(raw, name, maps) for name in TABLES}
    if not any(files.values()):
        expected = ", ".join(f"{name}.csv" for name in TABLES)
        raise SchemaError(raw, f"no table found; expected some of {expected} (or .xlsx, .parquet, or files named "
                               "in a mapping file)")
    settings = resolve_settings(settings, data_dir)
    results: dict[str, ValidationResult] = {}
    keys: dict[str, pd.Index] = {}
    rejected_keys: dict[str, pd.Series] = {}
    for name, spec in TABLES.items():
        path = files[name]
        if path is None:
            results[name] = ValidationResult(name, ABSENT, empty_table(spec), empty_rejects(), 0)
            continue
        table_map = maps.table(name)
        expected = (*spec.names, *table_map.columns)
        raw_frame = read_table_file(path, header_row=table_map.header_row, expected=expected)
        frame = apply_mapping(raw_frame, name, table_map, file=path)
        result = validate_table(
            frame, spec, file=path, known_keys=keys, rejected_keys=rejected_keys,
            transcripts_dir=raw / "transcripts" if name == "interviews" else None, settings=settings,
        )
        results[name] = result
        if spec.key and result.rows_read:
            keys[name] = pd.Index(result.clean[spec.key[0]])
            rejected_keys[name] = result.rejected_keys
    present = tuple(name for name, path in files.items() if path is not None)
    with_rows = [name for name, r in results.items() if r.rows_read]
    return IngestResult(results, present, tuple(unchecked_references(with_rows)))


def build_processed(data_dir: str | os.PathLike | None = None, *, mapping: str | os.PathLike | None = None,
                    settings: Settings | None = None) -> IngestResult:
    """Validate ``<data_dir>/raw`` and write ``<data_dir>/processed`` (Parquet + rejects CSVs).

    Idempotent: the same raw data gives the same processed files.  Nothing is written under
    ``raw``.  Each file is replaced atomically, and ``processed`` is held for the run: a second run
    started meanwhile stops with "another run holds ...".  See :func:`validate_raw` for the parameters.

    Raises
    ------
    OutstaffError
        If another run holds ``processed``.
    """
    out = processed_dir(data_dir)
    with folder_lock(out):
        remove_temp_files(out)
        result = validate_raw(data_dir, mapping=mapping, settings=settings)
        for name, r in result.results.items():
            with atomic_path(out / f"{name}.parquet") as tmp:
                r.clean.to_parquet(tmp, index=False)
            write_spreadsheet(r.rejects, out / "rejects" / f"{name}.csv")
        write_manifest(out, result.present)
    return result


def load_processed(data_dir: str | os.PathLike | None = None, *, tables=None) -> dict[str, pd.DataFrame]:
    """Load processed tables (all by default) as typed frames.

    Raises
    ------
    SchemaError
        If a table has not been built yet.
    """
    out = processed_dir(data_dir)
    frames = {}
    for name in tables or TABLES:
        path = out / f"{name}.parquet"
        if not path.is_file():
            raise SchemaError(path, "processed table not found; build it first with `outstaff ingest`")
        frames[name] = pd.read_parquet(path)
    return frames

