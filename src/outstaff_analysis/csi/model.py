"""Learn from the firm's own labels: a sentence classifier that can improve on the lexicon.

An analyst who labels a few hundred of their own sentences (factor ``+``/``-``/empty and
polarity, the format of :func:`~outstaff_analysis.csi.evaluation.read_labelled`) fits a
:class:`SentenceClassifier`; :func:`cross_validate` prints how it compares with the lexicon.  Without
labels of their own, :func:`~outstaff_analysis.csi.scores.score_csi` uses the same classifier
trained on public sentiment corpora and the project's own sentences and shipped fitted
(:mod:`.bundled`); ``model=None`` scores with the lexicon alone.

Features (:mod:`.features`): hashed lemma and character n-grams, VADER's scores and the lexicon's
own reading of the sentence (its polarity score and factor contributions), so the model starts
from the rules and learns corrections.  Nothing is fitted in the features, so a fitted model is
plain arrays: :meth:`SentenceClassifier.save` writes them as ``.npz`` (no pickle) with a JSON
description, :meth:`SentenceClassifier.load` reads them back.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, sparse
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold

from ..config import FACTORS
from .embeddings import word_vectors
from .evaluation import LABEL_COLUMNS, POLARITIES, factor_scores, labels_from_scores, summary_scores
from .features import FeatureSettings, feature_parts, featurise, lemma_ngrams
from .lexicon import Lexicon, load_lexicon
from .sentences import polar_evidence, sentence_table

TARGETS = ("polarity", *FACTORS)


class LinearHead:
    """A fitted linear classifier as plain arrays: class probabilities are ``softmax((x W' + b) / T)``.

    A two-class logistic regression is stored as two rows (the first all zeros), which gives the
    same probabilities as its sigmoid.  Fitted and loaded models go through this one class, so a
    saved model scores exactly as it did before it was saved.

    Parameters
    ----------
    classes : sequence of str
    coef : scipy.sparse matrix, shape (classes, features)
    intercept : array, shape (classes,)
    """

    def __init__(self, classes, coef, intercept):
        self.classes = [str(c) for c in classes]
        self.coef = sparse.csr_matrix(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self._parts = {}  # columns of the sparse part -> (its coefficients, the dense part's), made on first use

    @classmethod
    def from_linear(cls, model) -> LinearHead:
        """The head of a fitted scikit-learn linear classifier (``coef_``, ``intercept_``, ``classes_``)."""
        coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        if len(model.classes_) == 2:
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], intercept])
        return cls(model.classes_, sparse.csr_matrix(coef), intercept)

    def logits(self, x, vectors: np.ndarray | None = None) -> np.ndarray:
        """``x W' + b`` (rows x classes).

        Parameters
        ----------
        x : scipy.sparse matrix
            The features (:func:`~outstaff_analysis.csi.features.featurise`), or with ``vectors``
            their sparse first columns (:func:`~outstaff_analysis.csi.features.feature_parts`).
        vectors : numpy.ndarray, optional
            The dense last columns: ``[x, vectors] W' + b`` is computed as ``x W_x' + vectors
            W_v' + b``, the same numbers as the whole matrix's without making it.
        """
        if vectors is None:
            return np.asarray((x @ self.coef.T).todense()) + self.intercept
        if x.shape[1] + vectors.shape[1] != self.coef.shape[1]:
            raise ValueError(f"{x.shape[1]} sparse and {vectors.shape[1]} dense feature columns, "
                             f"expected {self.coef.shape[1]} in all")
        if x.shape[1] not in self._parts:
            self._parts[x.shape[1]] = (self.coef[:, :x.shape[1]].T.tocsr(), self.coef[:, x.shape[1]:].T.toarray())
        coef, dense = self._parts[x.shape[1]]
        # one product per row ((rows, 1, d) @ (d, classes)): a sentence's logits are the same to the last bit
        # whatever it is scored with, which one matrix product over all rows does not promise
        return np.asarray((x @ coef).todense()) + (vectors[:, None, :] @ dense)[:, 0, :] + self.intercept

    def proba(self, x, temperature: float = 1.0, vectors: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities (rows x classes), softened by ``temperature`` (``vectors``: see :meth:`logits`)."""
        return softmax(self.logits(x, vectors) / temperature)


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


FORMAT_VERSION = 1
"""Version of the saved-model format (:meth:`SentenceClassifier.save`)."""


class SentenceClassifier:
    """Factor and polarity classifier for client sentences (logistic regressions over hashed features).

    Parameters
    ----------
    lexicon : Lexicon, optional
        Lexicon whose reading is used as features (default: the packaged one).
    use_lexicon : bool
        Add the lexicon's reading to the features (``False``: text features only).
    ngram_range : tuple of int
        Lemma n-gram lengths.
    char_range : tuple of int or None
        Character n-gram lengths (``None``: none).
    use_vader : bool
        Add VADER's scores (English) to the features.
    embedding_scale : float
        Add the mean pretrained vector of the sentence's Russian words times this
        (:func:`~outstaff_analysis.csi.embeddings.sentence_vectors`); 0: none.
    alpha : float
        L2 penalty of the heads.  Each head is a logistic regression fitted by averaged stochastic
        gradient descent (scikit-learn's ``SGDClassifier``, one-vs-rest logits under a softmax,
        classes balanced): seconds on tens of thousands of corpus sentences, where an exact
        solver takes many minutes, with the same cross-validated factor F1 within a point.
    fallback_proba : float or None
        A sentence predicted positive or negative for which no factor is predicted is attributed
        to its most probable factor, with the sentence's sign, when that factor's probability of
        being spoken of is at least this ("we chase them for status updates" is a complaint about
        something).  ``None``: never.
    lexicon_factors : bool
        A factor the lexicon reads in a polar sentence of its own that the factor heads missed is
        spoken of too (see :meth:`score_texts`).

    Attributes
    ----------
    models_ : dict
        target (``"polarity"`` and each factor) -> fitted :class:`LinearHead`, or the single
        label seen in training.
    temperature_ : float
        Divides the polarity logits (calibration; 1 unless set, see :meth:`calibrate`).
    n_train_ : int
    label_counts_ : pandas.DataFrame
        Training labels per target and class.
    metadata_ : dict
        Free-form facts stored with the model (training data, scores).

    Examples
    --------
    >>> model = SentenceClassifier().fit(labelled["text"], labelled)  # doctest: +SKIP
    >>> model.predict(["Сроки опять сорвали."])  # doctest: +SKIP
    """

    def __init__(self, *, lexicon: Lexicon | None = None, use_lexicon: bool = True,
                 ngram_range: tuple[int, int] = (1, 2), char_range: tuple[int, int] | None = (2, 4),
                 use_vader: bool = True, embedding_scale: float = 0.0, alpha: float = 3e-5,
                 fallback_proba: float | None = 0.3, lexicon_factors: bool = True):
        self.lexicon = lexicon
        self.use_lexicon = use_lexicon
        self.ngram_range = ngram_range
        self.char_range = char_range
        self.use_vader = use_vader
        self.embedding_scale = embedding_scale
        self.alpha = alpha
        self.fallback_proba = fallback_proba
        self.lexicon_factors = lexicon_factors

    @property
    def feature_settings(self) -> FeatureSettings:
        """What the model's features are made of."""
        return FeatureSettings(ngram_range=tuple(self.ngram_range),
                               char_range=tuple(self.char_range) if self.char_range else None,
                               use_vader=self.use_vader, use_lexicon=self.use_lexicon,
                               embedding_scale=self.embedding_scale)

    def features(self, texts: Sequence[str], *, scored: pd.DataFrame | None = None):
        """The feature matrix of ``texts`` (see :func:`~outstaff_analysis.csi.features.featurise`).

        ``scored``: the lexicon's scores of ``texts`` when already computed.  The lexicon's reading
        enters as :func:`~outstaff_analysis.csi.sentences.polar_evidence` leaves it (no factor in a
        sentence it reads neutral), the reading the model is trained on, whoever computed it.
        """
        return featurise(*self._featurise_args(texts, scored))

    def _feature_parts(self, texts: Sequence[str], scored: pd.DataFrame | None = None) -> tuple:
        """:meth:`features` as its sparse and dense columns (:func:`~outstaff_analysis.csi.features.feature_parts`).

        Scoring reads these: each head's logits are the same, without the dense columns in a
        sparse matrix.
        """
        return feature_parts(*self._featurise_args(texts, scored))

    def load_resources(self) -> None:
        """Load now what scoring would load on first use: the word vectors, if the model reads them.

        A process about to fork workers that score calls this, so they share one copy of the
        read-only table (40 MB, and a transient 70 MB while it is read) instead of each reading its own.
        """
        if self.embedding_scale:
            word_vectors()

    def _featurise_args(self, texts: Sequence[str], scored: pd.DataFrame | None) -> tuple:
        texts = list(texts)
        if self.use_lexicon:
            scored = sentence_table(texts, lexicon=self.lexicon or load_lexicon()) if scored is None \
                else polar_evidence(scored)
        return texts, self.feature_settings, scored

    def fit(self, texts: Sequence[str], labels: pd.DataFrame, *, sample_weight=None, x=None) -> SentenceClassifier:
        """Fit on labelled sentences.

        Parameters
        ----------
        texts : sequence of str
        labels : pandas.DataFrame
            Columns ``polarity`` (positive/negative/neutral) and one per factor (``+``, ``-`` or
            empty), aligned with ``texts``.  A missing value (NaN/None) means "not labelled": a
            sentence from a general sentiment corpus has a polarity but no factor labels.
        sample_weight : array-like, optional
            Weight of each sentence (default 1).
        x : scipy.sparse matrix, optional
            :meth:`features` of ``texts``, when already computed (cross-validation reuses them).

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
        weight = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        x = self.features(texts) if x is None else x
        self.models_ = {}
        counts = []
        for target in TARGETS:
            known = labels[target].notna().to_numpy()
            y = labels[target].to_numpy()[known].astype(str)
            classes, n = np.unique(y, return_counts=True)
            counts += [(target, k, int(m)) for k, m in zip(classes, n)]
            if len(classes) == 1:
                self.models_[target] = str(classes[0])
            else:
                fitted = self.estimator().fit(x[known], y, sample_weight=weight[known])
                self.models_[target] = LinearHead.from_linear(fitted)
        self.temperature_ = 1.0
        self.n_train_ = len(texts)
        self.label_counts_ = pd.DataFrame(counts, columns=["target", "label", "n"])
        self.metadata_ = {}
        return self

    def estimator(self) -> SGDClassifier:
        """An unfitted head (every target is fitted by one of these)."""
        return SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=20, tol=None, average=True,
                             class_weight="balanced", random_state=0)

    def _check_fitted(self):
        if not hasattr(self, "models_"):
            raise RuntimeError("This SentenceClassifier is not fitted yet: call `fit(texts, labels)` first")

    def polarity_logits(self, texts: Sequence[str], *, x=None) -> np.ndarray:
        """Uncalibrated polarity logits (rows x ``positive, negative, neutral``), for calibration.

        ``x``: the :meth:`features` of ``texts`` when already computed.
        """
        self._check_fitted()
        head = self.models_["polarity"]
        logits = head.logits(*(self._feature_parts(texts) if x is None else (x,)))
        return pd.DataFrame(logits, columns=head.classes).reindex(columns=list(POLARITIES)).to_numpy()

    def _proba(self, x, target, vectors: np.ndarray | None = None) -> pd.DataFrame:
        """Class probabilities, one column per possible label (0 for labels never seen).

        ``x``, ``vectors``: the features, or their sparse and dense parts (:meth:`_feature_parts`).
        """
        classes = list(POLARITIES) if target == "polarity" else ["", "+", "-"]
        model = self.models_[target]
        if isinstance(model, str):
            proba = pd.DataFrame({model: np.ones(x.shape[0])})
        else:
            temperature = self.temperature_ if target == "polarity" else 1.0
            proba = pd.DataFrame(model.proba(x, temperature, vectors), columns=model.classes)
        return proba.reindex(columns=classes, fill_value=0.0)

    def predict(self, texts: Sequence[str]) -> pd.DataFrame:
        """Predicted labels: ``text``, one column per factor (``+``/``-``/empty) and ``polarity``."""
        return labels_from_scores(self.score_texts(texts)).assign(text=list(texts))[["text", *FACTORS, "polarity"]]

    def score_texts(self, texts: Sequence[str], *, scored: pd.DataFrame | None = None) -> pd.DataFrame:
        """Scores in the format of :func:`~outstaff_analysis.csi.sentences.sentence_table`.

        ``polarity_score`` is ``P(positive) - P(negative)``, ``polarity`` the most probable
        label and ``probability`` its probability (calibrated, see :meth:`calibrate`).  Where a
        factor's predicted label is ``+`` or ``-``, and only in a polar sentence
        (:func:`~outstaff_analysis.csi.sentences.polar_evidence`), its contribution is the
        probability that the sentence praises the factor minus the probability that it complains
        of it, each the product of the factor head's and the calibrated polarity head's
        probability: ``P_f(+) * P(positive) - P_f(-) * P(negative)``.  Evidence needs a factor
        *and* a polar reading, and the factor heads alone are nearly always certain (a probability
        of 1 for "the reaction comes by tomorrow evening at best" read as praise of service), so the
        calibrated polarity carries how sure and how strong the reading is: a sentence the model
        barely finds positive weighs half what a clear complaint does, "excellent" more than "fine".
        A polar sentence with no factor (see ``fallback_proba``) speaks of its most probable factor
        with ``P(spoken of) * (P(positive) - P(negative))``.  With ``lexicon_factors``, a factor the
        lexicon reads in a polar sentence of its own
        (:func:`~outstaff_analysis.csi.sentences.polar_evidence`) that the heads missed is spoken of
        too, with the lexicon's sign: ``P(positive)`` for praise, ``-P(negative)`` for a complaint
        (the lexicon in the place of the factor head; the two readers miss different paraphrases: in
        5-fold cross-validation on the package's labelled sentences, factor macro-F1 0.784 against
        0.779 for the heads alone, recall 0.733 against 0.714; ``benchmarks/cv_factor_rules.py``).
        When a sentence speaks of one factor only, its praise and complaint are both about it, and
        the contribution is ``P(spoken of) * (P(positive) - P(negative))`` (1 in place of
        ``P(spoken of)`` for a factor the lexicon added): the factor head's sign is needed only to
        split a sentence between factors ("Дороговато, но качество того стоит").  A mixed answer on
        one factor, read by the polarity head as much praise as complaint ("код нормальный, на
        ревью замечания бывают, но мелкие"), is then middling rather than a complaint because the
        factor head leaned that way (out of fold on the package's sentences: signed factor macro-F1
        0.720 against 0.714, signed precision 0.777 against 0.770; the same benchmark).
        ``is_question``, ``is_reported`` and ``is_hedged`` are the lexicon's reading.

        Parameters
        ----------
        texts : sequence of str
        scored : pandas.DataFrame, optional
            The lexicon's scores of ``texts`` (:func:`~outstaff_analysis.csi.sentences.sentence_table`
            with no model), when already computed; by default they are computed here.
        """
        self._check_fitted()
        texts = list(texts)
        if scored is None:
            scored = sentence_table(texts, lexicon=self.lexicon or load_lexicon())
        x, vectors = self._feature_parts(texts, scored)
        out = scored.reset_index(drop=True).copy()
        polarity = self._proba(x, "polarity", vectors)
        out["polarity_score"] = (polarity["positive"] - polarity["negative"]).to_numpy()
        out["polarity"] = polarity.idxmax(axis=1).to_numpy()
        out["probability"] = polarity.max(axis=1).to_numpy()
        probas = [self._proba(x, factor, vectors) for factor in FACTORS]
        del x, vectors
        positive, negative = polarity["positive"].to_numpy(), polarity["negative"].to_numpy()
        values = np.column_stack([p["+"].to_numpy(dtype=float) * positive - p["-"].to_numpy(dtype=float) * negative
                                  for p in probas])
        spoken = np.column_stack([(p.idxmax(axis=1) != "").to_numpy() for p in probas])
        mentioned = np.column_stack([1.0 - p[""].to_numpy(dtype=float) for p in probas])  # P(spoken of)
        if self.fallback_proba is not None:
            best = mentioned.argmax(axis=1)
            rows = np.flatnonzero(~spoken.any(axis=1) & (out["polarity"] != "neutral").to_numpy()
                                  & (mentioned.max(axis=1) >= self.fallback_proba))
            spoken[rows, best[rows]] = True
            values[rows, best[rows]] = mentioned[rows, best[rows]] * (positive[rows] - negative[rows])
        lexical = polar_evidence(scored.reset_index(drop=True))[list(FACTORS)].fillna(0.0).to_numpy(dtype=float)
        added = ~spoken & (lexical != 0) & self.lexicon_factors  # a factor the heads missed, with the lexicon's sign
        values[added] = np.where(lexical > 0, positive[:, None], -negative[:, None])[added]
        spoken |= added
        # one factor spoken of: the sentence's praise and complaint are both about it
        single = np.flatnonzero(spoken.sum(axis=1) == 1)
        which = spoken[single].argmax(axis=1)
        sure = np.where(added[single, which], 1.0, mentioned[single, which])
        values[single, which] = sure * (positive[single] - negative[single])
        for k, factor in enumerate(FACTORS):
            out[factor] = np.where(spoken[:, k], values[:, k], np.nan)
        return polar_evidence(out)

    def calibrate(self, logits: np.ndarray, labels: Sequence[str], *, sample_weight=None) -> float:
        """Set :attr:`temperature_` to the one that best fits held-out polarity labels (log-loss).

        Parameters
        ----------
        logits : numpy.ndarray
            Out-of-fold polarity logits (:meth:`polarity_logits` of models that did not see
            these sentences), columns ``positive, negative, neutral``.
        labels : sequence of str
            Their true polarities.
        sample_weight : array-like, optional
            Weight of each sentence in the log-loss (default 1): the weights it was trained with,
            so that the temperature fits the mix of text the model was fitted for.

        Returns
        -------
        float
            The temperature.
        """
        self._check_fitted()
        self.temperature_ = fit_temperature(logits, labels, sample_weight=sample_weight)
        return self.temperature_

    def save(self, path: str | os.PathLike, *, metadata: dict | None = None) -> None:
        """Write the fitted model: ``<path>.npz`` (arrays, no pickle) and ``<path>.json`` (settings).

        Parameters
        ----------
        path : path-like
            Without extension.
        metadata : dict, optional
            JSON-able facts stored in ``<path>.json`` under ``"metadata"`` (and in
            :attr:`metadata_` on load).
        """
        self._check_fitted()
        path = Path(path)
        arrays, heads = {}, {}
        for target, model in self.models_.items():
            if isinstance(model, str):
                heads[target] = model
                continue
            coef = model.coef.astype(np.float32)
            coef.eliminate_zeros()
            arrays.update({f"{target}.classes": np.array(model.classes, dtype=str),
                           f"{target}.indptr": coef.indptr.astype(np.int32),
                           f"{target}.indices": coef.indices.astype(np.int32),
                           f"{target}.data": coef.data,
                           f"{target}.shape": np.array(coef.shape, dtype=np.int64),
                           f"{target}.intercept": model.intercept.astype(np.float32)})
            heads[target] = None
        meta = {"format_version": FORMAT_VERSION, "features": self.feature_settings.to_dict(), "alpha": self.alpha,
                "fallback_proba": self.fallback_proba, "lexicon_factors": self.lexicon_factors,
                "temperature": self.temperature_, "n_train": self.n_train_,
                "constant_heads": {k: v for k, v in heads.items() if v is not None},
                "label_counts": self.label_counts_.to_dict(orient="records"),
                "metadata": metadata if metadata is not None else self.metadata_}
        np.savez_compressed(path.with_suffix(".npz"), **arrays)
        path.with_suffix(".json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike, *, lexicon: Lexicon | None = None) -> SentenceClassifier:
        """Read a model written by :meth:`save` (``<path>.npz`` and ``<path>.json``; nothing is unpickled).

        Raises
        ------
        ValueError
            If the files are of another format version.
        """
        path = Path(path)
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path.with_suffix('.json')}: model format version {meta.get('format_version')!r}, "
                             f"expected {FORMAT_VERSION}")
        features = FeatureSettings.from_dict(meta["features"])
        model = cls(lexicon=lexicon, use_lexicon=features.use_lexicon, ngram_range=features.ngram_range,
                    char_range=features.char_range, use_vader=features.use_vader,
                    embedding_scale=features.embedding_scale, alpha=meta["alpha"],
                    fallback_proba=meta["fallback_proba"], lexicon_factors=meta.get("lexicon_factors", True))
        if features != model.feature_settings:
            raise ValueError(f"{path.with_suffix('.json')}: feature settings {meta['features']} are not supported")
        model.models_ = dict(meta["constant_heads"])
        with np.load(path.with_suffix(".npz"), allow_pickle=False) as arrays:
            for target in TARGETS:
                if target in model.models_:
                    continue
                coef = sparse.csr_matrix((arrays[f"{target}.data"], arrays[f"{target}.indices"],
                                          arrays[f"{target}.indptr"]), shape=tuple(arrays[f"{target}.shape"]))
                model.models_[target] = LinearHead(arrays[f"{target}.classes"].tolist(), coef,
                                                   arrays[f"{target}.intercept"])
        model.temperature_ = float(meta["temperature"])
        model.n_train_ = int(meta["n_train"])
        model.label_counts_ = pd.DataFrame(meta["label_counts"], columns=["target", "label", "n"])
        model.metadata_ = meta["metadata"]
        return model

    @property
    def summary(self) -> pd.DataFrame:
        """Training labels per target and class."""
        self._check_fitted()
        return self.label_counts_.copy()

    def _repr_html_(self) -> str:
        if not hasattr(self, "models_"):
            return f"<p>{html.escape(repr(self))} (not fitted)</p>"
        head = f"<p><b>SentenceClassifier</b> fitted on {self.n_train_} sentences</p>"
        return head + self.summary._repr_html_()

    def __repr__(self) -> str:
        return (f"SentenceClassifier(use_lexicon={self.use_lexicon}, ngram_range={self.ngram_range}, "
                f"char_range={self.char_range}, use_vader={self.use_vader}, "
                f"embedding_scale={self.embedding_scale}, alpha={self.alpha}, "
                f"fallback_proba={self.fallback_proba}, lexicon_factors={self.lexicon_factors})")


def fit_temperature(logits: np.ndarray, labels: Sequence[str], *, sample_weight=None) -> float:
    """The temperature ``T`` minimising the log-loss of ``softmax(logits / T)`` on ``labels``.

    Parameters
    ----------
    logits : numpy.ndarray
        Columns ``positive, negative, neutral``.
    labels : sequence of str
    sample_weight : array-like, optional
        Weight of each row in the log-loss (default 1).
    """
    y = pd.Categorical(list(labels), categories=list(POLARITIES)).codes
    if (y < 0).any():
        raise ValueError(f"polarity labels must be among {list(POLARITIES)}")
    logits = np.asarray(logits, dtype=float)
    weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)

    def loss(log_t):
        p = softmax(logits / np.exp(log_t))
        return -np.average(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)), weights=weight)

    return float(np.exp(optimize.minimize_scalar(loss, bounds=(-3, 3), method="bounded").x))


def _lexicon_labels(texts, lexicon) -> pd.DataFrame:
    return labels_from_scores(sentence_table(texts, lexicon=lexicon))


def compare_methods(train: pd.DataFrame, test: pd.DataFrame, *, lexicon: Lexicon | None = None,
                    alpha: float = 3e-5) -> pd.DataFrame:
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
        model = SentenceClassifier(lexicon=lexicon, use_lexicon=use, alpha=alpha).fit(train["text"], train)
        predictions[name] = model.predict(test["text"])
    for name, predicted in predictions.items():
        rows.append({"method": name, **summary_scores(test.reset_index(drop=True), predicted.reset_index(drop=True))})
    return pd.DataFrame(rows)


def cross_validate(labelled: pd.DataFrame, *, n_splits: int = 5, seed: int = 0, lexicon: Lexicon | None = None,
                   alpha: float = 3e-5, verbose: bool = True) -> pd.DataFrame:
    """Cross-validated scores of the lexicon, the model and lexicon+model on labelled sentences.

    Folds are stratified by polarity.  Printed (``verbose``) as the mean and spread over folds.

    Parameters
    ----------
    labelled : pandas.DataFrame
        Labelled sentences (:data:`~outstaff_analysis.csi.evaluation.LABEL_COLUMNS`).
    n_splits : int
    seed : int
    lexicon : Lexicon, optional
    alpha : float
        L2 penalty of the model.
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
        scores = compare_methods(labelled.iloc[train], labelled.iloc[test], lexicon=lexicon, alpha=alpha)
        frames.append(scores.assign(fold=k))
    table = pd.concat(frames, ignore_index=True)
    table = table[["fold", *[col for col in table.columns if col != "fold"]]]
    if verbose:
        means = table.drop(columns="fold").groupby("method", sort=False).agg(["mean", "std"]).round(3)
        print(f"{n_splits}-fold cross-validation on {len(labelled)} labelled sentences (mean, std over folds):")
        print(means.to_string())
    return table


__all__ = ["FORMAT_VERSION", "TARGETS", "LinearHead", "SentenceClassifier", "compare_methods", "cross_validate",
           "factor_scores", "fit_temperature", "lemma_ngrams", "softmax"]
