"""Everything a report reads, loaded once: the data set as of the report's quarter.

Reports see nothing after their as-of date (the quarter's last day): they load their data through
:func:`outstaff_analysis.load`, the analyst's entry point, so a report and a notebook on the same
data directory and date agree (same cut, same settings).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..dataset import Dataset, load

REPORTS = "client and portfolio reports"
"""The :data:`~outstaff_analysis.io.coverage.ANALYSES` entry the reports need."""

ReportInputs = Dataset
"""What the report builders read: a :class:`~outstaff_analysis.dataset.Dataset`."""


def load_inputs(data_dir: str | os.PathLike, *, as_of, client_ids=None) -> Dataset:
    """Load the data set of ``data_dir`` as of ``as_of`` (required: a report is always as of a date).

    Parameters
    ----------
    data_dir : path-like
        Data directory with ``processed/`` (and ``raw/transcripts``).
    as_of : date-like or quarter
        Nothing after it is read.
    client_ids : iterable of str, optional
        Only these clients' transcripts are read (all by default).

    Raises
    ------
    ValueError
        Without ``as_of``, or when the export lacks a table the reports need (a funnel-only export).
    """
    if as_of is None:
        raise ValueError("`as_of` is required: pass a date such as '2024-12-31' or a quarter such as '2024Q4'")
    data = load(data_dir, as_of=as_of, client_ids=client_ids)
    support = data.supported_analyses().set_index("analysis").loc[REPORTS]
    if not support["supported"]:
        raise ValueError(f"the reports need {support['missing']}, which the export in {data.data_dir} does not have")
    return data


def settings_source(data: Dataset) -> Path | None:
    """The ``settings.yaml`` a report's settings came from (None: the package's defaults)."""
    path = Path(data.data_dir) / "settings.yaml"
    return path if path.is_file() else None
