"""Render every client's quarterly report (and the portfolio report) for a quarter.

How a batch runs:

1. Plan: one job per report, each with the hash of its inputs (:mod:`.freshness`).  Reports whose
   HTML and executed notebook carry that hash are "up to date" and skipped unless ``force``.
2. Prepare: the firm-wide inputs of the quarter (every client's scored transcripts, the firm's
   context) are computed once, in a worker, into the data directory's cache
   (:func:`.inputs.prepare_inputs`); a rerun with unchanged data reads them back.  Client reports
   start beside it in the other slots (one that starts before the cache is there scores its own
   client, which gives the same numbers); the portfolio report, which reads every client, waits
   for it.
3. Render: each report runs from its template under the papermill contract in a process of its own,
   forked from a pre-imported fork server (:mod:`.workers`), locally or on a Dask cluster
   (:mod:`.runners`), with a progress bar of reports done, running, failed and up to date.

One client's failure does not stop the others: it is recorded, shown in the summary and on the
index page, and the command exits non-zero at the end.  Reports are written atomically, so a
rerun is always safe and replaces what was there.

Why forked processes
--------------------
Measured on the demo firm (31 client reports and the portfolio) on this project's 2-core machine,
``benchmarks/bench_batch.py`` (2026-12-03): a Jupyter kernel per report spends 0.7 s starting and
6.0 s importing pandas, matplotlib, seaborn, lifelines, nbconvert and the report code before the
first cell computes anything, against 1.1 s of computation, 0.8 s of PNG rendering and 0.1 s of
HTML export that are the report's own work.  Of the ways to pay that once, a warm kernel reset between reports (``%reset``) cannot
promise isolation: module globals, ``functools`` caches, matplotlib's rcParams and registered
hooks, warning filters and the random generators all survive a namespace reset, and verifying a
reset means enumerating them.  A process forked from a server that has imported everything but
never run a report starts from exactly that state every time, so no data, cache, global, plot
setting or random state of one report can reach the next, by construction and without a list to
keep up to date; a fork costs a few milliseconds.  The forked process runs the cells in an
in-process IPython shell (:mod:`.inprocess`), with papermill still injecting parameters and
keeping them in the executed notebook, which saves the ZeroMQ round trips of a kernel as well.
The batch renders at 1.42 s per report against 10.43 s for a kernel per report (7.3x).
A killed or crashing process loses only its own report.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path

import pandas as pd

from ..config import resolve_settings
from ..i18n import LANGS, check_lang, in_language, label
from ..io.atomic import folder_lock
from ..io.safe_paths import child_path
from ..io.store import load_processed
from ..periods import parse_quarter, quarter_bounds, seen_by
from .fingerprint import settings_digest, tables_digest, transcripts_digest
from .freshness import is_current, report_inputs_key
from .index_page import describe_failure, record_failure, recorded_failure, write_index
from .outputs import clean_leftovers
from .progress import BatchProgress
from .render import template_path
from .runners import make_runner
from .workers import ForkServer

RENDER_CALL = "outstaff_analysis.reporting.render:render_job"
PREPARE_CALL = "outstaff_analysis.reporting.inputs:prepare_inputs"

RENDERED, UP_TO_DATE, FAILED = "rendered", "up to date", "failed"


@dataclasses.dataclass(frozen=True)
class ReportJob:
    """One report to render; ``inputs`` is the hash of its inputs (empty: always render);
    ``firm_wide``: it reads every client's data (it waits for the batch's preparation)."""

    name: str
    template: Path
    parameters: dict
    output: Path
    title: str
    inputs: str = ""
    firm_wide: bool = False


@dataclasses.dataclass(frozen=True)
class JobOutcome:
    """What happened to one job: ``status`` is rendered, up to date or failed (``error`` says why)."""

    job: ReportJob
    error: str | None = None
    status: str = RENDERED

    def __post_init__(self):
        if self.error is not None:
            object.__setattr__(self, "status", FAILED)


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """Outcomes of a batch run and the index page that lists them."""

    outcomes: tuple[JobOutcome, ...]
    index: Path

    @property
    def failures(self) -> tuple[JobOutcome, ...]:
        """Jobs that failed."""
        return tuple(o for o in self.outcomes if o.status == FAILED)

    @property
    def rendered(self) -> tuple[JobOutcome, ...]:
        """Jobs rendered in this run."""
        return tuple(o for o in self.outcomes if o.status == RENDERED)

    @property
    def up_to_date(self) -> tuple[JobOutcome, ...]:
        """Jobs skipped because their report was current."""
        return tuple(o for o in self.outcomes if o.status == UP_TO_DATE)


def client_languages(tables: dict[str, pd.DataFrame], quarter: str) -> pd.Series:
    """Report language of each client: the most common language of its interviews held by the end of
    ``quarter``, else Russian."""
    interviews = seen_by(tables["interviews"], "held_at", quarter)
    spoken = interviews[interviews["language"].isin(["ru", "en"])].groupby("client_id")["language"].agg(
        lambda s: s.value_counts().sort_index().idxmax())
    return tables["clients"]["client_id"].map(spoken).fillna("ru").set_axis(tables["clients"]["client_id"])


def clients_in_quarter(tables: dict[str, pd.DataFrame], quarter: str) -> list[str]:
    """Clients with something to report in ``quarter``: a placement active or a request opened in it."""
    start, end = quarter_bounds(quarter)
    placements, requests = tables["placements"], tables["requests"]
    active = placements[(placements["started_at"] <= end)
                        & (placements["ended_at"].isna() | (placements["ended_at"] >= start))]
    opened = requests[(requests["opened_at"] >= start) & (requests["opened_at"] < end + pd.Timedelta(days=1))]
    return sorted(set(active["client_id"]) | set(opened["client_id"]))


def plan_jobs(tables, quarter: str, *, data_dir: Path, out_dir: Path, lang: str | None = None,
              client_ids=None, portfolio: bool = True, portfolio_lang: str = "ru", templates=None,
              both_languages=()) -> list[ReportJob]:
    """The portfolio report plus one report per client (all clients of the quarter by default).

    ``lang=None`` writes each client's report in the language of its interviews.  Each job carries
    the hash of its inputs: the processed tables, the transcripts it reads (the client's own, or
    all for the portfolio), the settings, the template, its parameters and the package.
    Clients in
    ``both_languages`` also get their report in the other language, as
    ``clients/<client_id>.<lang>.html``.
    """
    quarter = str(parse_quarter(quarter))
    if lang is not None:
        check_lang(lang)
    clients = tables["clients"].set_index("client_id")
    if client_ids is None:
        client_ids = clients_in_quarter(tables, quarter)
    unknown = sorted(set(client_ids) - set(clients.index))
    if unknown:
        raise ValueError(f"The value for `client_ids` must list known clients, but {unknown} are not in clients")
    languages = client_languages(tables, quarter)
    data = str(Path(data_dir).resolve())
    common = {"tables": tables_digest(data_dir), "settings": settings_digest(resolve_settings(None, data_dir))}
    interviews = tables["interviews"]
    jobs = []

    def job(name, template, parameters, output, title, transcripts, firm_wide=False) -> ReportJob:
        key = report_inputs_key(template=template, parameters=parameters, transcripts=transcripts, **common)
        return ReportJob(name, template, parameters, output, title, key, firm_wide)

    if portfolio:
        parameters = {"quarter": quarter, "lang": portfolio_lang, "data_dir": data}
        jobs.append(job("portfolio", template_path("portfolio", templates), parameters,
                        out_dir / quarter / "portfolio.html",
                        label("report.portfolio_title", portfolio_lang, quarter=quarter),
                        transcripts_digest(data_dir, interviews), firm_wide=True))
    unknown = sorted(set(both_languages) - set(client_ids))
    if unknown:
        raise ValueError(f"The value for `both_languages` must list clients being reported, but {unknown} are not")
    for client_id in client_ids:
        report_lang = lang or languages[client_id]
        extra = [other for other in LANGS if other != report_lang] if client_id in both_languages else []
        for job_lang in [report_lang, *extra]:
            suffix = "" if job_lang == report_lang else f".{job_lang}"
            name = in_language(clients.loc[client_id, "client_name"], job_lang,
                               latin=clients.loc[client_id].get("client_name_latin"))
            parameters = {"client_id": client_id, "quarter": quarter, "lang": job_lang, "data_dir": data}
            jobs.append(job(
                client_id + suffix, template_path("client_quarterly", templates), parameters,
                child_path(out_dir / quarter / "clients", client_id + suffix, ".html"),
                label("report.client_title", job_lang, client=name, quarter=quarter),
                transcripts_digest(data_dir, interviews[interviews["client_id"] == client_id]),
            ))
    return jobs


def _job_call(job: ReportJob) -> dict:
    return {"template": str(job.template), "output_html": str(job.output), "parameters": job.parameters,
            "title": job.title, "inputs": job.inputs}


def run_jobs(jobs: list[ReportJob], *, index: Path, workers: int | None = None, show_progress: bool = True,
             lang: str = "ru", force: bool = False, scheduler=None, prepare: dict | None = None,
             fork_server: ForkServer | None = None, in_this_process: bool = False) -> BatchResult:
    """Render ``jobs``, each in a fresh forked process, with a progress bar; then write the index page.

    Parameters
    ----------
    jobs : list of ReportJob
    index : Path
        The index page to write.
    workers : int, optional
        Reports rendered at once (default: the CPUs, or the Dask cluster's threads).
    show_progress : bool
    lang : {"ru", "en"}
        Language of the index page.
    force : bool
        Render also the reports that are up to date.
    scheduler : str or distributed.Client, optional
        Render on this Dask cluster instead of locally.
    prepare : dict, optional
        Keyword arguments of :func:`.inputs.prepare_inputs`, run once when more than one report is
        to be rendered (firm-wide inputs computed once, not per report), beside the first reports.
    fork_server : ForkServer, optional
        A fork server started before planning, to render on (it is stopped at the end, also when
        nothing needed it).
    in_this_process : bool
        A single report to render runs in this process (which must render nothing else and exit
        after, as ``outstaff report`` does) instead of a forked one.
    """
    current = {job.name for job in jobs if not force and job.inputs and is_current(job.output, job.inputs)}
    todo = [job for job in jobs if job.name not in current]
    outcomes = {name: JobOutcome(next(j for j in jobs if j.name == name), status=UP_TO_DATE) for name in current}
    try:
        if todo:
            runner = make_runner(scheduler, workers, calls=len(todo), fork_server=fork_server,
                                 in_this_process=in_this_process)
            try:
                prepared = runner.submit(PREPARE_CALL, **prepare) if prepare is not None and len(todo) > 1 else None
                outcomes.update(_render_all(runner, todo, prepared, skipped=len(current),
                                            show_progress=show_progress))
            finally:
                runner.close()
    finally:
        if fork_server is not None:
            fork_server.close()
    ordered = tuple(outcomes[job.name] for job in jobs)
    write_index(index.parent, lang=lang, quarter=index.parent.name)
    return BatchResult(ordered, index)


def _render_all(runner, jobs: list[ReportJob], prepared: Future | None, *, skipped: int,
                show_progress: bool) -> dict[str, JobOutcome]:
    """Render ``jobs``, keeping the runner's slots busy; ``prepared`` (the preparation in flight)
    holds a slot, and the firm-wide reports wait for it.

    If the preparation fails, each report computes its own inputs and fails on its own, named.
    """
    waiting, held = list(reversed(jobs)), []
    if prepared is not None:
        waiting, held = [j for j in waiting if not j.firm_wide], [j for j in jobs if j.firm_wide]
    running, outcomes = {}, {}
    with BatchProgress(len(jobs), skipped=skipped, show=show_progress) as progress:
        while waiting or running or held:
            while waiting and len(running) + (prepared is not None) < runner.slots:
                job = waiting.pop()
                running[runner.submit(RENDER_CALL, **_job_call(job))] = job
                progress.started()
            done, _ = wait([*running, *([prepared] if prepared is not None else [])], return_when=FIRST_COMPLETED)
            for future in done:
                if future is prepared:  # its failure is met again, and named, by the reports
                    prepared, waiting = None, [*waiting, *reversed(held)]
                    held = []
                    continue
                job = running.pop(future)
                error = future.exception()
                outcomes[job.name] = _outcome(job, error)
                progress.finished(job.name, failed=error is not None)
    return outcomes


def _outcome(job: ReportJob, error: BaseException | None) -> JobOutcome:
    """The outcome of a rendered job, its failure (failing cell, source line, error) recorded for the index."""
    if error is None:
        record_failure(job.output, job.name, None)
        return JobOutcome(job)
    failure = recorded_failure(job.output)  # the worker describes its own failure
    if failure is None:  # it died before it could
        failure = {**describe_failure(error), "error": _one_line(error)}
        record_failure(job.output, job.name, failure)
    where = f"cell {failure['cell']}, line {failure['line_no']} ({failure['line']}): " if "cell" in failure else ""
    return JobOutcome(job, error=where + failure["error"])


def _one_line(error: BaseException) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return (lines[-1] if lines else type(error).__name__)[:500]


def render_quarter(data_dir, quarter: str, *, out_dir, lang: str | None = None, client_ids=None,
                   portfolio: bool = True, workers: int | None = None, templates=None,
                   show_progress: bool = True, force: bool = False, scheduler=None, both_languages=(),
                   fork_server: ForkServer | None = None, in_this_process: bool = False) -> BatchResult:
    """Render every client's report for ``quarter`` (and the portfolio report) with an index page.

    Parameters
    ----------
    data_dir : path-like
        Data directory with ``processed/`` (built by ``outstaff ingest``).  Firm-wide inputs are
        cached in its ``cache/`` folder.
    quarter : str
        ``YYYYQn``.
    out_dir : path-like
        Reports go to ``<out_dir>/<quarter>/``: ``index.html``, ``portfolio.html``,
        ``clients/<client_id>.html``.
    lang : {"ru", "en"}, optional
        Language of the client reports; by default each client's interview language.
    client_ids : iterable of str, optional
        Only these clients (default: every client with a placement or request in the quarter).
    portfolio : bool
        Also render the portfolio report.
    workers : int, optional
        Reports rendered at once (default: the CPUs, or the Dask cluster's threads).
    templates : path-like, optional
        Folder of the report templates (see :func:`~outstaff_analysis.reporting.render.templates_dir`).
    show_progress : bool
        Show a progress bar.
    force : bool
        Render also the reports whose inputs have not changed since they were rendered.
    scheduler : str or distributed.Client, optional
        Address of a Dask scheduler (``tcp://host:8786``) or a client: render there.  The workers
        must see ``data_dir``, the templates and ``out_dir`` at the same paths.
    both_languages : iterable of str
        Clients whose report is also written in the other language (``clients/<id>.<lang>.html``).
    fork_server : ForkServer, optional
        Render on this fork server, started by the caller before this call so that it imports the
        report stack while the data is loaded and the jobs planned (``outstaff batch`` does); it is
        stopped at the end.
    in_this_process : bool
        A single report runs in this process, which renders nothing else and exits after (what
        ``outstaff report`` does: a fork server would import everything a second time).

    Returns
    -------
    BatchResult

    Raises
    ------
    OutstaffError
        If another run is writing the same quarter's reports.
    """
    data_dir = Path(data_dir).resolve()
    tables = load_processed(data_dir)
    out_dir = Path(out_dir).resolve()
    quarter = str(parse_quarter(quarter))
    jobs = plan_jobs(tables, quarter, data_dir=data_dir, out_dir=out_dir, lang=lang, client_ids=client_ids,
                     portfolio=portfolio, templates=templates, both_languages=tuple(both_languages))
    index = out_dir / quarter / "index.html"
    with folder_lock(index.parent):
        clean_leftovers(index.parent)
        return run_jobs(jobs, index=index, workers=workers, show_progress=show_progress, force=force,
                        scheduler=scheduler, prepare={"data_dir": str(data_dir), "as_of": quarter},
                        fork_server=fork_server, in_this_process=in_this_process)
