"""Render every client's quarterly report (and the portfolio report) in parallel.

One client's failure does not stop the others: it is recorded, shown in the summary and on the
index page, and the command exits non-zero at the end.  Reports are written atomically, so a
rerun is always safe and replaces what was there.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..i18n import LANGS, check_lang, in_language, label
from ..io.atomic import folder_lock
from ..io.safe_paths import child_path
from ..io.store import load_processed
from ..periods import parse_quarter, quarter_bounds, seen_by
from .index_page import describe_failure, record_failure, write_index
from .outputs import clean_leftovers
from .render import execute_to_html, template_path


@dataclasses.dataclass(frozen=True)
class ReportJob:
    """One report to render."""

    name: str
    template: Path
    parameters: dict
    output: Path
    title: str


@dataclasses.dataclass(frozen=True)
class JobOutcome:
    """What happened to one job: ``error`` is None on success."""

    job: ReportJob
    error: str | None = None


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """Outcomes of a batch run and the index page that lists them."""

    outcomes: tuple[JobOutcome, ...]
    index: Path

    @property
    def failures(self) -> tuple[JobOutcome, ...]:
        """Jobs that failed."""
        return tuple(o for o in self.outcomes if o.error is not None)


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

    ``lang=None`` writes each client's report in the language of its interviews.  Clients in
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
    jobs = []
    if portfolio:
        jobs.append(ReportJob("portfolio", template_path("portfolio", templates),
                              {"quarter": quarter, "lang": portfolio_lang, "data_dir": data},
                              out_dir / quarter / "portfolio.html",
                              label("report.portfolio_title", portfolio_lang, quarter=quarter)))
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
            jobs.append(ReportJob(
                client_id + suffix, template_path("client_quarterly", templates),
                {"client_id": client_id, "quarter": quarter, "lang": job_lang, "data_dir": data},
                child_path(out_dir / quarter / "clients", client_id + suffix, ".html"),
                label("report.client_title", job_lang, client=name, quarter=quarter),
            ))
    return jobs


def _run(job: ReportJob) -> JobOutcome:
    try:
        execute_to_html(job.template, job.output, job.parameters, title=job.title)
        record_failure(job.output, job.name, None)
        return JobOutcome(job)
    except Exception as exc:  # noqa: BLE001 - one report's failure must not stop the batch
        failure = describe_failure(exc)
        record_failure(job.output, job.name, failure)
        where = f"cell {failure['cell']}, line {failure['line_no']} ({failure['line']}): " if "cell" in failure else ""
        return JobOutcome(job, error=where + failure["error"])


def run_jobs(jobs: list[ReportJob], *, index: Path, workers: int | None = None, show_progress: bool = True,
             lang: str = "ru") -> BatchResult:
    """Render ``jobs`` in parallel (each in its own kernel), with a progress bar, then write the index page."""
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    outcomes = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=not show_progress) as progress:
        task = progress.add_task("reports", total=len(jobs))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_run, job) for job in jobs]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes.append(outcome)
                progress.update(task, advance=1, description=f"reports (last: {outcome.job.name})")
    order = {job.name: i for i, job in enumerate(jobs)}
    outcomes.sort(key=lambda o: order[o.job.name])
    write_index(index.parent, lang=lang, quarter=index.parent.name)
    return BatchResult(tuple(outcomes), index)


def render_quarter(data_dir, quarter: str, *, out_dir, lang: str | None = None, client_ids=None,
                   portfolio: bool = True, workers: int | None = None, templates=None,
                   show_progress: bool = True, both_languages=()) -> BatchResult:
    """Render every client's report for ``quarter`` (and the portfolio report) with an index page.

    Parameters
    ----------
    data_dir : path-like
        Data directory with ``processed/`` (built by ``outstaff ingest``).
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
        Reports rendered at once.
    templates : path-like, optional
        Folder of the report templates (see :func:`~outstaff_analysis.reporting.render.templates_dir`).
    show_progress : bool
        Show a progress bar.
    both_languages : iterable of str
        Clients whose report is also written in the other language (``clients/<id>.<lang>.html``).

    Returns
    -------
    BatchResult

    Raises
    ------
    OutstaffError
        If another run is writing the same quarter's reports.
    """
    tables = load_processed(data_dir)
    out_dir = Path(out_dir)
    jobs = plan_jobs(tables, quarter, data_dir=Path(data_dir), out_dir=out_dir, lang=lang, client_ids=client_ids,
                     portfolio=portfolio, templates=templates, both_languages=tuple(both_languages))
    index = out_dir / str(parse_quarter(quarter)) / "index.html"
    with folder_lock(index.parent):
        clean_leftovers(index.parent)
        return run_jobs(jobs, index=index, workers=workers, show_progress=show_progress)
