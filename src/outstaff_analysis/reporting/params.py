"""Report parameters: one validated object per rendered report.

papermill only warns about unknown parameters and casts nothing, so every report notebook
calls :func:`client_report_params` (or :func:`portfolio_report_params`) right after its
``parameters`` cell, and :mod:`~outstaff_analysis.reporting.render` refuses names the template
does not declare.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..i18n import check_lang
from ..periods import parse_quarter


@dataclasses.dataclass(frozen=True)
class ReportParams:
    """Parameters of a report.

    Attributes
    ----------
    quarter : str
        Quarter reported on, ``YYYYQn``; the analysis is as of its last day.
    lang : str
        ``ru`` or ``en``.
    data_dir : pathlib.Path
        Data directory holding ``processed/``.
    client_id : str or None
        The client (None for the portfolio report).
    """

    quarter: str
    lang: str
    data_dir: Path
    client_id: str | None = None


def _check_str(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"The value for `{name}` must be a non-empty string, but {value!r} was passed")
    return value.strip()


def portfolio_report_params(*, quarter, lang, data_dir) -> ReportParams:
    """Validate the portfolio report's parameters.

    Raises
    ------
    ValueError
        Naming the parameter, what was passed and what was expected.
    """
    quarter = str(parse_quarter(_check_str("quarter", quarter)))
    lang = check_lang(_check_str("lang", lang))
    if isinstance(data_dir, Path):
        data_dir = str(data_dir)
    data_dir = Path(_check_str("data_dir", data_dir))
    if not (data_dir / "processed").is_dir():
        raise ValueError(f"The value for `data_dir` must be a directory with processed/, but {str(data_dir)!r} has none"
                         " (run `outstaff ingest`)")
    return ReportParams(quarter=quarter, lang=lang, data_dir=data_dir)


def client_report_params(*, client_id, quarter, lang, data_dir) -> ReportParams:
    """Validate a client report's parameters (see :func:`portfolio_report_params`)."""
    base = portfolio_report_params(quarter=quarter, lang=lang, data_dir=data_dir)
    return dataclasses.replace(base, client_id=_check_str("client_id", client_id))
