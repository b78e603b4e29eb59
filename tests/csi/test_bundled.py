"""The bundled model: trained from the package's labelled CSV files, cached, the default of score_csi."""

import pandas as pd
import pytest

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.bundled import TRAINING_FILES, bundled_model, bundled_training_data, resolve_model
from outstaff_analysis.csi.evaluation import LABEL_COLUMNS
from outstaff_analysis.csi.lexicon import load_lexicon
from outstaff_analysis.csi.scores import score_csi
from outstaff_analysis.csi.sentences import score_texts


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


def test_bundled_model_is_fitted_once_and_cached():
    model = bundled_model()
    assert bundled_model() is model
    assert model.n_train_ == len(bundled_training_data())
    assert set(model.models_) == {"polarity", *FACTORS}


def test_a_custom_lexicon_gets_its_own_model():
    lexicon = load_lexicon()
    assert bundled_model(lexicon) is not bundled_model()


def test_model_argument_is_checked():
    assert resolve_model(None) is None
    assert resolve_model("bundled") is bundled_model()
    with pytest.raises(ValueError, match="The value for `model` must be 'bundled', None or a fitted"):
        resolve_model("vader")


def test_score_csi_uses_the_bundled_model_by_default_and_the_lexicon_on_request():
    texts = ["Сроки опять сорвали, и отчётов мы не видели.", "Great team, the price is fair."]
    utterances = _utterances(texts)
    default = score_csi(utterances).sentences
    bundled = score_texts(default["text"], model=bundled_model())
    lexicon = score_texts(default["text"])
    columns = ["polarity_score", "polarity", *FACTORS]
    pd.testing.assert_frame_equal(default[columns].reset_index(drop=True), bundled[columns])
    pd.testing.assert_frame_equal(score_csi(utterances, model=None).sentences[columns].reset_index(drop=True),
                                  lexicon[columns])


def test_parallel_scoring_with_the_model_equals_serial():
    texts = [f"Сроки срывают уже {k} недель, но ребята хорошие." for k in range(1200)] + ["Great team!"] * 900
    model = bundled_model()
    pd.testing.assert_frame_equal(score_texts(texts, model=model, n_jobs=2), score_texts(texts, model=model))
