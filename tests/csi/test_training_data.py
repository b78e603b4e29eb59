"""The bundled training sentences never contain a sentence of the held-out evaluation set."""

import csv
import re
from pathlib import Path

from outstaff_analysis.csi import bundled_training_data

EVAL = Path(__file__).parents[1] / "data" / "csi_eval.csv"


def normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def test_no_evaluation_sentence_is_in_the_training_data():
    with EVAL.open(encoding="utf-8") as handle:
        held_out = {normalise(row["text"]) for row in csv.DictReader(handle)}
    training = bundled_training_data()
    assert len(training) > 1000
    assert not set(training["text"].map(normalise)) & held_out
