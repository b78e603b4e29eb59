"""The bundled model: shipped fitted in a safe format, loaded once, the default of score_csi."""

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.bundled import TRAINING_FILES, bundled_model, bundled_training_data, resolve_model
from outstaff_analysis.csi.evaluation import LABEL_COLUMNS
from outstaff_analysis.csi.lexicon import load_lexicon
from outstaff_analysis.csi.public_corpora import CORPORA, FILES
from outstaff_analysis.csi.scores import score_csi
from outstaff_analysis.csi.sentences import sentence_table

MODEL_DIR = resources.files("outstaff_analysis.csi") / "model"


def _utterances(texts):
    return pd.DataFrame({
        "interview_id": "I1", "utterance_no": range(len(texts)), "speaker": "A", "start": 0.0, "end": 1.0,
        "text": texts, "client_id": "C1", "held_at": pd.Timestamp("2024-05-01"), "language": "ru",
        "is_client": True, "speaker_inferred": False,
    })


def test_training_data_comes_from_the_package_files():
    data = bundled_training_data()
    assert list(data.columns) == [*LABEL_COLUMNS, "source"]
    assert set(data["source"]) == set(TRAINING_FILES)
    assert data["id"].is_unique
    assert len(data) > 1000


def test_the_shipped_model_is_small_arrays_without_pickle_and_says_what_it_was_trained_on():
    npz, meta = MODEL_DIR / "bundled.npz", json.loads((MODEL_DIR / "bundled.json").read_text(encoding="utf-8"))
    with resources.as_file(npz) as path:
        assert path.stat().st_size < 8_000_000
        with np.load(path, allow_pickle=False) as arrays:
            assert all(arrays[name].dtype != object for name in arrays.files)
    trained = meta["metadata"]["trained_on"]
    assert set(trained["public_corpora"]) == {name for corpus in CORPORA for name in FILES[corpus]}
    assert set(trained["project_sentences"]) == set(TRAINING_FILES)
    assert {row["corpus"] for row in meta["metadata"]["leave_one_corpus_out"]} == set(CORPORA)
    assert 0.2 < meta["temperature"] < 10  # a softening factor: logits of a lightly penalised SGD fit run large


def test_bundled_model_is_loaded_once_and_cached():
    model = bundled_model()
    assert bundled_model() is model
    assert set(model.models_) == {"polarity", *FACTORS}
    assert model.n_train_ > 50_000  # public corpora and the project's sentences


def test_a_custom_lexicon_gets_its_own_copy_with_the_same_weights():
    lexicon = load_lexicon()
    own = bundled_model(lexicon)
    assert own is not bundled_model() and own.lexicon is lexicon
    texts = ["Сроки опять сорвали.", "Great team."]
    pd.testing.assert_frame_equal(own.score_texts(texts), bundled_model().score_texts(texts))


def test_model_argument_is_checked():
    assert resolve_model(None) is None
    assert resolve_model("bundled") is bundled_model()
    with pytest.raises(ValueError, match="The value for `model` must be 'bundled', None or a fitted"):
        resolve_model("vader")


def test_score_csi_uses_the_bundled_model_by_default_and_the_lexicon_on_request():
    texts = ["Сроки опять сорвали, и отчётов мы не видели.", "Great team, the price is fair."]
    utterances = _utterances(texts)
    default = score_csi(utterances).sentences
    bundled = sentence_table(default["text"], model=bundled_model())
    lexicon = sentence_table(default["text"])
    columns = ["polarity_score", "polarity", "probability", *FACTORS]
    pd.testing.assert_frame_equal(default[columns].reset_index(drop=True), bundled[columns])
    pd.testing.assert_frame_equal(score_csi(utterances, model=None).sentences[columns].reset_index(drop=True),
                                  lexicon[columns])
    assert bundled["probability"].between(1 / 3, 1).all() and lexicon["probability"].isna().all()


def test_parallel_scoring_with_the_model_equals_serial():
    texts = [f"Сроки срывают уже {k} недель, но ребята хорошие." for k in range(1200)] + ["Great team!"] * 900
    model = bundled_model()
    pd.testing.assert_frame_equal(sentence_table(texts, model=model, n_jobs=2), sentence_table(texts, model=model))


def test_the_report_pipeline_feeds_the_model_the_lexicon_reading_it_was_trained_on():
    # The model learned from the lexicon's reading after polar_evidence (no factor on a sentence
    # the lexicon reads neutral); the pipeline passed it the raw reading, so the same sentence
    # scored differently in a report and in model.score_texts.
    model = bundled_model()
    texts = ["Ребята хорошие, вписались нормально, но при этом новенькому пока тяжело влиться.",
             "The guys are nice and fit in well, but the new guy is struggling to fit in."]
    pipeline = sentence_table(texts, model=model)
    alone = model.score_texts(texts)
    columns = ["polarity_score", *FACTORS]
    pd.testing.assert_frame_equal(pipeline[columns], alone[columns], check_exact=False, atol=1e-9)
