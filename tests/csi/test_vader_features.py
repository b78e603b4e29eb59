"""VADER features: texts VADER cannot score are skipped, and every score is VADER's own."""

import numpy as np

from outstaff_analysis.csi.features import _vader, _vader_reads, vader_features

TEXTS = [
    "The developers are doing great!!!",  # a lexicon word with punctuation around it
    "The release slipped again",  # no word of VADER's lexicon: not read
    "We have fewer calls now.",
    "No complaints about quality",  # "no" before a lexicon word
    "Sprint 12 shipped :)",  # an emoticon in the lexicon (too short to be stripped)
    "Sprint 12 shipped 👍",  # an emoji spelled out as words
    "Ticket 42 moved to QA, BUT it is NOT bad",
    "Сроки опять сорвали, CTO в курсе",  # Latin word, Russian sentence: not read
    "Всё отлично",  # no Latin word
    "",
    "kind of slow, sort of",
]


def test_vader_features_are_vaders_scores_of_each_text():
    analyser = _vader()
    expected = np.array([[s["neg"], s["pos"], s["compound"]] for s in map(analyser.polarity_scores, TEXTS)])
    np.testing.assert_array_equal(vader_features(TEXTS), expected)


def test_texts_without_a_vader_word_or_emoji_are_not_read():
    reads = [_vader_reads(text) for text in TEXTS]
    assert reads == [True, False, False, True, True, True, True, False, False, False, True]
    skipped = [text for text, read in zip(TEXTS, reads) if not read]
    assert all(vader_features([text]).tolist() == [[0.0, 0.0, 0.0]] for text in skipped)
