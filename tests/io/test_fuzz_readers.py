"""Fuzzing the readers: whatever bytes an export holds, the package answers with its own error.

Random bytes, truncations, byte flips, every encoding, huge cells and deep nesting are fed to the
table readers (CSV, XLSX, Parquet), the transcript reader (text, WebVTT, SRT, JSON) and the mapping
loader; the only exceptions allowed out are the package's (:class:`OutstaffError`).
"""

import codecs
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outstaff_analysis.exceptions import OutstaffError, SchemaError, TranscriptError
from outstaff_analysis.io.mapping import load_mapping
from outstaff_analysis.io.readers import read_table_file
from outstaff_analysis.io.transcripts import read_transcript

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "transcripts"
CSV = "specialist_id;full_name;role;grade\nS1;Иван Петров;developer;senior\nS2;\"Пётр; Ёлкин\";qa;middle\n"
MAPPING = "tables:\n  clients:\n    header_row: 2\n    columns: {ID: client_id}\n    values:\n      source: {Сайт: inbound}\n"
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1251", "koi8_r", "cp866",
             "mac_cyrillic", "iso8859_5", "cp1252", "latin-1", "ascii", "utf-7", "shift_jis", "gb18030", "big5")
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    for row in [["Export 2024"], ["specialist_id", "full_name", "role", "grade"], ["S1", "Иван", "qa", "senior"]]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _parquet() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"specialist_id": ["S1"], "nested": [{"a": [1, 2]}]}).to_parquet(buffer)
    return buffer.getvalue()


SEEDS = {
    ".csv": CSV.encode("utf-8"),
    ".xlsx": _xlsx(),
    ".parquet": _parquet(),
    ".yaml": MAPPING.encode("utf-8"),
    **{f".{ext}": (SAMPLES / f"conversation.{ext}").read_bytes() for ext in ("txt", "vtt", "srt", "json")},
}
READERS = {".csv": read_table_file, ".xlsx": read_table_file, ".parquet": read_table_file, ".yaml": load_mapping,
           ".txt": read_transcript, ".vtt": read_transcript, ".srt": read_transcript, ".json": read_transcript}


@st.composite
def hostile_bytes(draw, seed: bytes) -> bytes:
    """Random bytes, or the seed truncated, with bytes flipped, or re-encoded in any codec."""
    kind = draw(st.sampled_from(["random", "truncated", "flipped", "encoded"]))
    if kind == "random":
        return draw(st.binary(max_size=3000))
    if kind == "truncated":
        return seed[: draw(st.integers(0, len(seed)))]
    if kind == "flipped":
        data = bytearray(seed)
        for position in draw(st.lists(st.integers(0, max(len(seed) - 1, 0)), min_size=1, max_size=8)):
            data[position] = draw(st.integers(0, 255))
        return bytes(data)
    encoding = draw(st.sampled_from(ENCODINGS))
    return seed.decode("utf-8", errors="replace").encode(encoding, errors="replace")


def _only_package_errors(reader, path: Path) -> None:
    try:
        reader(path)
    except OutstaffError:
        pass


@pytest.mark.parametrize("suffix", sorted(SEEDS))
def test_readers_fail_only_with_the_packages_errors(tmp_path, suffix):
    path = tmp_path / f"fuzzed{suffix}"

    @FUZZ
    @given(data=hostile_bytes(SEEDS[suffix]))
    def check(data):
        path.write_bytes(data)
        _only_package_errors(READERS[suffix], path)

    check()


def test_a_huge_csv_cell_names_the_file_and_line(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("client_id,client_name\nC1,ok\nC2,\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"clients\.csv, row 3: .*longer than 131,072 characters"):
        read_table_file(path)


def test_an_unclosed_quote_swallowing_the_file_names_the_file_and_line(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("client_id,client_name\nC1,\"never closed\n" + "C2,fine\n" * 20_000, encoding="utf-8")
    with pytest.raises(SchemaError, match=r"clients\.csv, row 2: .*is a closing quote missing\?"):
        read_table_file(path)


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"segments": ' + "[" * 100_000],
                         ids=["closed", "unclosed"])
def test_deeply_nested_json_transcript_is_a_transcript_error(tmp_path, body):
    path = tmp_path / "call.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"call\.json.*nested too deeply"):
        read_transcript(path)


def test_deeply_nested_mapping_is_a_schema_error(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text("tables: " + "[" * 2_000, encoding="utf-8")
    with pytest.raises(SchemaError, match=r"mapping\.yaml"):
        load_mapping(path)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_a_corrupt_binary_table_names_the_file(tmp_path, suffix):
    path = tmp_path / f"clients{suffix}"
    path.write_bytes(SEEDS[suffix][: len(SEEDS[suffix]) // 2])
    with pytest.raises(SchemaError, match=rf"clients\{suffix}: cannot read"):
        read_table_file(path)


def test_every_encoding_of_a_valid_transcript_reads_or_is_refused(tmp_path):
    text = (SAMPLES / "conversation.json").read_text(encoding="utf-8")
    for encoding in ENCODINGS:
        path = tmp_path / f"call_{encoding}.json"
        path.write_bytes(codecs.encode(text, encoding, errors="replace"))
        _only_package_errors(read_transcript, path)
    assert json.loads(text)


def test_validation_of_a_fuzzed_export_fails_only_with_the_packages_errors(tmp_path, write_minimal_raw):
    from outstaff_analysis.io.store import validate_raw

    write_minimal_raw(tmp_path / "raw")
    seed = (tmp_path / "raw" / "placements.csv").read_bytes()

    @settings(FUZZ, max_examples=15)
    @given(data=hostile_bytes(seed))
    def check(data):
        (tmp_path / "raw" / "placements.csv").write_bytes(data)
        try:
            validate_raw(tmp_path)
        except OutstaffError:
            pass

    check()


def test_a_bom_before_bytes_that_are_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(b"\xef\xbb\xbf\x80client_id\nC1\n")
    with pytest.raises(SchemaError, match=r"clients\.csv: the file starts with a UTF-8 byte order mark but byte 3"):
        read_table_file(path)
