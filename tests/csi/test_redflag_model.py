"""The red-flag classifier: shipped fitted in a safe format, trained on its own examples only."""

import hashlib
import json
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.csi.redflag_model import (
    MODEL_STEM,
    TRAINING_FILE,
    RedFlagClassifier,
    bundled_red_flag_model,
    read_red_flag_examples,
    sentence_features,
)
from outstaff_analysis.csi.redflags import find_red_flags, red_flag_codes

EVAL = Path(__file__).resolve().parents[1] / "data" / "red_flags_eval.csv"
LEXICON = resources.files("outstaff_analysis.csi") / "lexicon"


def _key(text):
    return " ".join(text.lower().split())


def test_no_training_example_is_in_the_blind_evaluation_set():
    evaluation = pd.read_csv(EVAL, dtype=str, keep_default_na=False)
    assert len(evaluation) >= 300 and set(evaluation["lang"]) == {"ru", "en"}
    training = read_red_flag_examples()
    assert not set(evaluation["text"].map(_key)) & set(training["text"].map(_key))


def test_training_examples_cover_every_flag_in_both_languages_with_hard_negatives():
    training = read_red_flag_examples()
    counts = training.groupby(["lang", "flag"]).size()
    for lang in ("ru", "en"):
        for code in red_flag_codes():
            assert counts[(lang, code)] >= 20, (lang, code)
        assert counts[(lang, "none")] >= 100
    assert not training["text"].map(_key).duplicated().any()


def test_the_shipped_model_is_fitted_on_the_shipped_examples_and_holds_no_pickle():
    spec = json.loads((LEXICON / f"{MODEL_STEM}.json").read_text(encoding="utf-8"))
    assert spec["training_file"] == TRAINING_FILE
    assert spec["training_sha256"] == hashlib.sha256((LEXICON / TRAINING_FILE).read_bytes()).hexdigest()
    assert spec["n_train"] == len(read_red_flag_examples())
    with resources.as_file(LEXICON / f"{MODEL_STEM}.npz") as path:
        with zipfile.ZipFile(path) as archive:
            assert sorted(archive.namelist()) == ["coef.npy", "idf.npy", "intercept.npy"]
        with np.load(path, allow_pickle=False) as arrays:
            assert all(arrays[name].dtype == np.float32 for name in arrays.files)
        assert path.stat().st_size < 2_000_000
    model = bundled_red_flag_model()
    assert set(model.flags_) == set(red_flag_codes()) and "none" in model.classes_
    assert 0.3 <= model.threshold < 1.0


@pytest.mark.parametrize(
    "language, text, flag",
    [
        ("en", "We wait ages before anyone replies to our emails.", "slow_answers"),
        ("en", "The launch date keeps moving further out.", "missed_deadlines"),
        ("en", "We keep meeting new faces on the project, nobody stays.", "specialist_turnover"),
        ("en", "Your people never stay on our project for long.", "specialist_turnover"),
        ("ru", "Каждый месяц у нас новый разработчик.", "specialist_turnover"),
        ("ru", "Созвоны у нас теперь бывают очень редко.", "fewer_meetings"),
        ("ru", "Дату сдачи опять отодвинули.", "missed_deadlines"),
        ("ru", "Пишешь менеджеру — и тишина до вечера.", "slow_answers"),
    ],
)
def test_paraphrases_the_patterns_miss_are_caught_with_their_quote(language, text, flag):
    assert find_red_flags(text, language=language, model=None) == []
    assert find_red_flags(text, language=language) == [(flag, text)]


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "Your manager always writes back within the hour."),
        ("en", "The new developer settled in quickly."),
        ("ru", "Отчёты приходят подробные и вовремя."),
        ("ru", "Спасибо, до связи!"),
    ],
)
def test_praise_and_small_talk_raise_nothing(language, text):
    assert find_red_flags(text, language=language) == []


def test_negation_is_a_feature_of_its_own():
    assert "~miss" in sentence_features("You never missed a deadline.")
    assert "~miss" not in sentence_features("You missed a deadline.")
    assert {"срок", "срывать", "срок срывать"} <= set(sentence_features("Сроки срывают"))


def test_save_and_load_round_trip_without_pickle(tmp_path):
    texts = ["Ответа ждём сутками.", "Отвечаете быстро.", "Deadlines slip.", "Deadlines are met.",
             "They answer once a week.", "Сроки срываются."]
    flags = ["slow_answers", "none", "missed_deadlines", "none", "slow_answers", "missed_deadlines"]
    model = RedFlagClassifier(c=4.0, threshold=0.4).fit(texts, flags)
    model.save(tmp_path / "m")
    back = RedFlagClassifier.load(tmp_path / "m")
    pd.testing.assert_frame_equal(back.predict_proba(texts), model.predict_proba(texts), atol=1e-5)
    assert back.predict(texts) == model.predict(texts)
    assert back.threshold == 0.4 and back.flags_ == ("missed_deadlines", "slow_answers")


def test_an_unfitted_model_says_so():
    with pytest.raises(RuntimeError, match=r"not fitted yet"):
        RedFlagClassifier().predict(["text"])


def test_bad_examples_name_the_file_row_and_column(tmp_path):
    path = tmp_path / "examples.csv"
    path.write_text("text,lang,flag\nСроки срываются.,ru,missed_deadlines\nLate again.,en,late\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"examples\.csv, row 3: the value for `flag` must be one of .* 'late'"):
        read_red_flag_examples(path)
    path.write_text("text,language\nx,ru\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"examples\.csv: missing columns \['lang', 'flag'\]"):
        read_red_flag_examples(path)
