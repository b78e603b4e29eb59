"""Client satisfaction (CSI) from interview transcripts, in Russian and English.

Typical use::

    from outstaff_analysis import csi

    utterances = csi.load_transcripts(tables["interviews"], data_dir / "raw" / "transcripts")
    result = csi.score_csi(utterances, settings=settings)
    result.client_quarters      # factor scores and CSI per client-quarter, with 95% intervals
    result.evidence             # the quotes behind every score
    csi.extract_ratings(utterances)  # "на восемь из десяти", "I'd give you a 9"
    csi.detect_red_flags(utterances)  # "отвечают раз в сутки", each with its quote
    csi.score_texts(["Добрый день! Сроки опять сорвали."])  # any text: polarity, probability, factors

The lexicon (factor vocabularies, sentiment weights, modifiers) is data: see
:func:`load_lexicon`.  By default :func:`score_csi` reads sentences with the lexicon plus a
classifier trained on public sentiment corpora and the project's own sentences, shipped fitted
(:func:`bundled_model`, loaded on first use); ``model=None`` uses the lexicon alone.  With a few hundred labelled
sentences of their own, an analyst fits a :class:`SentenceClassifier` that learns the firm's way
of speaking; :func:`cross_validate` shows whether it beats the lexicon and the bundled model.
"""

from .bundled import bundled_model, bundled_training_data
from .corpus import build_corpus, load_transcripts
from .evaluation import factor_scores, read_labelled, summary_scores
from .lexicon import Lexicon, load_lexicon
from .model import SentenceClassifier, cross_validate
from .ratings import extract_ratings
from .redflags import detect_red_flags
from .scores import CSIResult, client_quarter_scores, evidence_table, interview_scores, score_csi, top_quotes
from .scoring import score_sentence
from .sentences import score_sentences
from .texts import score_texts
from .weights import (
    importance_performance,
    rating_frame,
    retention_frame,
    retention_importance,
    shapley_importance,
    weights_from_importance,
    wide_scores,
)

__all__ = [
    "CSIResult",
    "Lexicon",
    "SentenceClassifier",
    "build_corpus",
    "bundled_model",
    "bundled_training_data",
    "client_quarter_scores",
    "cross_validate",
    "detect_red_flags",
    "evidence_table",
    "extract_ratings",
    "factor_scores",
    "importance_performance",
    "interview_scores",
    "load_lexicon",
    "load_transcripts",
    "rating_frame",
    "read_labelled",
    "retention_frame",
    "retention_importance",
    "score_csi",
    "score_sentence",
    "score_sentences",
    "score_texts",
    "shapley_importance",
    "summary_scores",
    "top_quotes",
    "weights_from_importance",
    "wide_scores",
]
