"""The ``outstaff`` command: thin commands, each one call into the library.

Errors of the package (bad input, missing files) end the command with exit code 1 and one
line on stderr, not a traceback.
"""

from __future__ import annotations

import functools
import gc
import math
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .config import resolve_data_dir
from .exceptions import OutstaffError
from .reporting.startup import skip_iri_grammars

skip_iri_grammars()  # before any command imports nbformat: 1.5 s less per run

app = typer.Typer(
    help="outstaff_analysis: placement survival, client satisfaction (CSI) and the staffing funnel "
    "of an IT outstaffing firm, from its CRM/ATS exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True)
errors = Console(stderr=True)

DataDirOption = typer.Option(
    None, "--data-dir", "-d",
    help="Data directory with raw/ and processed/ (default: $OUTSTAFF_DATA_DIR, else ./data).",
)
MappingOption = typer.Option(
    None, "--mapping", "-m",
    help="YAML file that renames the export's columns and recodes its values (default: raw/mapping.yaml if present).",
)

StrictOption = typer.Option(False, help="Exit with code 1 when any row is rejected.")


def _one_line_errors(command):
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (OutstaffError, ValueError) as exc:
            errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1) from None

    return wrapper


def _print_ingest(result, *, title: str) -> None:
    table = Table(title=title)
    for column in ("table", "file", "rows read", "valid", "rejected", "values emptied"):
        table.add_column(column, justify="right" if column not in ("table", "file") else "left")
    for row in result.summary().itertuples(index=False):
        style = "red" if row.rows_rejected else "yellow" if row.values_emptied else None
        table.add_row(row.table, Path(row.file).name, str(row.rows_read), str(row.rows_valid), str(row.rows_rejected),
                      str(row.values_emptied), style=style)
    console.print(table)
    for row in result.summary().itertuples(index=False):
        if row.ignored_columns:
            console.print(f"{row.table}: columns not in the data model were ignored: {row.ignored_columns}")
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    support = result.supported_analyses()
    console.print("Supported: " + ", ".join(support.loc[support["supported"], "analysis"]) + ".", highlight=False)
    for row in support[~support["supported"]].itertuples(index=False):
        console.print(f"Not supported: {row.analysis} (needs {row.missing}).", highlight=False)


@app.command()
@_one_line_errors
def demo(
    data_dir: Optional[Path] = DataDirOption,
    clients: int = typer.Option(40, help="Number of client companies."),
    years: int = typer.Option(3, help="Years of history (starting 2022)."),
    seed: int = typer.Option(20240101, help="Random seed: the same seed gives the same bytes."),
    force: bool = typer.Option(False, help="Overwrite raw/ even if it holds files that are not a demo firm."),
) -> None:
    """Generate the seeded synthetic demo firm into <data-dir>/raw."""
    from .demo.data_dir import write_demo_data

    firm = write_demo_data(data_dir, clients=clients, years=years, seed=seed, force=force)
    counts = ", ".join(f"{name} {len(frame):,}" for name, frame in firm.tables.items())
    console.print(f"Demo firm written to {resolve_data_dir(data_dir) / 'raw'}: {counts}; "
                  f"{len(firm.transcripts):,} transcripts.")


@app.command()
@_one_line_errors
def validate(
    data_dir: Optional[Path] = DataDirOption,
    mapping: Optional[Path] = MappingOption,
    strict: bool = StrictOption,
) -> None:
    """Check every raw table against the data model; write nothing."""
    from .io.store import validate_raw

    result = validate_raw(data_dir, mapping=mapping)
    _print_ingest(result, title="Validation of raw data")
    console.print(f"{result.total_rejected:,} rows would be rejected.")
    if strict and result.total_rejected:
        raise typer.Exit(code=1)


@app.command()
@_one_line_errors
def ingest(
    data_dir: Optional[Path] = DataDirOption,
    mapping: Optional[Path] = MappingOption,
    strict: bool = StrictOption,
) -> None:
    """Validate raw data and build <data-dir>/processed (Parquet), with rejects per table."""
    from .io.store import build_processed, processed_dir

    result = build_processed(data_dir, mapping=mapping)
    out = processed_dir(data_dir)
    _print_ingest(result, title="Raw -> processed")
    console.print(f"Processed tables in {out}; {result.total_rejected:,} rows rejected"
                  + (f" (reasons in {out / 'rejects'})." if result.total_rejected else "."))
    if strict and result.total_rejected:
        raise typer.Exit(code=1)


@app.command()
@_one_line_errors
def report(
    client: str = typer.Option(..., "--client", "-c", help="Client id (clients.client_id)."),
    quarter: str = typer.Option(..., "--quarter", "-q", help="Quarter, e.g. 2024Q4."),
    lang: Optional[str] = typer.Option(None, help="ru or en (default: the language of the client's interviews)."),
    data_dir: Optional[Path] = DataDirOption,
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="Folder for the HTML reports."),
    force: bool = typer.Option(False, "--force", help="Render even if the report is up to date."),
) -> None:
    """Render one client's quarterly report (HTML, no code)."""
    from .reporting.batch import render_quarter

    # this process renders the one report and exits: no fork server to import everything again
    result = render_quarter(resolve_data_dir(data_dir), quarter, out_dir=out, lang=lang, client_ids=[client],
                            portfolio=False, show_progress=False, force=force, in_this_process=True)
    _print_batch(result)


@app.command()
@_one_line_errors
def batch(
    quarter: str = typer.Option(..., "--quarter", "-q", help="Quarter, e.g. 2024Q4."),
    lang: Optional[str] = typer.Option(None, help="ru or en for every client (default: each client's language)."),
    data_dir: Optional[Path] = DataDirOption,
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="Folder for the HTML reports."),
    workers: Optional[int] = typer.Option(None, help="Reports rendered at once (default: the CPUs, or the "
                                                    "Dask cluster's threads)."),
    force: bool = typer.Option(False, "--force", help="Render also the reports that are up to date."),
    scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address (tcp://host:8786): render on that "
                                                       "cluster; its workers must see the same paths."),
    both_languages: Optional[list[str]] = typer.Option(
        None, "--both-languages", help="Client id whose report is also written in the other language "
        "(clients/<id>.<lang>.html); repeat for more clients."),
) -> None:
    """Render every client's quarterly report and the portfolio report, with an index page.

    Reports whose inputs (processed data, transcripts, settings, template, package) have not changed
    since they were rendered are skipped and listed as up to date.
    """
    from .reporting.workers import ForkServer

    # started first: it imports the report stack on the other core while this process plans
    fork_server = ForkServer() if scheduler is None else None
    from .reporting.batch import render_quarter

    try:
        result = render_quarter(resolve_data_dir(data_dir), quarter, out_dir=out, lang=lang, workers=workers,
                                force=force, scheduler=scheduler, both_languages=both_languages or (),
                                fork_server=fork_server)
    finally:
        if fork_server is not None:
            fork_server.close()
    _print_batch(result)


@app.command()
@_one_line_errors
def show(
    what: str = typer.Argument(..., help="funnel, survival, sla or csi."),
    by: Optional[list[str]] = typer.Option(
        None, "--by", "-b", help="Group by these columns (repeat, or separate with commas), e.g. --by client_id."),
    quarter: Optional[str] = typer.Option(
        None, "--quarter", "-q", help="Show this quarter (data as of its last day), e.g. 2024Q4."),
    data_dir: Optional[Path] = DataDirOption,
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", help="Write the table to a .csv, .xlsx or .parquet file instead of printing it."),
) -> None:
    """Print one question's tidy table (funnel rates, survival, SLA compliance, CSI), or write it to a file."""
    from .dataset import load
    from .show import tidy_table, write_table

    columns = [c.strip() for item in by or () for c in item.split(",") if c.strip()]
    data = load(data_dir, as_of=quarter)
    table = tidy_table(data, what, by=columns, quarter=quarter)
    if out is not None:
        write_table(table, out)
        console.print(f"{len(table):,} rows of `{what}` as of {data.as_of:%Y-%m-%d} written to {out}")
        return
    cells = [[_cell(v) for v in row] for row in table.itertuples(index=False)]
    # piped output is not cut to 80 columns: every header and value is printed whole
    widths = [max([len(str(c)), *(len(r[i]) for r in cells)]) for i, c in enumerate(table.columns)]
    wide = console if console.is_terminal else Console(width=sum(widths) + 3 * len(widths) + 1, soft_wrap=True)
    wide.print(_rich_table(table, cells, title=f"{what} as of {data.as_of:%Y-%m-%d}"))


def _rich_table(frame, cells, *, title: str) -> Table:
    table = Table(title=title)
    numeric = frame.dtypes.map(lambda t: t.kind in "biufc").to_numpy()
    for column, is_number in zip(frame.columns, numeric):
        table.add_column(str(column), justify="right" if is_number else "left")
    for row in cells:
        table.add_row(*row)
    return table


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}"
    return str(value)


def _print_batch(result) -> None:
    total, rendered, current = len(result.outcomes), len(result.rendered), len(result.up_to_date)
    if rendered == 0 and not result.failures:
        console.print(f"Nothing to render: all {total} reports are up to date (--force renders them again). "
                      f"Open {result.index.resolve()}")
    else:
        console.print(f"{rendered} of {total} reports rendered, {current} up to date. Open {result.index.resolve()}")
    for failure in result.failures:
        errors.print(f"[red]failed:[/] {failure.job.name}: {failure.error}", highlight=False)
    if result.failures:
        raise typer.Exit(code=1)


def main() -> None:
    """The ``outstaff`` program: run the command named on the command line, then exit.

    The process ends with its command, so what the command built is left to the operating system:
    without :func:`gc.freeze`, the report shell's reset and the interpreter's last garbage
    collections walk every object of the report stack once more (1.1 s of the 8.5 s one
    ``outstaff report`` took; 0.1 s with it).
    """
    try:
        app()
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
