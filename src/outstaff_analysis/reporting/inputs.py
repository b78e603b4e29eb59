"""Everything a report reads, loaded once: the data set as of the report's quarter.

Reports see nothing after their as-of date (the quarter's last day): they load their data through
:func:`outstaff_analysis.load`, the analyst's entry point, so a report and a notebook on the same
data directory and date agree (same cut, same settings).
"""

from __future__ import annotations

import os

from ..dataset import Dataset, load

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
    """
    if as_of is None:
        raise ValueError("`as_of` is required: pass a date such as '2024-12-31' or a quarter such as '2024Q4'")
    return load(data_dir, as_of=as_of, client_ids=client_ids)
