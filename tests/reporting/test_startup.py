"""Processes that render reports skip the IRI grammars jsonschema would compile (1.5 s) for nothing."""

import subprocess
import sys

import pytest

CHECK = """
import sys
{setup}
import jsonschema, nbformat, papermill
assert "rfc3987_syntax" not in sys.modules, "the IRI grammars were compiled"
nbformat.validate(nbformat.v4.new_notebook())
import rfc3987_syntax  # an explicit import still works
print("ok")
"""


def _check(setup: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHECK.format(setup=setup)], capture_output=True, text=True)


@pytest.mark.parametrize("setup", [
    "import outstaff_analysis.cli",  # the outstaff command
    # what the fork server runs first
    "from outstaff_analysis.reporting.startup import skip_iri_grammars\nskip_iri_grammars()",
])
def test_report_processes_import_jsonschema_without_the_iri_grammars(setup):
    pytest.importorskip("rfc3987_syntax")
    assert "the IRI grammars were compiled" in _check("").stderr  # what any other process pays
    done = _check(setup)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
