"""The backtest benchmark runs end to end on a small demo firm.

It once scored its transcripts lazily, after the temporary folder holding them was removed, and
every transcript was "not found"; nothing ran it, so the README's track record went stale.
"""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "backtest_health.py"


def test_the_backtest_benchmark_runs_on_a_small_demo_firm(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--clients", "20", "--years", "3", "--bootstrap", "20"],
                            check=False, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    scored = next(line for line in result.stdout.splitlines() if line.startswith("demo firm:"))
    assert "20 clients, 3 years" in scored and " 0 interviews" not in scored
    assert [line.split(":")[1].split()[0] for line in result.stdout.splitlines() if line.startswith("target:")] == [
        "model", "every", "calibration"]
