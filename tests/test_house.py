"""House rules of the project itself: doctests run, the quick loop skips the slow test, no dead entries."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_docstring_examples_run_as_tests_and_slow_is_a_registered_marker():
    pytest_options = CONFIG["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in pytest_options["addopts"].split() and "src" in pytest_options["testpaths"]
    assert "--strict-markers" in pytest_options["addopts"].split()
    assert any(marker.startswith("slow:") for marker in pytest_options["markers"])


def test_the_2000_client_demo_test_is_marked_slow():
    tree = ast.parse((ROOT / "tests" / "test_demo.py").read_text(encoding="utf-8"))
    slow = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
            and any(ast.unparse(d) == "pytest.mark.slow" for d in f.decorator_list)}
    scaled = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and "clients=2000" in ast.unparse(f)}
    assert scaled and scaled <= slow


def test_every_package_data_entry_matches_a_file():
    package = ROOT / "src" / "outstaff_analysis"
    for pattern in CONFIG["tool"]["setuptools"]["package-data"]["outstaff_analysis"]:
        assert any(p.is_file() for p in package.glob(pattern)), pattern


def test_the_docs_extra_holds_what_builds_the_docs():
    extras = CONFIG["project"]["optional-dependencies"]
    assert {d.split(">")[0] for d in extras["docs"]} <= {d.split(">")[0] for d in extras["dev"]}
    assert any(d.startswith("mkdocstrings[python]") for d in extras["docs"])
