"""Report parameters: the contract between a template and whoever runs it (``outstaff``, Airflow, cron).

A template's ``parameters`` cell holds no real data: ``client_id`` and ``quarter`` default to
``""`` (required), ``lang`` to ``""`` (the client's interview language) and ``data_dir`` to
``""`` (``$OUTSTAFF_DATA_DIR``, else ``./data``).  The template's next code cell calls
:func:`client_report_params` (or :func:`portfolio_report_params`), which fails before any data is
loaded, with a message naming the parameter, when

- a parameter is missing (a required one left at ``""``),
- a name was passed that the template does not declare (papermill itself only warns "Passed
  unknown parameter" and runs on: the names of the cell papermill injected are read from the
  kernel's input history and checked here),
- a value has the wrong type (papermill's ``-p client_id 007`` passes the number 7; ``-r`` passes
  it raw, as text),
- or the client is not in the clients table.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from ..config import resolve_data_dir
from ..i18n import check_lang
from ..io.store import load_processed
from ..periods import parse_quarter

CLIENT_PARAMETERS = ("client_id", "quarter", "lang", "data_dir")
PORTFOLIO_PARAMETERS = ("quarter", "lang", "data_dir")
INJECTED_MARKER = "# Parameters"
"""First line of the cell papermill injects after a template's ``parameters`` cell."""


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


def injected_names(history: list[str]) -> list[str]:
    """Names assigned in the cells papermill injected, in order, from a kernel's input history (``In``)."""
    names: list[str] = []
    for source in history:
        if not source.lstrip().startswith(INJECTED_MARKER):
            continue
        for node in ast.parse(source).body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return list(dict.fromkeys(names))


def check_injected(declared, history: list[str] | None = None) -> None:
    """Fail if papermill injected a parameter the template does not declare.

    Parameters
    ----------
    declared : sequence of str
        The template's parameters.
    history : list of str, optional
        The sources of the cells run so far; by default the running IPython kernel's ``In``
        (outside IPython there is nothing to check).

    Raises
    ------
    ValueError
        Naming each unknown parameter and the declared ones.
    """
    if history is None:
        from IPython import get_ipython

        shell = get_ipython()
        history = list(shell.user_ns.get("In", [])) if shell is not None else []
    unknown = [name for name in injected_names(history) if name not in declared]
    if unknown:
        raise ValueError(f"unknown report parameter(s) {unknown}: this template declares only {list(declared)} "
                         "(a misspelt name?)")


def _check_str(name: str, value, *, required: bool = True) -> str:
    if not isinstance(value, str):
        hint = f" (papermill's -p reads {value!r} as a number: pass text with -r {name} ...)" \
            if isinstance(value, (int, float)) else ""
        raise ValueError(  # noqa: TRY004 - a ValueError like every other bad parameter value
            f"The value for `{name}` must be a string, but {value!r} ({type(value).__name__}) was passed{hint}")
    if required and not value.strip():
        raise ValueError(f"The parameter `{name}` is required but was not passed (papermill: -p {name} ...)")
    return value.strip()


def portfolio_report_params(*, quarter, lang, data_dir, history: list[str] | None = None) -> ReportParams:
    """Validate the portfolio report's parameters.

    Parameters
    ----------
    quarter : str
        ``YYYYQn``.
    lang : str
        ``ru`` or ``en`` (``""``: Russian).
    data_dir : str
        Data directory (``""``: ``$OUTSTAFF_DATA_DIR``, else ``./data``).
    history : list of str, optional
        Sources of the cells run so far (see :func:`check_injected`).

    Raises
    ------
    ValueError
        Naming the parameter, what was passed and what was expected.
    """
    check_injected(PORTFOLIO_PARAMETERS, history)
    return _base(quarter, _check_str("lang", lang, required=False) or "ru", data_dir)


def client_report_params(*, client_id, quarter, lang, data_dir, history: list[str] | None = None) -> ReportParams:
    """Validate a client report's parameters; the client must be in the clients table.

    ``lang=""`` reports in the client's interview language.  Only the clients (and interviews)
    tables are read, so a wrong client fails in a second, not after the report's data is built.
    See :func:`portfolio_report_params`.
    """
    check_injected(CLIENT_PARAMETERS, history)
    client_id = _check_str("client_id", client_id)
    lang = _check_str("lang", lang, required=False)
    base = _base(quarter, lang or "ru", data_dir)
    tables = load_processed(base.data_dir, tables=["clients", "interviews"])
    if client_id not in set(tables["clients"]["client_id"]):
        raise ValueError(f"The value for `client_id` must be a client of the clients table in {base.data_dir}, "
                         f"but {client_id!r} was passed")
    if not lang:
        from .batch import client_languages

        base = dataclasses.replace(base, lang=client_languages(tables, base.quarter)[client_id])
    return dataclasses.replace(base, client_id=client_id)


def _base(quarter, lang, data_dir) -> ReportParams:
    quarter = str(parse_quarter(_check_str("quarter", quarter)))
    lang = check_lang(_check_str("lang", lang))
    if isinstance(data_dir, Path):
        data_dir = str(data_dir)
    data_dir = resolve_data_dir(_check_str("data_dir", data_dir, required=False) or None)
    if not (data_dir / "processed").is_dir():
        raise ValueError(f"The value for `data_dir` must be a directory with processed/, but {str(data_dir)!r} has none"
                         " (run `outstaff ingest`)")
    return ReportParams(quarter=quarter, lang=lang, data_dir=data_dir)
