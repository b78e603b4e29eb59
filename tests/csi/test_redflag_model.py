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
from outstaff_analysis.csi.redflag_training import THRESHOLD_GRID, choose_settings
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
    assert set(model.thresholds) <= set(model.flags_)
    assert all(0.3 <= value < 1.0 for value in model.thresholds.values())


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
        # missed by the model trained on the first 1,171 examples (before the examples in other registers)
        ("ru", "Письмо отправили во вторник, а ответили нам только в пятницу.", "slow_answers"),
        ("ru", "На любые вопросы нам присылают одну и ту же отговорку.", "template_replies"),
        ("ru", "Первую версию обещали в мае, а сейчас уже август.", "missed_deadlines"),
        ("en", "We emailed on Tuesday and only heard back on Friday.", "slow_answers"),
        ("en", "The first version was promised for May and it's August now.", "missed_deadlines"),
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


def test_each_flag_can_have_its_own_threshold_and_keeps_it_when_saved(tmp_path):
    texts = ["Ответа ждём сутками.", "Отвечаете быстро.", "Deadlines slip.", "Deadlines are met.",
             "They answer once a week.", "Сроки срываются."]
    flags = ["slow_answers", "none", "missed_deadlines", "none", "slow_answers", "missed_deadlines"]
    model = RedFlagClassifier(c=4.0, threshold=0.3, thresholds={"slow_answers": 0.999}).fit(texts, flags)
    assert list(model.flag_thresholds()) == [0.3, 0.999]
    raised = model.predict(texts)
    assert not any("slow_answers" in found for found in raised)
    assert ("missed_deadlines",) in raised
    model.save(tmp_path / "m")
    back = RedFlagClassifier.load(tmp_path / "m")
    assert back.thresholds == {"slow_answers": 0.999} and back.predict(texts) == raised
    with pytest.raises(ValueError, match=r"`thresholds` names flags the model does not raise: \['turnover'\]"):
        RedFlagClassifier(thresholds={"turnover": 0.5}).fit(texts, flags).predict(texts)


def test_per_flag_thresholds_are_chosen_by_cross_validation_and_hold_the_precision_target():
    examples = read_red_flag_examples()
    examples = examples[examples["flag"].isin(["slow_answers", "missed_deadlines", "none"])]
    examples = examples.groupby(["lang", "flag"]).head(20)
    c, threshold, thresholds, table = choose_settings(examples, grid=(8.0,), n_splits=3, min_precision=0.8)
    assert c == 8.0 and threshold in THRESHOLD_GRID and set(thresholds) <= {"slow_answers", "missed_deadlines"}
    assert all(value in THRESHOLD_GRID and value != threshold for value in thresholds.values())
    common, own = (table[table["setting"].str.contains(word)] for word in ("threshold 0", "its own"))
    assert (common["precision"] >= 0.8).all() and (own["precision"] >= 0.8).all()
    assert own["recall"].min() >= common["recall"].min()


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
