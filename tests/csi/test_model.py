"""The trainable sentence classifier: Fitter contract, learning the firm's words, cross-validation."""

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.embeddings import DIMENSIONS
from outstaff_analysis.csi.evaluation import read_labelled
from outstaff_analysis.csi.model import (
    SentenceClassifier,
    compare_methods,
    cross_validate,
    fit_temperature,
    lemma_ngrams,
)
from outstaff_analysis.csi.scores import score_csi

DEV = resources.files("outstaff_analysis.csi") / "lexicon" / "csi_dev.csv"  # bundled training data


def _firm_jargon(n=24):
    """A firm whose clients call a slipped deadline 'блямба' and praise with 'огонь' (not in the lexicon)."""
    rows = []
    for k in range(n):
        rows.append((f"Блямба со спринтом номер {k}.", "", "", "", "-", "", "negative"))
        rows.append((f"Фича {k} просто огонь.", "+", "", "", "", "", "positive"))
        rows.append((f"Созвон {k} перенесли на среду.", "", "", "", "", "", "neutral"))
    return pd.DataFrame(rows, columns=["text", *FACTORS, "polarity"])


def test_fit_returns_self_with_learned_attributes():
    data = _firm_jargon()
    model = SentenceClassifier()
    assert model.fit(data["text"], data) is model
    assert set(model.models_) == {"polarity", *FACTORS}
    assert model.n_train_ == len(data)
    assert model.models_["price"] == ""  # one label seen: a constant
    assert list(model.summary.columns) == ["target", "label", "n"]
    assert "SentenceClassifier" in model._repr_html_()


def test_the_model_learns_words_the_lexicon_does_not_know():
    data = _firm_jargon()
    model = SentenceClassifier(use_lexicon=False).fit(data["text"], data)
    predicted = model.predict(["Блямба.", "Это огонь!"])
    assert predicted["polarity"].tolist() == ["negative", "positive"]
    assert predicted["speed"].tolist() == ["-", ""]
    assert predicted["quality"].tolist() == ["", "+"]
    scored = model.score_texts(["Блямба."])
    assert scored.loc[0, "speed"] < 0 and np.isnan(scored.loc[0, "team"])


def test_unfitted_and_bad_labels_are_clear_errors():
    with pytest.raises(RuntimeError, match="not fitted yet"):
        SentenceClassifier().predict(["x"])
    with pytest.raises(ValueError, match=r"missing \['polarity'\]"):
        SentenceClassifier().fit(["x"], pd.DataFrame({f: [""] for f in FACTORS}))
    data = _firm_jargon()
    with pytest.raises(ValueError, match="must have the same length"):
        SentenceClassifier().fit(data["text"][:3], data)


def test_lemma_ngrams_drop_punctuation():
    assert lemma_ngrams("Сроки, срывают!") == ["срок", "срывать", "срок срывать"]


def test_score_csi_can_use_a_fitted_model():
    data = _firm_jargon()
    model = SentenceClassifier().fit(data["text"], data)
    utterances = pd.DataFrame({
        "interview_id": "I1", "utterance_no": [0], "speaker": "A", "start": [0.0], "end": [1.0],
        "text": ["Блямба со спринтом. Блямба с релизом. Блямба как она есть."], "client_id": "C1",
        "held_at": pd.Timestamp("2024-05-01"), "language": "ru", "is_client": [True], "speaker_inferred": False,
    })
    assert score_csi(utterances, model=None).evidence.empty
    result = score_csi(utterances, model=model)
    speed = result.interviews.set_index("factor").loc["speed"]
    assert speed["n_evidence"] == 3 and speed["estimate"] < 50


def test_cross_validate_prints_lexicon_model_and_both(capsys):
    labelled = read_labelled(DEV).groupby("lang").head(40)
    table = cross_validate(labelled, n_splits=2)
    out = capsys.readouterr().out
    assert "2-fold cross-validation on 80 labelled sentences" in out
    assert table["method"].unique().tolist() == ["lexicon", "model", "lexicon+model"]
    assert len(table) == 6 and table["polarity_accuracy"].between(0, 1).all()


def test_compare_methods_on_held_out_rows():
    labelled = read_labelled(DEV)
    table = compare_methods(labelled.iloc[::2], labelled.iloc[1::2])
    assert table.set_index("method").loc["lexicon+model", "polarity_accuracy"] > 0.7


def test_a_factor_contribution_is_the_probability_of_praise_minus_that_of_complaint():
    model = SentenceClassifier().fit(_firm_jargon()["text"], _firm_jargon())
    model.temperature_ = 100.0  # a polarity head unsure of itself: the factor heads stay certain
    texts = ["Блямба со спринтом опять.", "Фича просто огонь.", "Фича огонь, но блямба со спринтом."]
    scored = model.score_texts(texts)
    x = model.features(texts)
    polarity, quality, speed = model._proba(x, "polarity"), model._proba(x, "quality"), model._proba(x, "speed")
    praise, complaint = polarity["positive"], polarity["negative"]
    # one factor spoken of: all of the sentence's praise and complaint are about it (a torn reading is
    # middling, not the factor head's side: this used to be speed("-") * P(negative), about -0.38)
    assert speed.loc[0, "-"] > 0.9 and complaint[0] < 0.6 and praise[0] > 0.25
    assert scored.loc[0, "speed"] == pytest.approx((1 - speed.loc[0, ""]) * (praise[0] - complaint[0]), abs=1e-12)
    assert scored.loc[1, "quality"] == pytest.approx((1 - quality.loc[1, ""]) * (praise[1] - complaint[1]),
                                                     abs=1e-12)
    assert -0.2 < scored.loc[0, "speed"] < 0 < scored.loc[1, "quality"] < 0.6
    # two factors: the factor heads say which way each goes
    assert scored.loc[2, "quality"] == pytest.approx(
        quality.loc[2, "+"] * praise[2] - quality.loc[2, "-"] * complaint[2], abs=1e-12)
    assert scored.loc[2, "speed"] == pytest.approx(
        speed.loc[2, "+"] * praise[2] - speed.loc[2, "-"] * complaint[2], abs=1e-12)
    assert scored.loc[2, "speed"] < 0 < scored.loc[2, "quality"]


def test_a_polar_sentence_with_no_factor_falls_back_to_its_most_probable_factor():
    data = _firm_jargon()
    data = pd.concat([data, pd.DataFrame({"text": [f"Ну и {k}, просто жуть." for k in range(12)],
                                          **{f: "" for f in FACTORS}, "polarity": "negative"})], ignore_index=True)
    texts = ["Ну и жуть.", "Фича огонь."]
    without = SentenceClassifier(fallback_proba=None).fit(data["text"], data).score_texts(texts)
    assert without.loc[0, "polarity"] == "negative" and without.loc[0, list(FACTORS)].isna().all()
    fallback = SentenceClassifier(fallback_proba=0.0).fit(data["text"], data).score_texts(texts)
    assert (fallback.loc[0, list(FACTORS)].dropna() < 0).sum() == 1  # the complaint is about something
    pd.testing.assert_frame_equal(fallback.iloc[1:], without.iloc[1:])  # a sentence with a factor is unchanged


def test_a_factor_the_heads_miss_but_the_lexicon_reads_is_spoken_of_with_the_lexicons_sign():
    data = _firm_jargon()  # no sentence labelled price: its head is a constant "not spoken of"
    texts = ["Блямба со спринтом, и ставки у вас слишком высокие.", "Фича огонь, и цены отличные."]
    scored = SentenceClassifier().fit(data["text"], data).score_texts(texts)
    heads_only = SentenceClassifier(lexicon_factors=False).fit(data["text"], data).score_texts(texts)
    assert heads_only["price"].isna().all()
    assert scored["polarity"].tolist() == ["negative", "positive"]
    model = SentenceClassifier().fit(data["text"], data)
    proba = model._proba(model.features(texts), "polarity")
    assert scored.loc[0, "price"] == pytest.approx(-proba.loc[0, "negative"], abs=1e-12)
    assert scored.loc[1, "price"] == pytest.approx(proba.loc[1, "positive"], abs=1e-12)
    others = [f for f in FACTORS if f != "price"]
    pd.testing.assert_frame_equal(scored[others], heads_only[others])  # what the heads read is unchanged


def test_a_saved_model_loads_as_arrays_and_scores_the_same(tmp_path):
    data = _firm_jargon()
    model = SentenceClassifier().fit(data["text"], data)
    model.temperature_ = 1.7
    model.save(tmp_path / "m", metadata={"note": "test"})
    with np.load(tmp_path / "m.npz", allow_pickle=False) as arrays:
        assert "polarity.data" in arrays.files
    loaded = SentenceClassifier.load(tmp_path / "m")
    texts = ["Блямба.", "Это огонь!", "Созвон перенесли."]
    pd.testing.assert_frame_equal(loaded.score_texts(texts), model.score_texts(texts))
    assert loaded.metadata_ == {"note": "test"} and loaded.temperature_ == 1.7
    assert loaded.models_["price"] == ""


def _praise_and_complaint_words():
    """One-word sentences: six Russian words of praise, six of complaint; no factor."""
    rows = [(f"{word}.", "positive") for word in ("Прекрасная", "Замечательная", "Великолепная", "Отличная",
                                                  "Превосходная", "Хорошая")]
    rows += [(f"{word}.", "negative") for word in ("Ужасная", "Отвратительная", "Кошмарная", "Плохая", "Никудышная",
                                                   "Скверная")]
    return pd.DataFrame(rows, columns=["text", "polarity"]).assign(**{factor: "" for factor in FACTORS})


def test_word_vectors_let_the_model_read_russian_words_it_never_saw():
    data = _praise_and_complaint_words()
    unseen = ["Чудесная.", "Блестящая.", "Потрясающая.", "Мерзкая.", "Безобразная.", "Жуткая."]
    settings = {"use_lexicon": False, "use_vader": False, "char_range": None, "fallback_proba": None}
    blind = SentenceClassifier(**settings).fit(data["text"], data).score_texts(unseen)["polarity_score"]
    assert blind.nunique() == 1  # n-grams alone know nothing of words they never saw: all read alike
    read = SentenceClassifier(**settings, embedding_scale=1.0).fit(data["text"], data).score_texts(unseen)
    assert (np.sign(read["polarity_score"]) == [1, 1, 1, -1, -1, -1]).all()


def test_a_model_with_word_vectors_saves_them_in_its_settings(tmp_path):
    data = _praise_and_complaint_words()
    model = SentenceClassifier(char_range=None, embedding_scale=0.5).fit(data["text"], data)
    model.save(tmp_path / "m")
    loaded = SentenceClassifier.load(tmp_path / "m")
    assert loaded.feature_settings == model.feature_settings and loaded.embedding_scale == 0.5
    texts = ["Чудесная.", "Мерзкая.", "Great work."]
    pd.testing.assert_frame_equal(loaded.score_texts(texts), model.score_texts(texts))


def _model_with_word_vectors():
    """Polarity and factor heads that read the word vectors: praise and complaint words plus the firm's jargon."""
    data = pd.concat([_praise_and_complaint_words(), _firm_jargon()], ignore_index=True)
    return SentenceClassifier(char_range=(2, 4), embedding_scale=0.5).fit(data["text"], data)


MIXED = ["Чудесная работа, спасибо.", "Мерзкая блямба со спринтом.", "Great work, thanks.", "", "12 345",
         "Фича просто огонь, но созвон перенесли.", "Прод лёг на полдня, CTO в курсе!"]


def test_each_head_adds_the_word_vectors_densely_with_the_numbers_of_the_whole_sparse_matrix():
    model = _model_with_word_vectors()
    whole = model.features(MIXED)
    x, vectors = model._feature_parts(MIXED)
    assert vectors.shape == (len(MIXED), DIMENSIONS) and x.shape[1] + DIMENSIONS == whole.shape[1]
    assert vectors[[0, 1, 5, 6]].any(axis=1).all() and not vectors[[2, 3, 4]].any()  # Russian words only
    for target in ("polarity", "speed", "quality"):
        head = model.models_[target]
        assert np.abs(head.coef[:, -DIMENSIONS:]).sum() > 0  # the head reads the vectors
        np.testing.assert_allclose(head.logits(x, vectors), head.logits(whole), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="expected"):
        model.models_["polarity"].logits(x, vectors[:, 1:])


def test_scoring_with_word_vectors_gives_the_scores_of_the_whole_sparse_matrix_without_making_it(monkeypatch):
    model = _model_with_word_vectors()
    whole = model.features(MIXED)
    monkeypatch.setattr(model, "_feature_parts", lambda texts, scored=None: (model.features(texts, scored=scored), None))
    sparse_scores = model.score_texts(MIXED)  # the sparse formulation: the vectors as 300 columns of one matrix
    monkeypatch.undo()

    def never(*args, **kwargs):
        raise AssertionError("scoring stacked the word vectors into the sparse matrix")

    monkeypatch.setattr("outstaff_analysis.csi.model.featurise", never)
    dense_scores = model.score_texts(MIXED)
    assert dense_scores["polarity"].nunique() > 1 and dense_scores[list(FACTORS)].notna().any().any()
    pd.testing.assert_frame_equal(dense_scores, sparse_scores, check_exact=False, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(model.polarity_logits(MIXED), model.polarity_logits(MIXED, x=whole), rtol=1e-10)


def test_a_model_saved_before_word_vectors_loads_without_them(tmp_path):
    data = _firm_jargon()
    SentenceClassifier().fit(data["text"], data).save(tmp_path / "m")
    meta = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    del meta["features"]["embedding_scale"]
    (tmp_path / "m.json").write_text(json.dumps(meta), encoding="utf-8")
    assert SentenceClassifier.load(tmp_path / "m").embedding_scale == 0.0


def test_a_model_of_another_format_version_is_refused(tmp_path):
    data = _firm_jargon()
    SentenceClassifier().fit(data["text"], data).save(tmp_path / "m")
    meta = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    (tmp_path / "m.json").write_text(json.dumps({**meta, "format_version": 99}), encoding="utf-8")
    with pytest.raises(ValueError, match="model format version 99, expected 1"):
        SentenceClassifier.load(tmp_path / "m")


def test_sentences_without_factor_labels_train_polarity_only():
    data = _firm_jargon()
    corpus = pd.DataFrame({"text": [f"Отзыв {k}: ужасно." for k in range(30)], "polarity": "negative",
                           **{f: None for f in FACTORS}})
    model = SentenceClassifier().fit(pd.concat([data["text"], corpus["text"]]).tolist(),
                                     pd.concat([data, corpus], ignore_index=True))
    counts = model.summary.set_index(["target", "label"])["n"]
    assert counts[("polarity", "negative")] == 24 + 30
    assert counts[("speed", "-")] == 24 and counts[("speed", "")] == 48  # corpus rows are not "no factor"


def test_temperature_fits_overconfident_logits():
    rng = np.random.default_rng(0)
    labels = rng.choice(["positive", "negative", "neutral"], 3000)
    logits = rng.normal(0, 1, (3000, 3))
    logits[np.arange(3000), pd.Categorical(labels, categories=["positive", "negative", "neutral"]).codes] += 1.0
    assert fit_temperature(4 * logits, labels) == pytest.approx(4, rel=0.1)


def test_temperature_weighs_each_sentence_as_told():
    # Two kinds of text: logits 4x too confident on the first 3,000 rows, right on the next 300 (the firm's domain,
    # weighted up in training as in calibration): their weight decides which one the temperature fits.
    rng = np.random.default_rng(0)
    labels = rng.choice(["positive", "negative", "neutral"], 3300)
    logits = rng.normal(0, 1, (3300, 3))
    logits[np.arange(3300), pd.Categorical(labels, categories=["positive", "negative", "neutral"]).codes] += 1.0
    logits[:3000] *= 4
    unweighted = fit_temperature(logits, labels)
    weighted = fit_temperature(logits, labels, sample_weight=np.r_[np.ones(3000), np.full(300, 100.0)])
    assert unweighted > 3 and weighted < 1.5
    assert fit_temperature(logits, labels, sample_weight=np.ones(3300)) == unweighted
