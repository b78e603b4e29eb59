"""The tidy table of one question, for people who do not open notebooks (``outstaff show``).

:func:`tidy_table` answers ``funnel``, ``survival``, ``sla`` or ``csi`` on a
:class:`~outstaff_analysis.dataset.Dataset` with the same functions and settings as the notebooks
and reports; :func:`write_table` writes it as CSV (safe to open in a spreadsheet), XLSX or Parquet.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .dataset import Dataset
from .io.atomic import atomic_path
from .io.spreadsheet import write_spreadsheet
from .periods import parse_quarter


def _funnel(data: Dataset, by: list[str]) -> pd.DataFrame:
    from .funnel import funnel_counts, funnel_rates

    return funnel_rates(funnel_counts(data.requests, data.submissions, as_of=data.as_of, by=by))


def _survival(data: Dataset, by: list[str]) -> pd.DataFrame:
    from .survival import survival_at

    return survival_at(data.tenure(), by=by or None, settings=data.settings)


def _sla(data: Dataset, by: list[str]) -> pd.DataFrame:
    from .sla import sla_compliance

    return sla_compliance(data.sla_events, as_of=data.as_of, by=by, settings=data.settings)


def _csi(data: Dataset, by: list[str]) -> pd.DataFrame:
    if by not in ([], ["client_id"]):
        raise ValueError(f"The value for `by` of the CSI must be 'client_id' or nothing, but {by} was passed")
    return data.csi.client_quarters


VIEWS = {"funnel": _funnel, "survival": _survival, "sla": _sla, "csi": _csi}
"""What :func:`tidy_table` can show: funnel rates by quarter, survival at the horizons, SLA
compliance by quarter, CSI by client-quarter."""

ANALYSIS_OF = {"funnel": "staffing funnel", "survival": "placement survival", "sla": "SLA compliance",
               "csi": "CSI from interview transcripts"}
"""The :data:`~outstaff_analysis.io.coverage.ANALYSES` entry each view needs."""

PERIOD_COLUMNS = ("period", "quarter")


def tidy_table(data: Dataset, what: str, *, by=(), quarter=None) -> pd.DataFrame:
    """One question's tidy table as of the data set's date.

    Parameters
    ----------
    data : Dataset
        From :func:`outstaff_analysis.load` (load it as of the quarter's end to show that quarter).
    what : {"funnel", "survival", "sla", "csi"}
        Funnel conversion rates (with Wilson CIs), placement survival at the settings' horizons,
        SLA compliance, or CSI and factor scores per client-quarter.
    by : str or sequence of str
        Grouping columns (as the underlying function takes them).
    quarter : str, optional
        Keep only this quarter's rows (tables by quarter); survival is as of the data set's date.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If ``what`` is unknown, or the export lacks a table it needs.
    """
    if what not in VIEWS:
        raise ValueError(f"The value for `what` must be one of {list(VIEWS)}, but {what!r} was passed")
    support = data.supported_analyses().set_index("analysis").loc[ANALYSIS_OF[what]]
    if not support["supported"]:
        raise ValueError(f"`{what}` needs {support['missing']}, which the export in {data.data_dir} does not have")
    by = [by] if isinstance(by, str) else list(by)
    table = VIEWS[what](data, by)
    column = next((c for c in PERIOD_COLUMNS if c in table), None)
    if quarter is not None and column is not None:
        table = table[table[column] == str(parse_quarter(quarter))].reset_index(drop=True)
    return table


def write_table(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table by its suffix: ``.csv`` or ``.xlsx`` (formula-safe for spreadsheets), ``.parquet``.

    Raises
    ------
    ValueError
        For another suffix.
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        with atomic_path(path) as tmp:
            table.to_parquet(tmp, index=False)
        return path
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ValueError(f"The suffix of `--out` must be .csv, .xlsx or .parquet, but {path.name!r} was passed")
    return write_spreadsheet(table, path)


__all__ = ["VIEWS", "tidy_table", "write_table"]
