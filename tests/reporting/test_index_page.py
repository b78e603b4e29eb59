"""The index page: built from the reports on disk, attention first, failures with their cell and line."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from outstaff_analysis.reporting.display import REPORT_MIMETYPE
from outstaff_analysis.reporting.index_page import describe_failure, record_failure, write_index


def _report(folder, name, record):
    """An executed report: its notebook (with the record) and its HTML."""
    cell = new_code_cell("report.record(data)", outputs=[new_output("display_data", data={REPORT_MIMETYPE: record})])
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[cell]), folder / f"{name}.ipynb")
    (folder / f"{name}.html").write_text("<html></html>", encoding="utf-8")


def _client(client_id, name, statuses, lang="en"):
    return {"kind": "client", "client_id": client_id, "client_name": name, "quarter": "2024Q4", "lang": lang,
            "client_names": {"ru": name, "en": name},
            "kpis": [{"kpi": "csi", "names": {"ru": f"K{i}", "en": f"K{i}"}, "value": 61.2, "status": s,
                      "change_arrow": "▲", "change_significant": i == 0} for i, s in enumerate(statuses)]}


def test_index_sorts_attention_first_and_a_single_client_run_updates_its_row(tmp_path):
    quarter = tmp_path / "2024Q4"
    _report(quarter / "clients", "C1", _client("C1", "Calm Ltd", ["good", "good"]))
    _report(quarter / "clients", "C2", _client("C2", "Shaky Ltd", ["bad", "unclear"]))
    _report(quarter / "clients", "C3", _client("C3", "Risky Ltd", ["good", "good"]))
    _report(quarter / "clients", "C3.ru", _client("C3", "Рисковая", ["good", "good"], lang="ru"))
    _report(quarter, "portfolio", {"kind": "portfolio", "quarter": "2024Q4", "lang": "en",
                                   "risk": {"C1": {"risk": "low", "risk_points": 0},
                                            "C2": {"risk": "low", "risk_points": 1},
                                            "C3": {"risk": "high", "risk_points": 6}}})
    page = write_index(quarter, lang="en", quarter="2024Q4").read_text(encoding="utf-8")
    assert page.index("Risky Ltd") < page.index("Shaky Ltd") < page.index("Calm Ltd")
    assert '<html lang="en">' in page and 'href="portfolio.html"' in page
    assert 'href="clients/C3.html" hreflang="en"' in page and 'href="clients/C3.ru.html" hreflang="ru"' in page
    assert page.count('class="chip status-bad"') == 1 and page.count('class="chip status-unclear"') == 1
    # a later single-client run rewrites only C1's notebook: the others keep their rows
    _report(quarter / "clients", "C1", _client("C1", "Calm Ltd", ["bad", "bad"]))
    page = write_index(quarter, lang="en").read_text(encoding="utf-8")
    assert all(name in page for name in ("Calm Ltd", "Shaky Ltd", "Risky Ltd"))
    assert page.index("Risky Ltd") < page.index("Calm Ltd") < page.index("Shaky Ltd")


class _CellFailed(Exception):
    """Stands in for papermill's PapermillExecutionError (same attributes)."""

    def __init__(self):
        super().__init__("boom")
        self.cell_index, self.ename, self.evalue = 4, "KeyError", "'csi'"
        self.source = "x = 1\ndata = report.build(params)\n"
        self.traceback = ["\x1b[0;31mKeyError\x1b[0m", "Cell \x1b[0;32mIn[4], line 2\x1b[0m", "----> 2 data = ..."]


def test_a_failed_report_shows_its_cell_line_and_error_until_it_renders(tmp_path):
    failure = describe_failure(_CellFailed())
    assert failure == {"error": "KeyError: 'csi'", "cell": 4, "line_no": 2, "line": "data = report.build(params)"}
    assert describe_failure(ValueError("bad\nmore")) == {"error": "ValueError: bad"}
    quarter = tmp_path / "2024Q4"
    output = quarter / "clients" / "C9.html"
    record_failure(output, "C9", failure)
    page = write_index(quarter, lang="en").read_text(encoding="utf-8")
    assert "cell 4, line 2:" in page and "<code>data = report.build(params)</code>" in page
    assert "KeyError: &#x27;csi&#x27;" in page
    record_failure(output, "C9", None)
    assert "C9" not in write_index(quarter, lang="en").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_index_page_is_in_its_language(tmp_path, lang):
    page = write_index(tmp_path / "q", lang=lang).read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
