"""Mapping files: rename a CRM/ATS export's columns and recode its values into the SPEC's tables.

A mapping file is YAML::

    tables:
      placements:
        file: Размещения.xlsx          # optional; default <table>.csv / .xlsx / .parquet
        header_row: 3                  # optional, 1-based; default: found automatically
        columns:                       # export column -> SPEC column
          ID размещения: placement_id
          Дата выхода: started_at
        values:                        # per SPEC column: export value -> SPEC value
          end_reason:
            Клиент завершил: client_ended
            Ушёл сам: specialist_left

Column names and values are matched ignoring case and surrounding spaces.  Without a mapping,
columns whose names already match the SPEC (ignoring case) are used as they are.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Mapping

import pandas as pd
import yaml

from ..exceptions import SchemaError
from ..schema import TABLES
from ..yamltext import safe_load
from .readers import decode_bytes


@dataclasses.dataclass(frozen=True)
class TableMapping:
    """How one table is found and translated."""

    file: str | None = None
    header_row: int | None = None
    columns: Mapping[str, str] = dataclasses.field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class MappingFile:
    """A whole mapping file: one :class:`TableMapping` per table (absent tables map by name), and where it was read."""

    tables: Mapping[str, TableMapping] = dataclasses.field(default_factory=dict)
    source: str = "(no mapping file)"

    def table(self, name: str) -> TableMapping:
        """The mapping of table ``name`` (an identity mapping when the file does not mention it)."""
        return self.tables.get(name, TableMapping())


IDENTITY = MappingFile()


def load_mapping(path: str | Path | None) -> MappingFile:
    """Read and check a YAML mapping file; ``None`` gives the identity mapping.

    Raises
    ------
    SchemaError
        If the file is missing, is not a mapping, names an unknown table or SPEC column, or has
        an unknown key.
    """
    if path is None:
        return IDENTITY
    path = Path(path)
    if not path.is_file():
        raise SchemaError(path, "mapping file not found")
    try:
        document = safe_load(decode_bytes(path.read_bytes(), file=path)) or {}
    except yaml.YAMLError as exc:
        raise SchemaError(path, f"not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise SchemaError(path, "not valid YAML: nested too deeply") from exc
    if not isinstance(document, dict) or not isinstance(document.get("tables", {}), dict):
        raise SchemaError(path, "expected a mapping with a `tables:` section")
    unknown_top = set(document) - {"tables"}
    if unknown_top:
        raise SchemaError(path, f"unknown top-level keys {sorted(unknown_top)}; expected only `tables`")
    tables = {}
    for name, entry in (document.get("tables") or {}).items():
        tables[name] = _table_mapping(path, str(name), entry or {})
    return MappingFile(tables, str(path))


def _table_mapping(path: Path, name: str, entry: dict) -> TableMapping:
    if name not in TABLES:
        raise SchemaError(path, f"The table `{name}` must be one of {list(TABLES)}")
    if not isinstance(entry, dict):
        raise SchemaError(path, f"table `{name}`: expected a mapping with file, header_row, columns, values")
    unknown = set(entry) - {"file", "header_row", "columns", "values"}
    if unknown:
        raise SchemaError(path, f"table `{name}`: unknown keys {sorted(unknown)}; expected file, header_row, columns, values")
    spec_names = TABLES[name].names
    for key in ("columns", "values"):
        section = entry.get(key) or {}
        if not isinstance(section, dict) or (key == "values" and not all(isinstance(v or {}, dict)
                                                                         for v in section.values())):
            raise SchemaError(path, f"table `{name}`: `{key}` must be a mapping of name: value")
    if entry.get("file") is not None and not isinstance(entry["file"], str):
        raise SchemaError(path, f"table `{name}`: `file` must be a file name", value=entry["file"])
    columns = {str(k).strip(): str(v).strip() for k, v in (entry.get("columns") or {}).items()}
    for target in list(columns.values()) + list((entry.get("values") or {}).keys()):
        if target not in spec_names:
            raise SchemaError(path, f"table `{name}`: the column `{target}` must be one of {list(spec_names)}")
    values = {
        str(col): {str(k).strip().casefold(): str(v).strip() for k, v in (recode or {}).items()}
        for col, recode in (entry.get("values") or {}).items()
    }
    header_row = entry.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise SchemaError(path, f"table `{name}`: `header_row` must be a positive integer", value=header_row)
    return TableMapping(file=entry.get("file"), header_row=header_row, columns=columns, values=values)


def apply_mapping(frame: pd.DataFrame, table: str, mapping: TableMapping, *, file: str | Path = "") -> pd.DataFrame:
    """Rename columns to the SPEC's names and recode values; returns a new frame.

    Columns are matched ignoring case and surrounding spaces: first through ``mapping.columns``,
    then by the SPEC name itself.  Columns that match nothing are kept under their own names
    (validation reports them as ignored).

    Raises
    ------
    SchemaError
        If two columns of ``file`` map to the same data-model column.
    """
    spec_names = {n.casefold(): n for n in TABLES[table].names}
    explicit = {k.casefold(): v for k, v in mapping.columns.items()}
    renames = {}
    for column in frame.columns:
        key = str(column).strip().casefold()
        if key in explicit:
            renames[column] = explicit[key]
        elif key in spec_names:
            renames[column] = spec_names[key]
    targets = pd.Series(list(renames.values()), index=list(renames.keys()))
    clashes = targets[targets.duplicated(keep=False)]
    if not clashes.empty:
        target = clashes.iloc[0]
        sources = [str(c) for c in clashes.index[clashes == target]]
        raise SchemaError(file or f"<table {table}>", f"columns {sources} both map to `{target}`; keep one in "
                          "the file or the mapping", column=target)
    out = frame.rename(columns=renames)
    for column, recode in mapping.values.items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, r=recode: r.get(str(v).strip().casefold(), v))
    return out
