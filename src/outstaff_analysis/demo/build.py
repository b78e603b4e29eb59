"""Assemble the demo firm (:func:`generate_tables`) and write it as a raw data tree (:func:`write_demo`)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import FACTORS
from ..io.atomic import write_bytes_atomic
from ..schema import TABLES
from . import truth
from .accounts import CHURN_LOGIT, REQUESTS_PER_TENTH, TYPICAL_SATISFACTION, make_accounts
from .guard import check_target, stale_files, write_marker
from .interviews import simulate_interviews
from .placements import simulate_placements
from .service import simulate_sla
from .staff import SPECIALISTS_PER_CLIENT, hire_dates, make_staff
from .staffing import EARLY_WITHDRAWAL, OFFER_DECLINED, simulate_staffing, submissions_frame
from .timeline import Window

TRUTH_FILE = "truth.json"
"""Name of the generating-truth file written next to the demo tables."""

_STREAMS = ("accounts", "staff", "staffing", "placements", "sla", "interviews", "hiring", "wording")


@dataclasses.dataclass(frozen=True, repr=False)
class DemoFirm:
    """A generated demo firm.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        Table name -> frame with exactly the columns of ``schema.TABLES[name]`` (processed dtypes).
    transcripts : dict of str to str
        Path relative to ``transcripts/`` -> file text (empty when generated without transcripts).
    truth : dict
        The generating truth (JSON-able), as written to ``truth.json``.
    """

    tables: dict
    transcripts: dict
    truth: dict

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame):,}" for name, frame in self.tables.items())
        return f"DemoFirm(seed={self.truth['seed']}, {sizes}, transcripts={len(self.transcripts):,})"


def generate_tables(
    *,
    clients: int = 40,
    years: int = 3,
    seed: int = 20240101,
    start_year: int = 2022,
    transcripts: bool = True,
) -> DemoFirm:
    """Generate a synthetic outstaffing firm in memory.

    Parameters
    ----------
    clients : int
        Number of clients (at least 3); specialists, requests, placements and events scale with it
        (about 6 specialists, 25 requests, 50 placements and 500 submission rows per client over
        three years).
    years : int
        Calendar years in the data window.
    seed : int
        Seed; the same arguments give the same firm.
    start_year : int
        First year of the window; the export date ("as of") is the window's last day.
    transcripts : bool
        Also write interview transcripts (the slowest part).  The tables are the same either way:
        without transcripts the interviews table still lists their paths.

    Returns
    -------
    DemoFirm

    Examples
    --------
    >>> firm = generate_tables(clients=5, years=1, transcripts=False)
    >>> sorted(firm.tables) == sorted(TABLES)
    True
    """
    _check_int("clients", clients, 3)
    _check_int("years", years, 1)
    _check_int("seed", seed, 0)
    _check_int("start_year", start_year, 2000)
    window = Window(start_year, years)
    rng = dict(
        zip(_STREAMS, (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS))))
    )

    accounts = make_accounts(rng["accounts"], clients, window)
    staff = make_staff(rng["staff"], round(SPECIALISTS_PER_CLIENT * clients))
    staffing = simulate_staffing(rng["staffing"], accounts, staff, window)
    placements = simulate_placements(rng["placements"], accounts, staff, staffing, window)
    sla = simulate_sla(rng["sla"], accounts, placements, window)
    wording_seed = int(rng["wording"].integers(0, 2**63))
    interviews = simulate_interviews(
        rng["interviews"],
        accounts,
        window,
        terminated=placements.terminated,
        wording_seed=wording_seed,
        transcripts=transcripts,
    )

    submissions = submissions_frame(staffing, staff, window, moved=placements.moved)
    specialists = staff.frame.copy()
    first_work = _first_work(submissions, placements, staff, window)
    specialists["hired_at"] = hire_dates(rng["hiring"], first_work, window)
    tables = {
        "clients": accounts.frame,
        "specialists": specialists,
        "requests": staffing.requests,
        "submissions": submissions,
        "placements": placements.frame,
        "interviews": interviews.frame,
        "sla_events": sla,
    }
    tables = {name: _conform(tables[name], name) for name in TABLES}
    facts = _truth(seed, clients, window, accounts, staffing, placements, interviews)
    return DemoFirm(tables=tables, transcripts=interviews.transcripts, truth=facts)


def write_demo(raw_dir: str | os.PathLike, *, force: bool = False, **kwargs) -> DemoFirm:
    """Generate a demo firm and write it as a raw data tree.

    Writes ``<raw_dir>/<table>.csv`` (UTF-8, comma, ISO dates, empty cells for missing values),
    ``<raw_dir>/transcripts/<relpath>``, ``<raw_dir>/truth.json`` and a marker recording what it
    wrote (:mod:`.guard`).  Only those files are written, and only into an empty folder or one the
    demo wrote itself; files of an earlier demo run that this one does not write are removed.  The
    same arguments give byte-identical files.

    Parameters
    ----------
    raw_dir : str or os.PathLike
        Target directory (created if missing).
    force : bool
        Write even if ``raw_dir`` holds files the demo did not write (someone's real data).
    **kwargs
        Keyword arguments of :func:`generate_tables`.

    Returns
    -------
    DemoFirm

    Raises
    ------
    OutstaffError
        If ``raw_dir`` holds files the demo did not write and ``force`` is false.
    """
    raw = Path(raw_dir)
    firm = generate_tables(**kwargs)
    planned = {f"{name}.csv": table_to_csv(frame, name).encode("utf-8") for name, frame in firm.tables.items()}
    planned.update({f"transcripts/{relpath}": text.encode("utf-8") for relpath, text in firm.transcripts.items()})
    payload = json.dumps(firm.truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    planned[TRUTH_FILE] = payload.encode("utf-8")
    check_target(raw, planned, force=force)
    stale = stale_files(raw, planned)
    for relpath, data in planned.items():
        write_bytes_atomic(raw / relpath, data)
    for relpath in stale:  # files of an earlier, larger demo firm
        (raw / relpath).unlink()
    write_marker(raw, planned)
    return firm


def table_to_csv(frame: pd.DataFrame, name: str) -> str:
    """CSV text of a table as :func:`write_demo` writes it.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table with the processed dtypes.
    name : str
        Its name in :data:`~outstaff_analysis.schema.TABLES`.

    Returns
    -------
    str
        Comma-separated, header first; dates ``YYYY-MM-DD``, datetimes ``YYYY-MM-DD HH:MM:SS``,
        whole numbers without a decimal point, empty cells for missing values.
    """
    out = {}
    for col in TABLES[name].columns:
        values = frame[col.name]
        if col.kind in ("date", "datetime"):
            raw = values.to_numpy(dtype="datetime64[s]")
            text = np.datetime_as_string(raw, unit="D" if col.kind == "date" else "s").astype(object)
            text = np.char.replace(text.astype(str), "T", " ").astype(object)
            text[np.isnat(raw)] = ""
        elif col.kind == "float":
            x = values.to_numpy(dtype=float)
            text = np.array(
                [("" if np.isnan(v) else f"{v:.0f}" if v == int(v) else repr(v)) for v in x], dtype=object
            )
        elif col.kind == "int":
            text = values.astype("string").fillna("").to_numpy(dtype=object)
        else:
            text = values.fillna("").to_numpy(dtype=object)
        out[col.name] = text
    return pd.DataFrame(out).to_csv(index=False, lineterminator="\n")


def _conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Exactly the schema's columns, in order, with the processed dtypes (``str`` columns are built as
    object arrays of ``str``/``None`` already)."""
    kinds = {"date": "datetime64[ns]", "datetime": "datetime64[ns]", "float": "float64", "int": "Int64"}
    spec = TABLES[name]
    empty = {c: pd.Series([None] * len(frame), index=frame.index, dtype=object)
             for c in spec.names if c not in frame}  # optional columns the demo does not fill
    out = frame.assign(**empty)[list(spec.names)]
    return out.astype({c.name: kinds[c.kind] for c in spec.columns if c.kind in kinds})


def _first_work(submissions, placements, staff, window: Window) -> np.ndarray:
    """First day each specialist was shown to a client or placed (NaN if never)."""
    ids = staff.frame["specialist_id"]
    shown = submissions.groupby("specialist_id", sort=False)["at"].min()
    shown_days = ((ids.map(shown) - window.start) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    return np.fmin(shown_days, placements.first_day)


def _truth(seed: int, clients: int, window: Window, accounts, staffing, placements, interviews) -> dict:
    ids = [str(c) for c in accounts.ids]
    special = {role: ids[i] for role, i in accounts.special.items()}
    paused = np.flatnonzero(accounts.pause_from < window.days)
    quarters = [str(q) for q in pd.period_range(window.start, window.end, freq="Q")]

    def iso(day: float) -> str:
        return (window.start + pd.Timedelta(days=float(day))).date().isoformat()

    return {
        "seed": seed,
        "params": {"clients": clients, "years": window.years, "start_year": window.start_year},
        "data_window_start": window.start.date().isoformat(),
        "as_of": window.end.date().isoformat(),
        "hazard_per_100_months": truth.hazard_truth(truth.BAND_EDGES, truth.CAUSE_HAZARDS),
        "hazard_per_100_months_churny": truth.hazard_truth(
            truth.CHURNY_BAND_EDGES, truth.CHURNY_CAUSE_HAZARDS
        ),
        "special_clients": special,
        "factor_satisfaction": {
            cid: {f: round(float(v), 4) for f, v in zip(FACTORS, row)}
            for cid, row in zip(ids, accounts.satisfaction)
        },
        "factor_drift_per_year": {
            cid: {f: round(float(v), 4) for f, v in zip(FACTORS, row)}
            for cid, row in zip(ids, accounts.drift)
        },
        "rating_weights": dict(truth.RATING_WEIGHTS),
        "rating_noise_sd": truth.RATING_NOISE,
        "funnel_true_rates": {cid: round(float(p), 6) for cid, p in zip(ids, staffing.approve_per_shown)},
        "funnel_stage_probabilities": {
            cid: {
                "interview_per_shown": round(float((1 - EARLY_WITHDRAWAL) * pi), 6),
                "approved_per_interview": round(float(pa), 6),
                "offer_declined_per_approved": OFFER_DECLINED,
            }
            for cid, pi, pa in zip(ids, accounts.p_interview, accounts.p_approve)
        },
        "sla_true_compliance": truth.sla_truth(),
        "paused_accounts": {
            ids[i]: {
                "no_requests_from": iso(accounts.pause_from[i]),
                "requests_again_from": iso(accounts.pause_to[i])
                if accounts.pause_to[i] < window.days
                else None,
            }
            for i in paused
        },
        "account_terminations": {
            ids[i]: iso(d) for i, d in enumerate(placements.terminated) if d < window.days
        },
        "account_releases": {
            ids[i]: iso(d) for i, d in enumerate(placements.released) if d < window.days
        },
        "churn_model": {
            **{k: float(v) for k, v in CHURN_LOGIT.items()},
            "typical_satisfaction": TYPICAL_SATISFACTION,
            "requests_per_tenth": REQUESTS_PER_TENTH,
            "leave_lag_days": list(truth.LEAVE_LAG_DAYS),
        },
        "churn_hazard": {
            cid: {q: round(float(h), 6) for q, h in zip(quarters, row)}
            for cid, row in zip(ids, accounts.churn_hazard)
        },
        "interviews": interviews.truth,
        "notes": truth.NOTES,
    }


def _check_int(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"The value for `{name}` must be an integer >= {minimum}, but {value!r} was passed")
