"""Factor scores and the CSI, per interview and per client-quarter, with their evidence.

Each scored sentence that speaks of a factor is one observation of the client's view of it, and
its *reading* is how favourable it is: ``(1 + c) / 2`` for its contribution ``c`` (capped to
[-1, 1]), so 1 is clear praise, 0 a clear complaint and a reading the scorer is unsure of, or a
mild one ("fairly quick"), lies in between.  The factor's *favourable share* is the mean reading
of its sentences (the share of positive contribution mass in all of it would score every client
who only praises a factor alike, "fine" or "excellent", and let a sentence misread with a
probability of 0.51 weigh as much as a clear complaint).  ``positive`` and ``negative`` in the
scores are those masses, for the record.  Fewer than
``settings.csi_min_evidence`` sentences on a factor is "insufficient evidence": the score is NaN
with that reason (one vague sentence is not a score of 0 or 100).

**How much evidence, and why sentences of one interview are not independent.**  The amount of
evidence is the number of sentences, not the sum of their weights (a mild "fairly quick" is one
observation of the client's view, as a loud one is), but a client who is cross about reports says
so three times in one call, and three calls saying it once each are stronger evidence.  So the
sentences a factor gets in one interview count as ``m / (1 + (m - 1) * rho)`` independent ones
(Kish's design effect of cluster sampling), each weighing ``1 / (1 + (m - 1) * rho)`` in the mean
reading, where ``rho`` is the within-interview correlation of the sentences' readings,
``settings.csi_interview_correlation``.  It is a setting, measured once with
:func:`within_interview_correlation` (the one-way ANOVA intraclass correlation of the readings
over every (interview, factor) with two or more sentences, clipped to [0, 1]), not re-estimated at
each call: re-estimated, a client's score changed with the other clients scored alongside it (its
single-client report disagreed with the batch's).  The correlation also absorbs the scorer's
misreadings that repeat within a call (the same phrase misread twice), the part of its error that
does not average out over sentences.

**The posterior.**  With ``n`` effective sentences of mean reading ``y`` on a factor, the factor
score is 100 times the posterior mean ``(k * m + n * y) / (k + n)`` under a prior of ``k = 2``
sentences (:data:`PRIOR_SENTENCES`) centred on the firm's typical reading ``m =
settings.csi_prior_reading`` (:func:`mean_reading`), so a client with little evidence is pulled
toward what the firm's clients usually say rather than toward 50.  Its interval is that of the
normal-inverse-chi^2 posterior (the conjugate model of a mean with unknown variance; Gelman et al.,
*Bayesian Data Analysis*, 3rd ed., section 3.3): the readings scatter around the factor's mean with
a variance ``sigma^2`` that is shared by the factors of one client-quarter (one client's sentences,
read by one reader) and estimated from them, with a prior of the same two sentences' weight at the
largest variance a reading of mean ``m`` can have, ``m * (1 - m)``.  The factor's mean then has a
Student t posterior with ``2 + N`` degrees of freedom (``N`` the row's effective sentences on all
factors) and scale ``sqrt(sigma_N^2 / (k + n))``; the 95% interval is its equal-tailed one, clipped
to 0-100.  The Beta posterior of a share used before treated every reading as a coin flip between
praise and complaint, whose variance ``y * (1 - y)`` is far larger than the spread of readings
that are graded (0.75 for "good", 0.95 for "excellent"): its intervals held the demo's truth 99 %
of the time.  Nothing here is estimated from other clients: a client's score and interval are the
same whether it is scored alone or with the firm (an empirical-Bayes prior fitted to the spread of
the client-quarters' mean readings held the demo's truth only 65-75 % of the time: the readings'
scale differs from the satisfaction's, so their spread between clients understates it).

The CSI is the weighted mean of the factor scores that have enough evidence
(``settings.csi_weights``, renormalised over those factors); its interval is the t interval of
that weighted mean (the factors share ``sigma^2`` and its degrees of freedom).

Measured on the demo firm over all client-quarters (truth: the mean true satisfaction of the
quarter's calls that discussed the factor) by ``benchmarks/eval_csi_intervals.py``; the figures
are in the README.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import stats as st

from ..config import DEFAULT_SETTINGS, FACTORS, Settings
from .bundled import resolve_model
from .lexicon import Lexicon
from .sentences import score_sentences

DEFAULT_WITHIN_INTERVIEW_CORRELATION = DEFAULT_SETTINGS.csi_interview_correlation
"""Within-interview correlation of sentence readings used when too few interviews are scored together
to estimate it (measured on the demo firm: 0.21)."""

MIN_CLUSTERS_FOR_CORRELATION = 30
"""(interview, factor) cells with two or more sentences needed to estimate the correlation."""

SCORE_COLUMNS = ["factor", "n_evidence", "positive", "negative", "estimate", "lower_95", "upper_95",
                 "insufficient_evidence", "reason"]
EVIDENCE_COLUMNS = ["client_id", "interview_id", "held_at", "utterance_no", "sentence_no", "speaker", "start",
                    "factor", "quote", "contribution", "polarity"]


def reading(contribution) -> np.ndarray:
    """How favourable a sentence is about a factor, 0..1: ``(1 + c) / 2`` of its contribution capped to [-1, 1]."""
    return (1.0 + np.clip(np.asarray(contribution, dtype=float), -1.0, 1.0)) / 2.0


def within_interview_correlation(evidence: pd.DataFrame) -> float:
    """Intraclass correlation of the readings of the evidence sentences within (interview, factor).

    Parameters
    ----------
    evidence : pandas.DataFrame
        Columns ``interview_id``, ``factor`` and ``contribution`` (one row per sentence and factor);
        the readings are :func:`reading` of the contributions.

    Returns
    -------
    float
        The one-way ANOVA estimate clipped to [0, 1], or
        :data:`DEFAULT_WITHIN_INTERVIEW_CORRELATION` when fewer than
        :data:`MIN_CLUSTERS_FOR_CORRELATION` cells have two or more sentences.
    """
    value = reading(evidence["contribution"])
    cells = pd.Series(value).groupby([evidence["interview_id"].to_numpy(), evidence["factor"].to_numpy()])
    size, mean = cells.size().to_numpy(dtype=float), cells.mean().to_numpy()
    n, k = len(value), len(size)
    if (size >= 2).sum() < MIN_CLUSTERS_FOR_CORRELATION or n <= k:
        return DEFAULT_WITHIN_INTERVIEW_CORRELATION
    between = (size * (mean - value.mean()) ** 2).sum() / (k - 1)
    within = (value**2).sum() - (size * mean**2).sum()
    within /= n - k
    n0 = (n - (size**2).sum() / n) / (k - 1)
    denominator = between + (n0 - 1) * within
    return float(np.clip((between - within) / denominator, 0.0, 1.0)) if denominator > 0 else 0.0


def mean_reading(evidence: pd.DataFrame, *, settings: Settings = DEFAULT_SETTINGS) -> float:
    """The firm's typical reading of a factor sentence (the default of ``Settings.csi_prior_reading``).

    Parameters
    ----------
    evidence : pandas.DataFrame
        :func:`evidence_table` rows of the firm's interviews (``interview_id``, ``factor``,
        ``contribution``).
    settings : Settings
        ``csi_interview_correlation`` weighs the sentences (Kish), as in the scores.

    Returns
    -------
    float
        The design-weighted mean :func:`reading`, in (0, 1); NaN without evidence.
    """
    if evidence.empty:
        return float("nan")
    weight = _design_weights(evidence, ["interview_id"], settings.csi_interview_correlation)
    return float(np.average(reading(evidence["contribution"]), weights=weight))


def _design_weights(evidence: pd.DataFrame, keys: list[str], rho: float) -> np.ndarray:
    """Each sentence's weight ``1 / (1 + (m - 1) * rho)``, ``m`` its interview's sentences on the factor (Kish)."""
    cells = list(dict.fromkeys([*keys, "factor", "interview_id"]))
    m = evidence.groupby(cells, sort=False)["factor"].transform("size").to_numpy(dtype=float)
    return 1.0 / (1.0 + (m - 1.0) * rho)


def _long(sentences: pd.DataFrame, id_columns: list[str]) -> pd.DataFrame:
    """One row per (sentence, factor spoken of), with the contribution capped to [-1, 1]."""
    values = sentences[list(FACTORS)].to_numpy(dtype=float)
    rows, columns = np.nonzero(~np.isnan(values) & (values != 0))  # row-major: sentence order kept
    long = sentences[id_columns].iloc[rows].reset_index(drop=True)
    long["factor"] = np.asarray(FACTORS, dtype=object)[columns]
    long["contribution"] = np.clip(values[rows, columns], -1.0, 1.0)
    return long


def evidence_table(sentences: pd.DataFrame) -> pd.DataFrame:
    """The evidence behind the scores: one row per (sentence, factor) it speaks of.

    Parameters
    ----------
    sentences : pandas.DataFrame
        Scored sentences (:func:`~outstaff_analysis.csi.scoring.score_sentences`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVIDENCE_COLUMNS`: ``quote`` is the sentence, an exact substring of the
        utterance; ``contribution`` is its signed weight in the factor score (capped to [-1, 1]);
        ``polarity`` is ``positive`` or ``negative``.  In the order of the sentences, then of
        :data:`~outstaff_analysis.config.FACTORS`.
    """
    ids = [c for c in EVIDENCE_COLUMNS if c in sentences.columns]
    out = _long(sentences.assign(quote=sentences["text"]), [*ids, "quote"])
    out["polarity"] = np.where(out["contribution"] > 0, "positive", "negative")
    return out[EVIDENCE_COLUMNS]


def top_quotes(evidence: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """The quotes that moved each factor most, positive and negative.

    Parameters
    ----------
    evidence : pandas.DataFrame
        :func:`evidence_table` rows (filter to one client or quarter first).
    n : int
        Quotes per factor and polarity.

    Returns
    -------
    pandas.DataFrame
        At most ``n`` rows per (factor, polarity), strongest contribution first; factors in the
        order of :data:`~outstaff_analysis.config.FACTORS`, positive before negative.
    """
    frame = evidence.assign(strength=evidence["contribution"].abs(),
                            factor_rank=evidence["factor"].map({f: i for i, f in enumerate(FACTORS)}))
    frame = frame.sort_values(["factor_rank", "polarity", "strength"], ascending=[True, False, False],
                              kind="stable")
    out = frame.groupby(["factor", "polarity"], sort=False).head(n)
    return out.drop(columns=["strength", "factor_rank"]).reset_index(drop=True)


PRIOR_SENTENCES = 2.0
"""Weight of the prior, in sentences, both of its mean (the firm's typical reading) and of its
variance (the largest a reading of that mean can have, ``m * (1 - m)``)."""


def _factor_rows(evidence: pd.DataFrame, keys: list[str], index: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    grid = index.merge(pd.DataFrame({"factor": list(FACTORS)}), how="cross")
    sums = ["effective", "favourable", "squares"]
    if len(evidence):
        weight = _design_weights(evidence, keys, settings.csi_interview_correlation)
        value = reading(evidence["contribution"])
        mass = evidence.assign(
            positive=evidence["contribution"].clip(lower=0), negative=(-evidence["contribution"]).clip(lower=0),
            effective=weight, favourable=weight * value, squares=weight * value**2,
        ).groupby([*keys, "factor"], as_index=False).agg(
            n_evidence=("contribution", "size"), positive=("positive", "sum"), negative=("negative", "sum"),
            **{s: (s, "sum") for s in sums})
        grid = grid.merge(mass, on=[*keys, "factor"], how="left")
    else:
        grid = grid.assign(n_evidence=0, positive=0.0, negative=0.0, **{s: 0.0 for s in sums})
    grid["n_evidence"] = grid["n_evidence"].fillna(0).astype(int)
    grid[["positive", "negative"]] = grid[["positive", "negative"]].fillna(0.0).astype(float)
    n, favourable, squares = (grid.pop(s).fillna(0.0).to_numpy(dtype=float) for s in sums)
    m, k0 = settings.csi_prior_reading, PRIOR_SENTENCES
    mean = np.divide(favourable, n, out=np.full_like(n, m), where=n > 0)
    kn = k0 + n
    # Normal-inverse-chi^2 posterior: the factor's mean reading shrunk toward m, and the spread of
    # readings, shared by the factors of one row (one client's sentences, read by one reader)
    grid["mu"] = (k0 * m + favourable) / kn
    grid["spread"] = np.clip(squares - n * mean**2, 0.0, None) + k0 * n / kn * (mean - m) ** 2
    grid["kn"], grid["n"] = kn, n
    pooled = grid.groupby(keys, sort=False)[["spread", "n"]].transform("sum")
    grid["dof"] = k0 + pooled["n"].to_numpy()
    grid["scale2"] = (k0 * m * (1 - m) + pooled["spread"].to_numpy()) / grid["dof"]  # posterior sigma^2
    enough = grid["n_evidence"].to_numpy() >= settings.csi_min_evidence
    half = st.t.ppf(0.975, grid["dof"]) * np.sqrt(grid["scale2"] / kn)
    mu = grid["mu"].to_numpy()
    grid["estimate"] = np.where(enough, 100 * mu, np.nan)
    grid["lower_95"] = np.where(enough, 100 * np.clip(mu - half, 0.0, 1.0), np.nan)
    grid["upper_95"] = np.where(enough, 100 * np.clip(mu + half, 0.0, 1.0), np.nan)
    grid["insufficient_evidence"] = ~enough
    grid["reason"] = np.where(
        enough, "",
        "insufficient evidence: " + grid["n_evidence"].astype(str) + f" of {settings.csi_min_evidence} sentences")
    return grid.drop(columns=["mu", "spread", "n"])


def _csi_rows(factors: pd.DataFrame, keys: list[str], settings: Settings) -> pd.DataFrame:
    weights = factors["factor"].map(dict(settings.csi_weights)).fillna(0.0).to_numpy()
    usable = ~factors["insufficient_evidence"].to_numpy() & (weights > 0)
    frame = factors[keys].copy()
    frame["w"] = np.where(usable, weights, 0.0)
    frame["w_est"] = frame["w"] * factors["estimate"].fillna(0.0).to_numpy()
    frame["w2_k"] = frame["w"] ** 2 / factors["kn"].to_numpy()
    frame["used"] = usable.astype(int)
    frame["n_evidence"] = factors["n_evidence"].to_numpy()
    frame["positive"] = factors["positive"].to_numpy()
    frame["negative"] = factors["negative"].to_numpy()
    summed = ["w", "w_est", "w2_k", "used", "n_evidence", "positive", "negative"]
    frame[["dof", "scale2"]] = factors[["dof", "scale2"]].to_numpy()  # the same on every factor of a row
    g = frame.groupby(keys, as_index=False, sort=False).agg(
        **{c: (c, "sum") for c in summed}, dof=("dof", "first"), scale2=("scale2", "first"))
    total = g["w"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(total > 0, g["w_est"] / total, np.nan)
        sd = np.where(total > 0, 100 * np.sqrt(g["scale2"] * g["w2_k"]) / total, np.nan)
    half = st.t.ppf(0.975, g["dof"]) * sd
    g["factor"] = "csi"
    g["estimate"] = estimate
    g["lower_95"] = np.clip(estimate - half, 0, 100)
    g["upper_95"] = np.clip(estimate + half, 0, 100)
    g["insufficient_evidence"] = total <= 0
    g["reason"] = np.where(total > 0, "based on " + g["used"].astype(str) + f" of {len(FACTORS)} factors",
                           "insufficient evidence on every weighted factor")
    return g


def _scores(evidence: pd.DataFrame, keys: list[str], index: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    factors = _factor_rows(evidence, keys, index, settings)
    csi = _csi_rows(factors, keys, settings)
    out = pd.concat([factors, csi], ignore_index=True)
    out["factor"] = pd.Categorical(out["factor"], categories=[*FACTORS, "csi"])
    out = out.sort_values([*keys, "factor"], kind="stable").reset_index(drop=True)
    out["factor"] = out["factor"].astype(str)
    return out[[*keys, *SCORE_COLUMNS]]


def interview_scores(sentences: pd.DataFrame, *, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Factor scores and CSI for each interview.

    Parameters
    ----------
    sentences : pandas.DataFrame
        Scored client sentences (:func:`~outstaff_analysis.csi.scoring.score_sentences`).
    settings : Settings
        ``csi_weights`` and ``csi_min_evidence`` are used.

    Returns
    -------
    pandas.DataFrame
        One row per interview and factor (the five factors, then ``"csi"``): ``interview_id,
        client_id, held_at`` and :data:`SCORE_COLUMNS`.  Every interview has all six rows.
    """
    keys = ["interview_id", "client_id", "held_at"]
    index = sentences[keys].drop_duplicates("interview_id").reset_index(drop=True)
    return _scores(_long(sentences, keys), keys, index, settings)


def client_quarter_scores(sentences: pd.DataFrame, *, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Factor scores and CSI for each client and quarter, pooling the quarter's interviews.

    Returns
    -------
    pandas.DataFrame
        One row per client, quarter (``"2024Q3"``) and factor: ``client_id, quarter,
        n_interviews`` and :data:`SCORE_COLUMNS`.
    """
    frame = sentences.assign(quarter=pd.to_datetime(sentences["held_at"]).dt.to_period("Q").astype(str))
    keys = ["client_id", "quarter"]
    index = frame.groupby(keys, as_index=False).agg(n_interviews=("interview_id", "nunique"))
    out = _scores(_long(frame, [*keys, "interview_id"]), keys, index[keys], settings)
    out = out.merge(index, on=keys, how="left")
    return out[[*keys, "n_interviews", *SCORE_COLUMNS]]


@dataclasses.dataclass(frozen=True)
class CSIResult:
    """Everything :func:`score_csi` computes.

    Attributes
    ----------
    sentences : pandas.DataFrame
        Every client sentence with its polarity and factor contributions.
    interviews : pandas.DataFrame
        :func:`interview_scores`.
    client_quarters : pandas.DataFrame
        :func:`client_quarter_scores`.
    evidence : pandas.DataFrame
        :func:`evidence_table`.
    """

    sentences: pd.DataFrame
    interviews: pd.DataFrame
    client_quarters: pd.DataFrame
    evidence: pd.DataFrame

    def _repr_html_(self) -> str:
        return self.client_quarters._repr_html_()


def score_csi(utterances: pd.DataFrame, *, settings: Settings = DEFAULT_SETTINGS, lexicon: Lexicon | None = None,
              model="bundled", n_jobs: int = 1) -> CSIResult:
    """Score client speech: sentences, factor scores and CSI per interview and client-quarter.

    Parameters
    ----------
    utterances : pandas.DataFrame
        Utterance frame from :func:`outstaff_analysis.csi.corpus.load_transcripts`
        (``interview_id, utterance_no, speaker, start, end, text, client_id, held_at, language,
        is_client, speaker_inferred``).  Only ``is_client`` rows are scored.
    settings : Settings
        ``csi_weights`` and ``csi_min_evidence``.
    lexicon : Lexicon, optional
        Default: the packaged lexicon.
    model : "bundled", SentenceClassifier or None
        Who reads each sentence.  ``"bundled"`` (default): the lexicon plus the classifier trained
        on the labelled sentences shipped with the package
        (:func:`~outstaff_analysis.csi.bundled.bundled_model`, fitted on first use and cached).
        A fitted :class:`~outstaff_analysis.csi.model.SentenceClassifier`: the analyst's own model
        (trained on the firm's labels).  ``None``: the lexicon and its rules alone.  A model's
        predictions replace the lexicon's polarity and factor contributions.
    n_jobs : int
        Processes to score sentences on (for large corpora).

    Returns
    -------
    CSIResult
    """
    model = resolve_model(model, lexicon)
    sentences = score_sentences(utterances, lexicon=lexicon, model=model, n_jobs=n_jobs)
    return CSIResult(sentences=sentences, interviews=interview_scores(sentences, settings=settings),
                     client_quarters=client_quarter_scores(sentences, settings=settings),
                     evidence=evidence_table(sentences))


__all__ = [
    "DEFAULT_WITHIN_INTERVIEW_CORRELATION",
    "EVIDENCE_COLUMNS",
    "MIN_CLUSTERS_FOR_CORRELATION",
    "PRIOR_SENTENCES",
    "SCORE_COLUMNS",
    "CSIResult",
    "client_quarter_scores",
    "evidence_table",
    "interview_scores",
    "mean_reading",
    "reading",
    "score_csi",
    "top_quotes",
    "within_interview_correlation",
]
