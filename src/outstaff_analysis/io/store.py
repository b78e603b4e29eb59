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

from ..config import Settings, resolve_data_dir, settings_for
from ..exceptions import SchemaError, UnsafePathError
from ..schema import TABLES
from .atomic import atomic_path, folder_lock, remove_temp_files
from .mapping import MappingFile, apply_mapping, load_mapping
from .readers import SUFFIXES, read_table_file
from .safe_paths import resolve_inside
from .spreadsheet import write_spreadsheet
from .validate import ValidationResult, empty_rejects, empty_table, validate_table

OPTIONAL_TABLES = ("interviews", "sla_events")
"""Tables a firm may not export; when absent they are empty."""

MAPPING_FILE = "mapping.yaml"


@dataclasses.dataclass(frozen=True)
class IngestResult:
    """Validation results of every table, in dependency order."""

    results: dict[str, ValidationResult]

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

    Raises
    ------
    SchemaError
        If a required table's file or a required column is missing.
    """
    raw = raw_dir(data_dir)
    if not raw.is_dir():
        raise SchemaError(raw, "raw data directory not found; expected the CRM/ATS exports there (or run `outstaff demo`)")
    if mapping is None and (raw / MAPPING_FILE).is_file():
        mapping = raw / MAPPING_FILE
    maps = load_mapping(mapping)
    settings = settings or settings_for(resolve_data_dir(data_dir))
    results: dict[str, ValidationResult] = {}
    keys: dict[str, pd.Index] = {}
    rejected_keys: dict[str, pd.Series] = {}
    for name, spec in TABLES.items():
        path = find_table_file(raw, name, maps)
        if path is None:
            if name not in OPTIONAL_TABLES:
                expected = " or ".join(f"{name}{s}" for s in SUFFIXES)
                raise SchemaError(raw / f"{name}.csv", f"file of table `{name}` not found; expected {expected} in {raw}")
            results[name] = ValidationResult(name, "(absent)", empty_table(spec), empty_rejects(), 0)
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
        if spec.key:
            keys[name] = pd.Index(result.clean[spec.key[0]])
            rejected_keys[name] = result.rejected_keys
    return IngestResult(results)


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

