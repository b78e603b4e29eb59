"""Learn from the firm's own labels: a sentence classifier that can improve on the lexicon.

An analyst who labels a few hundred of their own sentences (factor ``+``/``-``/empty and
polarity, the format of :func:`~outstaff_analysis.csi.evaluation.read_labelled`) fits a
:class:`SentenceClassifier`; :func:`cross_validate` prints how it compares with the lexicon.  Without
labels of their own, :func:`~outstaff_analysis.csi.scores.score_csi` uses the same classifier
trained on the labelled sentences shipped with the package (:mod:`.bundled`); ``model=None``
scores with the lexicon alone.

Features: TF-IDF of lemma n-grams plus the lexicon's own reading of the sentence (its polarity
score and factor contributions), so the model starts from the rules and learns corrections.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from ..config import FACTORS
from .evaluation import LABEL_COLUMNS, factor_scores, labels_from_scores, summary_scores
from .lexicon import Lexicon, load_lexicon
from .sentences import score_texts
from .text import PUNCTUATION, lemma, tokenize

TARGETS = ("polarity", *FACTORS)


def lemma_ngrams(text: str, *, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Lemma n-grams of a sentence (punctuation dropped), the model's text features.

    Examples
    --------
    >>> lemma_ngrams("Сроки срывают", ngram_range=(1, 2))
    ['срок', 'срывать', 'срок срывать']
    """
    lemmas = [lemma(token) for token in tokenize(text) if token not in PUNCTUATION]
    low, high = ngram_range
    grams = list(lemmas) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams += [" ".join(lemmas[i:i + n]) for i in range(len(lemmas) - n + 1)]
    return grams


def _lexicon_features(scored: pd.DataFrame) -> np.ndarray:
    parts = [scored["polarity_score"].to_numpy(dtype=float)[:, None],
             scored[["is_question", "is_reported", "is_hedged"]].to_numpy(dtype=float)]
    values = scored[list(FACTORS)].to_numpy(dtype=float)
    parts += [np.nan_to_num(values), (~np.isnan(values)).astype(float)]
    return np.hstack(parts)


class SentenceClassifier:
    """Factor and polarity classifier for client sentences (logistic regressions).

    Parameters
    ----------
    lexicon : Lexicon, optional
        Lexicon whose reading is used as features (default: the packaged one).
    use_lexicon : bool
        Add the lexicon's features to the lemma n-grams (``False``: n-grams only).
    ngram_range : tuple of int
        Lemma n-gram lengths.
    c : float
        Inverse L2 penalty of the logistic regressions.
    fallback_proba : float or None
        A sentence predicted positive or negative for which no factor is predicted is attributed
        to its most probable factor, with the sentence's sign, when that factor's probability of
        being spoken of is at least this ("we chase them for status updates" is a complaint about
        something).  ``None``: never.

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer
    models_ : dict
        target (``"polarity"`` and each factor) -> fitted ``LogisticRegression``, or the single
        label seen in training.
    n_train_ : int
    label_counts_ : pandas.DataFrame
        Training labels per target and class.

    Examples
    --------
    >>> model = SentenceClassifier().fit(labelled["text"], labelled)  # doctest: +SKIP
    >>> model.predict(["Сроки опять сорвали."])  # doctest: +SKIP
    """

    def __init__(self, *, lexicon: Lexicon | None = None, use_lexicon: bool = True,
                 ngram_range: tuple[int, int] = (1, 2), c: float = 4.0, fallback_proba: float | None = 0.3):
        self.lexicon = lexicon
        self.use_lexicon = use_lexicon
        self.ngram_range = ngram_range
        self.c = c
        self.fallback_proba = fallback_proba

    def _features(self, texts: Sequence[str], *, scored: pd.DataFrame | None = None, fit: bool = False):
        texts = list(texts)
        if fit:
            self.vectorizer_ = TfidfVectorizer(analyzer=functools.partial(lemma_ngrams, ngram_range=self.ngram_range),
                                               sublinear_tf=True)
            grams = self.vectorizer_.fit_transform(texts)
        else:
            grams = self.vectorizer_.transform(texts)
        if not self.use_lexicon:
            return grams.tocsr()
        if scored is None:
            scored = score_texts(texts, lexicon=self.lexicon or load_lexicon())
        return sparse.hstack([grams, sparse.csr_matrix(_lexicon_features(scored))]).tocsr()

    def fit(self, texts: Sequence[str], labels: pd.DataFrame) -> SentenceClassifier:
        """Fit on labelled sentences.

        Parameters
        ----------
        texts : sequence of str
        labels : pandas.DataFrame
            Columns ``polarity`` (positive/negative/neutral) and one per factor (``+``, ``-`` or
            empty), aligned with ``texts``.

        Returns
        -------
        SentenceClassifier
            ``self``, fitted.
        """
        missing = [t for t in TARGETS if t not in labels.columns]
        if missing:
            raise ValueError(f"`labels` must have columns {list(TARGETS)}; missing {missing}")
        if len(labels) != len(texts):
            raise ValueError(f"`texts` ({len(texts)}) and `labels` ({len(labels)}) must have the same length")
        x = self._features(texts, fit=True)
        self.models_ = {}
        counts = []
        for target in TARGETS:
            y = labels[target].fillna("").astype(str).to_numpy()
            classes, n = np.unique(y, return_counts=True)
            counts += [(target, k, int(m)) for k, m in zip(classes, n)]
            if len(classes) == 1:
                self.models_[target] = classes[0]
            else:
                self.models_[target] = LogisticRegression(C=self.c, solver="newton-cg", max_iter=500,
                                                             class_weight="balanced").fit(x, y)
        self.n_train_ = len(texts)
        self.label_counts_ = pd.DataFrame(counts, columns=["target", "label", "n"])
        return self

    def _check_fitted(self):
        if not hasattr(self, "models_"):
            raise RuntimeError("This SentenceClassifier is not fitted yet: call `fit(texts, labels)` first")

    def _proba(self, x, target) -> pd.DataFrame:
        """Class probabilities, one column per possible label (0 for labels never seen)."""
        classes = ["positive", "negative", "neutral"] if target == "polarity" else ["", "+", "-"]
        model = self.models_[target]
        if isinstance(model, str):
            proba = pd.DataFrame({model: np.ones(x.shape[0])})
        else:
            proba = pd.DataFrame(model.predict_proba(x), columns=model.classes_)
        return proba.reindex(columns=classes, fill_value=0.0)

    def predict(self, texts: Sequence[str]) -> pd.DataFrame:
        """Predicted labels: ``text``, one column per factor (``+``/``-``/empty) and ``polarity``."""
        return labels_from_scores(self.score_texts(texts)).assign(text=list(texts))[["text", *FACTORS, "polarity"]]

    def score_texts(self, texts: Sequence[str], *, scored: pd.DataFrame | None = None) -> pd.DataFrame:
        """Scores in the format of :func:`~outstaff_analysis.csi.sentences.score_texts`.

        A factor's contribution is ``P(+) - P(-)`` where the predicted label is ``+`` or ``-``
        (NaN where the sentence is predicted not to speak of it; see ``fallback_proba`` for a
        polar sentence with no factor, whose contribution has the sentence's sign and at least
        the factor's probability of being spoken of); ``polarity_score`` is
        ``P(positive) - P(negative)``.  ``is_question``, ``is_reported`` and ``is_hedged`` are the
        lexicon's reading.

        Parameters
        ----------
        texts : sequence of str
        scored : pandas.DataFrame, optional
            The lexicon's scores of ``texts`` (:func:`~outstaff_analysis.csi.sentences.score_texts`
            with no model), when already computed; by default they are computed here.
        """
        self._check_fitted()
        texts = list(texts)
        if scored is None:
            scored = score_texts(texts, lexicon=self.lexicon or load_lexicon())
        x = self._features(texts, scored=scored)
        out = scored.reset_index(drop=True).copy()
        polarity = self._proba(x, "polarity")
        out["polarity_score"] = (polarity["positive"] - polarity["negative"]).to_numpy()
        out["polarity"] = polarity.idxmax(axis=1).to_numpy()
        probas = [self._proba(x, factor) for factor in FACTORS]
        values = np.column_stack([(p["+"] - p["-"]).to_numpy(dtype=float) for p in probas])
        spoken = np.column_stack([(p.idxmax(axis=1) != "").to_numpy() for p in probas])
        if self.fallback_proba is not None:
            mentioned = np.column_stack([1.0 - p[""].to_numpy(dtype=float) for p in probas])
            best = mentioned.argmax(axis=1)
            rows = np.flatnonzero(~spoken.any(axis=1) & (out["polarity"] != "neutral").to_numpy()
                                  & (mentioned.max(axis=1) >= self.fallback_proba))
            sign = np.where(out["polarity"].to_numpy()[rows] == "positive", 1.0, -1.0)
            spoken[rows, best[rows]] = True
            values[rows, best[rows]] = sign * np.maximum(np.abs(values[rows, best[rows]]), mentioned[rows, best[rows]])
        for k, factor in enumerate(FACTORS):
            out[factor] = np.where(spoken[:, k], values[:, k], np.nan)
        return out

    @property
    def summary(self) -> pd.DataFrame:
        """Training labels per target and class, with the strongest lemma n-grams of each class."""
        self._check_fitted()
        names = self.vectorizer_.get_feature_names_out()
        top = []
        for row in self.label_counts_.itertuples(index=False):
            model = self.models_[row.target]
            if isinstance(model, str):
                top.append("")
                continue
            k = list(model.classes_).index(row.label)
            coef = model.coef_[k if len(model.classes_) > 2 else 0][: len(names)]
            if len(model.classes_) == 2 and k == 0:
                coef = -coef
            top.append(", ".join(names[np.argsort(coef)[::-1][:5]]))
        return self.label_counts_.assign(top_features=top)

    def _repr_html_(self) -> str:
        if not hasattr(self, "models_"):
            return f"<p>{html.escape(repr(self))} (not fitted)</p>"
        head = f"<p><b>SentenceClassifier</b> fitted on {self.n_train_} sentences</p>"
        return head + self.summary._repr_html_()

    def __repr__(self) -> str:
        return (f"SentenceClassifier(use_lexicon={self.use_lexicon}, ngram_range={self.ngram_range}, c={self.c}, "
                f"fallback_proba={self.fallback_proba})")


def _lexicon_labels(texts, lexicon) -> pd.DataFrame:
    return labels_from_scores(score_texts(texts, lexicon=lexicon))


def compare_methods(train: pd.DataFrame, test: pd.DataFrame, *, lexicon: Lexicon | None = None,
                    c: float = 4.0) -> pd.DataFrame:
    """Lexicon vs model (lemma n-grams) vs lexicon+model, trained on ``train``, scored on ``test``.

    Parameters
    ----------
    train, test : pandas.DataFrame
        Labelled sentences (:data:`~outstaff_analysis.csi.evaluation.LABEL_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        One row per method with the numbers of
        :func:`~outstaff_analysis.csi.evaluation.summary_scores`.
    """
    rows = []
    predictions = {"lexicon": _lexicon_labels(test["text"], lexicon)}
    for name, use in (("model", False), ("lexicon+model", True)):
        model = SentenceClassifier(lexicon=lexicon, use_lexicon=use, c=c).fit(train["text"], train)
        predictions[name] = model.predict(test["text"])
    for name, predicted in predictions.items():
        rows.append({"method": name, **summary_scores(test.reset_index(drop=True), predicted.reset_index(drop=True))})
    return pd.DataFrame(rows)


def cross_validate(labelled: pd.DataFrame, *, n_splits: int = 5, seed: int = 0, lexicon: Lexicon | None = None,
                   c: float = 4.0, verbose: bool = True) -> pd.DataFrame:
    """Cross-validated scores of the lexicon, the model and lexicon+model on labelled sentences.

    Folds are stratified by polarity.  Printed (``verbose``) as the mean and spread over folds.

    Parameters
    ----------
    labelled : pandas.DataFrame
        Labelled sentences (:data:`~outstaff_analysis.csi.evaluation.LABEL_COLUMNS`).
    n_splits : int
    seed : int
    lexicon : Lexicon, optional
    c : float
        Inverse L2 penalty of the model.
    verbose : bool
        Print the table of means.

    Returns
    -------
    pandas.DataFrame
        One row per fold and method: ``fold, method, factor_macro_f1, factor_macro_f1_signed,
        polarity_accuracy, polarity_accuracy_polar``.
    """
    missing = [col for col in LABEL_COLUMNS if col not in labelled.columns]
    if missing:
        raise ValueError(f"`labelled` is missing columns {missing}")
    labelled = labelled.reset_index(drop=True)
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    frames = []
    for k, (train, test) in enumerate(folds.split(labelled, labelled["polarity"])):
        scores = compare_methods(labelled.iloc[train], labelled.iloc[test], lexicon=lexicon, c=c)
        frames.append(scores.assign(fold=k))
    table = pd.concat(frames, ignore_index=True)
    table = table[["fold", *[col for col in table.columns if col != "fold"]]]
    if verbose:
        means = table.drop(columns="fold").groupby("method", sort=False).agg(["mean", "std"]).round(3)
        print(f"{n_splits}-fold cross-validation on {len(labelled)} labelled sentences (mean, std over folds):")
        print(means.to_string())
    return table


__all__ = ["TARGETS", "SentenceClassifier", "compare_methods", "cross_validate", "factor_scores", "lemma_ngrams"]
