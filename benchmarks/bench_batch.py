"""Benchmark: a quarter of reports for the demo firm, the batch engine vs a kernel per report.

In one run it:

1. creates the demo firm with the CLI (``outstaff demo`` + ``outstaff ingest``, timed);
2. renders the quarter (every client's report and the portfolio) with ``outstaff batch`` (timed:
   this plus step 1 is what ``make demo`` does after its pip install), then once more with nothing
   changed (it must render nothing);
3. renders one client cold with ``outstaff report`` (no cache, a fresh process: what a user waits);
4. renders the same reports the way the package used to, the baseline: papermill sequentially, a
   fresh Jupyter kernel per report, each report computing everything from ``data/processed``
   (``--baseline-reports N`` times the first N and scales);
5. checks that both ways give the same cell outputs;
6. splits a report's time into kernel start, imports, computation, chart rendering and HTML export:
   kernel start and imports measured on their own, the rest by timing matplotlib's ``print_figure``
   and nbconvert's export while rendering a few reports in one process.

Every phase runs in its own process, so peak memory (RSS, the process and its children) is per
phase.  Run: ``.venv/bin/python benchmarks/bench_batch.py [--quarter 2024Q4] [--baseline-reports N]``
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUTSTAFF = [sys.executable, "-m", "outstaff_analysis.cli"]


def _peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _phase(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--phase", *args], check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def phase_baseline(data: Path, out: Path, quarter: str, limit: int | None) -> dict:
    """Sequential papermill, a fresh kernel per report, every report computing from data/processed."""
    from outstaff_analysis.io.store import load_processed
    from outstaff_analysis.reporting.batch import plan_jobs
    from outstaff_analysis.reporting.firm_cache import cache_dir
    from outstaff_analysis.reporting.render import execute_to_html

    jobs = plan_jobs(load_processed(data), quarter, data_dir=data, out_dir=out)
    timed = jobs[:limit] if limit else jobs
    start = time.perf_counter()
    for job in timed:
        # nothing cached: each report computes everything it shows (scores, firm context) itself
        shutil.rmtree(cache_dir(data), ignore_errors=True)
        execute_to_html(job.template, job.output, job.parameters, title=job.title)
    wall = time.perf_counter() - start
    return {"reports": len(jobs), "timed": len(timed), "seconds": wall * len(jobs) / len(timed),
            "peak_rss_mib": _peak_rss_mib()}


def phase_engine(data: Path, out: Path, quarter: str) -> dict:
    """``render_quarter``, as ``outstaff batch`` calls it."""
    from outstaff_analysis.reporting.batch import render_quarter

    start = time.perf_counter()
    result = render_quarter(data, quarter, out_dir=out, show_progress=False)
    wall = time.perf_counter() - start
    return {"reports": len(result.outcomes), "rendered": len(result.rendered), "failed": len(result.failures),
            "seconds": wall, "peak_rss_mib": _peak_rss_mib()}


def phase_shares(data: Path, out: Path, quarter: str, reports: int) -> dict:
    """Kernel start and import times, and per-report computation / chart rendering / export in one process."""
    import os

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    imports = "; ".join(f"import {m.partition(':')[0]}" for m in _preload())
    bare = min(_timed([sys.executable, "-c", "pass"]) for _ in range(3))
    imported = min(_timed([sys.executable, "-c", imports]) for _ in range(3))

    from jupyter_client.manager import start_new_kernel

    starts = []
    for _ in range(3):
        start = time.perf_counter()
        manager, client = start_new_kernel(kernel_name="python3")
        starts.append(time.perf_counter() - start)
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    import importlib

    for entry in _preload():
        module, _, function = entry.partition(":")
        loaded = importlib.import_module(module)
        if function:
            getattr(loaded, function)()
    from matplotlib.backend_bases import FigureCanvasBase
    from nbconvert.exporters.html import HTMLExporter

    from outstaff_analysis.io.store import load_processed
    from outstaff_analysis.reporting.batch import plan_jobs
    from outstaff_analysis.reporting.inputs import prepare_inputs
    from outstaff_analysis.reporting.render import render_job

    spent = {"png": 0.0, "export": 0.0}

    def timing(name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return wrapper

    FigureCanvasBase.print_figure = timing("png", FigureCanvasBase.print_figure)
    HTMLExporter.from_notebook_node = timing("export", HTMLExporter.from_notebook_node)
    prepare_inputs(data, as_of=quarter)
    jobs = plan_jobs(load_processed(data), quarter, data_dir=data, out_dir=out)[1:reports + 1]
    total = 0.0
    for job in jobs:
        total += render_job(template=str(job.template), output_html=str(job.output), parameters=job.parameters,
                            title=job.title)["seconds"]
    n = len(jobs)
    return {"kernel_start": sum(starts) / len(starts), "imports": imported - bare, "png": spent["png"] / n,
            "export": spent["export"] / n, "computation": (total - spent["png"] - spent["export"]) / n}


def _preload():
    from outstaff_analysis.reporting.workers import PRELOAD

    return PRELOAD


def _same_outputs(old: Path, new: Path) -> tuple[int, list[str]]:
    compared, differing = 0, []
    for executed in sorted(old.rglob("*.ipynb")):
        twin = new / executed.relative_to(old)
        a, b = (json.loads(p.read_text(encoding="utf-8"))["cells"] for p in (executed, twin))
        compared += 1
        if [c.get("outputs") for c in a] != [c.get("outputs") for c in b]:
            differing.append(executed.stem)
    return compared, differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default="2024Q4")
    parser.add_argument("--baseline-reports", type=int, default=None,
                        help="time only the first N baseline reports and scale (default: all)")
    parser.add_argument("--profile-reports", type=int, default=5)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, data, out = args.phase[0], Path(args.phase[1]), Path(args.phase[2])
        if name == "baseline":
            result = phase_baseline(data, out, args.quarter, args.baseline_reports)
        elif name == "engine":
            result = phase_engine(data, out, args.quarter)
        else:
            result = phase_shares(data, out, args.quarter, args.profile_reports)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        setup = _timed([*OUTSTAFF, "demo", "--data-dir", str(data)]) + _timed([*OUTSTAFF, "ingest", "--data-dir",
                                                                               str(data)])
        pristine = tmp / "pristine"
        shutil.copytree(data, pristine)
        batch = _timed([*OUTSTAFF, "batch", "--data-dir", str(data), "--quarter", args.quarter, "--out",
                        str(tmp / "cli")])
        engine_data = tmp / "engine"
        shutil.copytree(pristine, engine_data)
        engine = _phase("engine", str(engine_data), str(tmp / "new"), "--quarter", args.quarter)
        rerun = _phase("engine", str(engine_data), str(tmp / "new"), "--quarter", args.quarter)
        one_data = tmp / "one"
        shutil.copytree(pristine, one_data)
        client = "C002"
        one = _timed([*OUTSTAFF, "report", "--client", client, "--quarter", args.quarter, "--data-dir",
                      str(one_data), "--out", str(tmp / "one-out")])
        base_data = tmp / "base"
        shutil.copytree(pristine, base_data)
        extra = ["--baseline-reports", str(args.baseline_reports)] if args.baseline_reports else []
        baseline = _phase("baseline", str(base_data), str(tmp / "old"), "--quarter", args.quarter, *extra)
        compared, differing = _same_outputs(tmp / "old", tmp / "new")
        shares = _phase("shares", str(pristine), str(tmp / "profile"), "--quarter", args.quarter,
                        "--profile-reports", str(args.profile_reports))

    n = engine["reports"]
    per_new, per_old = engine["seconds"] / n, baseline["seconds"] / n
    print(f"demo firm, {args.quarter}: {n} reports (clients + portfolio)")
    print(f"baseline (papermill, a kernel per report, sequential; {baseline['timed']} timed"
          f"{', scaled' if baseline['timed'] < n else ''}): {baseline['seconds']:.1f} s, {per_old:.2f} s/report, "
          f"peak {baseline['peak_rss_mib']:.0f} MiB")
    print(f"batch engine (forked pre-imported workers, firm-wide inputs once): {engine['seconds']:.1f} s, "
          f"{per_new:.2f} s/report, peak {engine['peak_rss_mib']:.0f} MiB (largest process)")
    print(f"ratio: {per_old / per_new:.1f}x")
    print(f"rerun with nothing changed: {rerun['rendered']} rendered, {rerun['seconds']:.1f} s")
    print(f"outstaff report (one client, cold): {one:.1f} s")
    print(f"make demo after pip install (demo + ingest + batch through the CLI): {setup + batch:.1f} s "
          f"(demo + ingest {setup:.1f} s, batch {batch:.1f} s)")
    print(f"cell outputs identical to the baseline's: {compared - len(differing)} of {compared} notebooks"
          + (f" (differ: {', '.join(differing)})" if differing else ""))
    work = shares["computation"] + shares["png"] + shares["export"]
    old_parts = {"kernel start": shares["kernel_start"], "imports": shares["imports"], **_parts(shares)}
    new_parts = {"kernel start": 0.0, "imports": 0.0, **_parts(shares)}
    print(f"time shares of one report (kernel start and imports measured alone, {args.profile_reports} reports "
          f"profiled; the engine pays imports once per batch and forks instead of starting a kernel):")
    for title, parts in (("baseline", old_parts), ("engine", new_parts)):
        total = sum(parts.values())
        print(f"  {title:8s} " + ", ".join(f"{k} {v:.2f} s ({v / total:.0%})" for k, v in parts.items()))
    print(f"  (the baseline's computation also scores the client's transcripts and fits the CSI model: "
          f"{max(per_old - old_parts['kernel start'] - old_parts['imports'] - work, 0):.2f} s more per report)")


def _parts(shares: dict) -> dict:
    return {"computation": shares["computation"], "chart rendering": shares["png"], "HTML export": shares["export"]}


if __name__ == "__main__":
    main()
