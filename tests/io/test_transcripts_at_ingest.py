"""Transcripts are parsed at ingest: a row whose transcript cannot be read is rejected with the parser's reason."""

import pandas as pd

from outstaff_analysis.demo.data_dir import write_demo_data
from outstaff_analysis.io.store import build_processed, load_processed
from outstaff_analysis.io.validate import validate_table
from outstaff_analysis.schema import TABLES

BAD = {
    "empty.txt": b"",
    "binary.vtt": bytes(range(256)) * 4,
    "cue.vtt": b"WEBVTT\n\n00:00:01.000 --> later\nAnna: hi\n",
    "broken.json": b'[{"start": 0, "end": 1, "text": "hi"',
    "shape.json": b'{"segments": 5}',
}


def test_unreadable_transcripts_reject_their_interview_with_the_parsers_message(tmp_path):
    (tmp_path / "good.txt").write_text("Анна: всё хорошо\n", encoding="utf-8")
    for name, data in BAD.items():
        (tmp_path / name).write_bytes(data)
    names = ["good.txt", *BAD]
    frame = pd.DataFrame({"interview_id": [f"I{i}" for i in range(len(names))], "client_id": "C1",
                          "held_at": "2024-01-01", "transcript": names}, dtype=object)
    frame["_source_row"] = range(2, len(names) + 2)
    result = validate_table(frame, TABLES["interviews"], file="interviews.csv", transcripts_dir=tmp_path)
    assert result.clean["transcript"].tolist() == ["good.txt"]
    reasons = result.rejects.set_index("value")["reason"]
    assert list(reasons.index) == list(BAD)
    assert reasons.str.startswith("transcript cannot be read: file ").all()
    assert reasons["empty.txt"].endswith("no utterances found in this text transcript")
    assert "malformed timing line '00:00:01.000 --> later'" in reasons["cue.vtt"]
    assert "invalid JSON" in reasons["broken.json"]
    assert "expected a list of segments" in reasons["shape.json"]


def test_one_clients_bad_transcript_does_not_take_the_portfolio_down(tmp_path):
    from outstaff_analysis.reporting.inputs import load_inputs

    write_demo_data(tmp_path, clients=4, years=1, seed=3)
    interviews = pd.read_csv(tmp_path / "raw" / "interviews.csv", dtype=str)
    victim = interviews.iloc[0]
    (tmp_path / "raw" / "transcripts" / victim["transcript"]).write_bytes(b"\x00\x01 not a transcript \xff")
    result = build_processed(tmp_path)
    rejects = result.results["interviews"].rejects
    assert rejects["value"].tolist() == [victim["transcript"]]
    kept = load_processed(tmp_path, tables=["interviews"])["interviews"]
    assert victim["interview_id"] not in set(kept["interview_id"]) and len(kept) == len(interviews) - 1
    inputs = load_inputs(tmp_path, as_of="2022Q4")  # what the portfolio report reads
    assert victim["interview_id"] not in set(inputs.utterances["interview_id"])
    assert inputs.utterances["interview_id"].nunique() == (kept["held_at"] <= "2022-12-31").sum()
