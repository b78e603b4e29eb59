"""Read one table file (CSV, XLSX or Parquet) into a frame of raw strings.

Every cell comes back as a stripped string (``""`` when empty) and the frame carries
``_source_row``: the 1-based line/row number of the record in the file (the header is row
``header_row``), so that validation can point at the exact place of a problem, and
``_row_problem``: a non-empty reason when the record itself is malformed (too many fields).  Types are
not converted here: :mod:`outstaff_analysis.io.validate` does that, cell by cell, with errors.

CSV files may be UTF-8, UTF-8 with BOM or cp1251, separated by commas, semicolons or tabs.
XLSX files may have title rows above the header: the header row is found automatically or
given explicitly.
"""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from ..exceptions import OutstaffError, SchemaError

SOURCE_ROW = "_source_row"
ROW_PROBLEM = "_row_problem"
SUFFIXES = (".csv", ".xlsx", ".parquet")
_SEPARATORS = (",", ";", "\t", "|")
_HEADER_SCAN_ROWS = 30


def decode_bytes(data: bytes, *, file: str | Path = "<bytes>") -> str:
    """Decode text that is UTF-8 (with or without BOM) or a legacy single-byte encoding such as cp1251.

    UTF-8 is tried first, since valid UTF-8 is almost never an accident; otherwise
    charset-normalizer picks the most plausible encoding (cp1251 for Russian exports).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SchemaError(file, f"the file starts with a UTF-8 byte order mark but byte {exc.start + 3} is "
                                    "not UTF-8; expected UTF-8 text") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp1252", "latin_1"]).best()
    if guess is None:
        raise SchemaError(file, "cannot decode the file; expected UTF-8 or cp1251 text")
    return str(guess)


def sniff_separator(header_line: str) -> str:
    """Pick the separator that splits the header line into the most fields."""
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def read_csv_strings(path: str | Path, *, header_row: int | None = None) -> pd.DataFrame:
    """Read a CSV export as strings, detecting its encoding and separator.

    Parameters
    ----------
    path : path-like
        The CSV file.
    header_row : int, optional
        1-based line of the header; by default the first non-empty line.

    Returns
    -------
    pandas.DataFrame
        One string column per header field plus ``_source_row``.
    """
    path = Path(path)
    text = decode_bytes(path.read_bytes(), file=path)
    # only real line breaks: str.splitlines would also split on \x1c, \x85, \u2028 inside a cell
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if header_row is None:
        header_row = next((i + 1 for i, line in enumerate(lines) if line.strip()), None)
        if header_row is None:
            raise SchemaError(path, "the file is empty; expected a header row and data rows")
    if header_row > len(lines) or not lines[header_row - 1].strip():
        raise SchemaError(path, f"no header at line {header_row}; expected the column names there")
    separator = sniff_separator(lines[header_row - 1])
    reader = csv.reader(io.StringIO("\n".join(lines[header_row - 1:]), newline=""), delimiter=separator)
    records, rows, problems = [], [], []
    previous_end = 0
    try:
        header = [name.strip() for name in next(reader)]
        previous_end = reader.line_num
        for record in reader:
            first, last = previous_end + header_row, reader.line_num + header_row - 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            problems.append(shape_problem(record, len(header), separator, first, last))
            records.append([cell.strip() for cell in (record + [""] * len(header))[: len(header)]])
            rows.append(first)
    except csv.Error as exc:
        raise SchemaError(path, _csv_problem(exc), row=previous_end + header_row) from exc
    frame = _frame(records, header, rows, path)
    frame[ROW_PROBLEM] = pd.Series(problems, index=frame.index, dtype=object)
    return frame


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (f"the record starting at this line has a cell longer than {csv.field_size_limit():,} characters; "
                "is a closing quote missing?")
    return f"cannot parse the record starting at this line: {exc}"


def shape_problem(record: list[str], width: int, separator: str, first_line: int, last_line: int) -> str:
    """Why a CSV record does not fit the header ("" when it does).

    A record with fewer or more (non-empty) fields than the header is misaligned; one that runs over
    several lines and has too few fields usually has a quote that is never closed, which swallows
    the lines after it into one cell.
    """
    extra = any(cell.strip() for cell in record[width:])
    if len(record) >= width and not extra:
        return ""
    reason = f"the row has {len(record)} fields but the header has {width} (separator {separator!r})"
    if last_line > first_line and len(record) < width:
        return reason + f"; a quoted cell runs from line {first_line} to line {last_line}: is a closing quote missing?"
    if extra:
        return reason + "; a value may contain an unquoted separator"
    return reason


def find_header_row(grid: pd.DataFrame, expected=()) -> int:
    """0-based index of the header in a sheet read without a header.

    The header is the row, among the first rows, that holds the most of the ``expected`` column
    names (ignoring case); when none holds any, the first row as wide as the widest of them (title
    lines above a header, such as "Export from CRM, 2024", are narrower).
    """
    top = grid.head(_HEADER_SCAN_ROWS)
    wanted = {str(name).strip().casefold() for name in expected}
    if wanted:
        hits = top.apply(lambda row: sum(_cell_text(v).casefold() in wanted for v in row), axis=1)
        if len(hits) and hits.max() > 0:
            return int(hits.idxmax())
    widths = top.notna().sum(axis=1)
    if widths.empty or widths.max() == 0:
        return 0
    return int(widths.idxmax())


def read_excel_strings(path: str | Path, *, header_row: int | None = None, sheet: str | int = 0,
                       expected=()) -> pd.DataFrame:
    """Read an XLSX sheet as strings; the header row is found (see :func:`find_header_row`) unless
    given (1-based)."""
    path = Path(path)
    with _library_errors(path, "cannot read the sheet"):
        grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
    if grid.dropna(how="all").empty:
        raise SchemaError(path, "the sheet is empty; expected a header row and data rows")
    start = header_row - 1 if header_row is not None else find_header_row(grid, expected)
    header = [_cell_text(v) for v in grid.iloc[start]]
    body = grid.iloc[start + 1:]
    body = body[body.notna().any(axis=1)]
    records = [[_cell_text(v) for v in row] for row in body.itertuples(index=False)]
    rows = [int(i) + 1 for i in body.index]
    return _frame(records, header, rows, path)


def read_parquet_strings(path: str | Path) -> pd.DataFrame:
    """Read a Parquet file and render its cells as strings (so one validator handles every format)."""
    path = Path(path)
    with _library_errors(path, "cannot read the Parquet file"):
        table = pd.read_parquet(path)
    records = [[_cell_text(v) for v in row] for row in table.itertuples(index=False)]
    rows = list(range(1, len(table) + 1))
    return _frame(records, [str(c) for c in table.columns], rows, path)


def read_table_file(path: str | Path, *, header_row: int | None = None, expected=()) -> pd.DataFrame:
    """Read a CSV, XLSX or Parquet table as strings, by file extension.

    ``expected`` column names help find the header row of a spreadsheet with title rows.

    Raises
    ------
    SchemaError
        If the file is missing, empty, or of an unsupported type.
    """
    path = Path(path)
    if not path.is_file():
        raise SchemaError(path, "file not found")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        if path.stat().st_size == 0:
            raise SchemaError(path, "the file is empty; expected a header row and data rows")
        return read_csv_strings(path, header_row=header_row)
    if suffix in (".xlsx", ".xlsm"):
        return read_excel_strings(path, header_row=header_row, expected=expected)
    if suffix == ".parquet":
        return read_parquet_strings(path)
    raise SchemaError(path, f"unsupported file type {suffix!r}; expected one of {list(SUFFIXES)}")


@contextlib.contextmanager
def _library_errors(path: Path, what: str):
    """Turn whatever a file-format library raises on a damaged file into a :class:`SchemaError`.

    openpyxl and pyarrow raise many exception types on bad input (``BadZipFile``, ``KeyError``,
    ``ArrowInvalid``, XML errors, ...); none of them is a programming error of the package.
    """
    try:
        yield
    except OutstaffError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on untrusted bytes
        raise SchemaError(path, f"{what}: {type(exc).__name__}: {exc}"[:500]) from exc


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _frame(records: list[list[str]], header: list[str], rows: list[int], path: Path) -> pd.DataFrame:
    if not any(header):
        raise SchemaError(path, "the header row is empty; expected column names")
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise SchemaError(path, f"duplicated column names {duplicated} in the header; expected unique names")
    frame = pd.DataFrame(records, columns=header, dtype=object) if records else pd.DataFrame(columns=header, dtype=object)
    frame = frame.loc[:, [h for h in header if h]]
    frame[SOURCE_ROW] = pd.Series(rows, index=frame.index, dtype="int64")
    frame[ROW_PROBLEM] = ""
    return frame
