"""The docs build without a warning (mkdocs --strict), and every API call they show exists."""

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import outstaff_analysis as oa
from outstaff_analysis.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]


def test_docs_build_strictly(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    tour = (tmp_path / "site" / "tour" / "index.html").read_text(encoding="utf-8")
    assert "oa.load_demo()" in tour
    api = (tmp_path / "site" / "api" / "entry" / "index.html").read_text(encoding="utf-8")
    assert 'id="outstaff_analysis.dataset.load"' in api and "Nothing after the end of this day is seen" in api


def test_every_call_in_the_docs_exists():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    calls = set(re.findall(r"\boa\.(\w+)(?:\.(\w+))?", text))
    assert len(calls) > 12
    for module, name in calls:
        target = getattr(oa, module)
        if name:
            assert hasattr(target, name), f"oa.{module}.{name}"
    known = {*dir(oa.Dataset), *(f.name for f in dataclasses.fields(oa.Dataset)), *TABLES}
    for attribute in set(re.findall(r"\bdata\.(\w+)", text)):
        assert attribute in known, f"data.{attribute}"
