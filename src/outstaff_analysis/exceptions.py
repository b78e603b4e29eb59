"""Errors and warnings raised by outstaff_analysis.

Every error that concerns input data names where the problem is (file, row, column), the value
found and what was expected, so that a user can fix the export without reading code.
"""

from __future__ import annotations


class OutstaffError(Exception):
    """Base class of every error raised by the package."""


class SchemaError(OutstaffError):
    """An input file does not match the table schema.

    Parameters
    ----------
    file : str
        The file (or table) where the problem is.
    message : str
        What is wrong and what was expected.
    row : int, optional
        1-based row number in the source file (header = row 1), if the problem is in one row.
    column : str, optional
        The column concerned.
    value : object, optional
        The offending value.
    """

    def __init__(self, file, message, *, row=None, column=None, value=None):
        self.file = str(file)
        self.row = row
        self.column = column
        self.value = value
        self.reason = message
        where = [f"file {self.file}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column `{column}`")
        text = ", ".join(where) + f": {message}"
        if value is not None:
            text += f" (got {value!r})"
        super().__init__(text)


class TranscriptError(OutstaffError):
    """A transcript file cannot be parsed, or the transcripts folder cannot be read; the message names
    the file and line, or the folder (``kind="folder"``)."""

    def __init__(self, file, message, *, line=None, kind: str = "file"):
        self.file = str(file)
        self.line = line
        where = f"{kind} {self.file}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {message}")


class UnsafePathError(OutstaffError):
    """A path or a name taken from data would leave its folder, or cannot be a file name."""


class ReportError(OutstaffError):
    """Rendering one client's report failed."""

    def __init__(self, client_id, quarter, notebook, cause):
        self.client_id = client_id
        self.quarter = quarter
        self.notebook = str(notebook)
        super().__init__(f"report for client {client_id!r}, quarter {quarter} ({self.notebook}) failed: {cause}")


class InsufficientDataWarning(UserWarning):
    """Too little data for a trustworthy estimate; the figure is NaN (or flagged) instead."""


class InferredSpeakerWarning(UserWarning):
    """Which speakers are the client was inferred from the conversation, not known from the data."""


class MissingFieldError(OutstaffError, ValueError):
    """An analysis needs a column that is optional at ingest, and it holds no value.

    Parameters
    ----------
    column : str
        The column.
    analysis : str
        What needs it (``"grouping by `grade`"``).
    tables : sequence of str
        Tables of the data model that hold this column.
    """

    def __init__(self, column, analysis, tables):
        self.column = column
        self.analysis = analysis
        where = " or ".join(f"`{t}`" for t in tables) or "the input"
        super().__init__(f"{analysis} needs `{column}`, but it holds no value in any row; it is optional at ingest, "
                         f"so add it to the export of {where} (or map it in a mapping file) and run `outstaff ingest`")
