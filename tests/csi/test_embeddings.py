"""Russian word vectors as sentence features: navec from the natasha wheel, read lazily, never downloaded.

The ``navec`` package's own reader is the reference the package's compact reader is checked against.
"""

import numpy as np
import pytest
from navec import Navec

from outstaff_analysis.csi.embeddings import DIMENSIONS, navec_path, sentence_vectors, word_vectors
from outstaff_analysis.csi.features import FeatureSettings, featurise
from outstaff_analysis.csi.sentences import sentence_table


def test_a_sentence_vector_is_the_unit_mean_of_its_known_russian_words():
    vectors = Navec.load(str(navec_path()))
    assert "прод" not in vectors  # IT slang is not in navec's news vocabulary: skipped, as is the Latin "CTO"
    expected = np.mean([vectors[word] for word in ("лег", "на", "полдня", "в", "курсе")], axis=0)  # "лёг" read "лег"
    got = sentence_vectors(["Прод лёг на полдня, CTO в курсе!"])
    assert got.shape == (1, DIMENSIONS)
    np.testing.assert_allclose(got[0], expected / np.linalg.norm(expected), atol=1e-6)


def test_text_without_russian_words_gets_zeros_and_does_not_load_the_vectors():
    word_vectors.cache_clear()
    vectors = sentence_vectors(["Great work.", "Sprint 12 shipped :)", ""])
    assert word_vectors.cache_info().currsize == 0
    assert vectors.shape == (3, DIMENSIONS) and not vectors.any()
    assert not sentence_vectors(["Мммпрвыф"]).any()  # Russian letters, no word navec knows


def test_the_compact_table_gives_navecs_own_vectors():
    published = Navec.load(str(navec_path()))
    words = ["работа", "ужасно", "полдня", "ёлка", "елка", "прод", "work", "", "а" * 80]
    table = word_vectors()
    rows = np.array([table.row(word) for word in words])
    known = rows >= 0
    assert known.tolist() == [True, True, True, True, True, False, False, False, False]
    np.testing.assert_array_equal(table.rows(rows[known]), [published[word] for word, k in zip(words, known) if k])


def test_sentences_of_like_meaning_are_closer_than_unlike_ones():
    complaint, other_complaint, neutral, praise, other_praise = sentence_vectors([
        "Ужасное обслуживание, всё сломалось.", "Отвратительный сервис и поломки.",
        "Сегодня вторник, совещание в десять.", "Прекрасная работа, спасибо!", "Отличный результат, благодарим."])
    assert complaint @ other_complaint > complaint @ neutral
    assert praise @ other_praise > praise @ neutral


@pytest.mark.parametrize("scale", [0.0, 0.5])
def test_the_embedding_block_is_the_scaled_sentence_vectors_after_the_other_features(scale):
    texts = ["Очень вкусно.", "Great work."]
    settings = FeatureSettings(char_range=None, embedding_scale=scale)
    x = featurise(texts, settings, sentence_table(texts))
    assert x.shape == (2, settings.n_features)
    without = FeatureSettings(char_range=None)
    assert settings.n_features - without.n_features == (DIMENSIONS if scale else 0)
    if scale:
        np.testing.assert_allclose(x[:, -DIMENSIONS:].toarray(), scale * sentence_vectors(texts))


def test_texts_read_in_blocks_get_the_vectors_they_get_together(monkeypatch):
    texts = ["Очень вкусно.", "Ужасное обслуживание.", "Great work.", "", "Прод лёг на полдня.", "Сроки сорвали."]
    together = sentence_vectors(texts)
    monkeypatch.setattr("outstaff_analysis.csi.embeddings.BLOCK", 2)  # an English-only block among them
    np.testing.assert_allclose(sentence_vectors(texts), together, rtol=1e-12)
    assert np.linalg.norm(together, axis=1).round(6).tolist() == [1, 1, 0, 0, 1, 1]
