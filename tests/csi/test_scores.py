"""Factor scores, CSI, insufficient evidence and the evidence table."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from outstaff_analysis.config import DEFAULT_SETTINGS, FACTORS
from outstaff_analysis.csi.scores import (
    DEFAULT_WITHIN_INTERVIEW_CORRELATION,
    SCORE_COLUMNS,
    client_quarter_scores,
    evidence_table,
    interview_scores,
    mean_reading,
    score_csi,
    top_quotes,
    within_interview_correlation,
)

RHO = DEFAULT_WITHIN_INTERVIEW_CORRELATION  # too few interviews in these examples to estimate it
PRIOR = 2 * DEFAULT_SETTINGS.csi_prior_reading  # Beta(PRIOR, 2 - PRIOR): two sentences' weight at the firm's reading


def _k(*sizes):
    """Effective sentences per sentence of interviews with ``sizes`` sentences (Kish design effect)."""
    return sum(m / (1 + (m - 1) * RHO) for m in sizes) / sum(sizes)


def _sentences(rows):
    """Scored sentences by hand: (interview, client, held_at, {factor: contribution})."""
    records = []
    for k, (interview, client, held_at, factors) in enumerate(rows):
        record = {"interview_id": interview, "utterance_no": k, "sentence_no": 0, "client_id": client,
                  "held_at": pd.Timestamp(held_at), "speaker": "Анна", "start": float(k), "text": f"s{k}",
                  "polarity": "neutral"}
        record.update({f: factors.get(f, np.nan) for f in FACTORS})
        records.append(record)
    return pd.DataFrame(records)


def _row(scores, factor, **keys):
    mask = scores["factor"] == factor
    for key, value in keys.items():
        mask &= scores[key] == value
    return scores.loc[mask].iloc[0]


def _posterior(readings_by_factor, weights_by_factor):
    """Normal-inverse-chi^2 posterior by hand: {factor: (mean, scale of the mean, degrees of freedom)}."""
    m, k0 = DEFAULT_SETTINGS.csi_prior_reading, 2.0
    spread, total, out = k0 * m * (1 - m), 0.0, {}
    for factor, y in readings_by_factor.items():
        w = np.asarray(weights_by_factor[factor], dtype=float)
        y = np.asarray(y, dtype=float)
        n, mean = w.sum(), np.average(y, weights=w)
        spread += (w * (y - mean) ** 2).sum() + k0 * n / (k0 + n) * (mean - m) ** 2
        total += n
        out[factor] = ((k0 * m + n * mean) / (k0 + n), k0 + n)
    sigma2, dof = spread / (k0 + total), k0 + total
    return {f: (mu, np.sqrt(sigma2 / kn), dof) for f, (mu, kn) in out.items()}


def test_factor_score_is_the_posterior_of_the_mean_reading_of_effective_sentences():
    sentences = _sentences([("I1", "C1", "2024-01-10", {"speed": 1.7}), ("I1", "C1", "2024-01-10", {"speed": 0.5}),
                            ("I1", "C1", "2024-01-10", {"speed": -0.5}), ("I1", "C1", "2024-01-10", {"speed": 0.5})])
    row = _row(interview_scores(sentences), "speed")
    w = _k(4)  # four sentences of one interview count as 4 / (1 + 3 * 0.21) = 2.45 independent ones
    readings = [1.0, 0.75, 0.25, 0.75]  # (1 + c) / 2; 1.7 is capped at 1
    mu, scale, dof = _posterior({"speed": readings}, {"speed": [w] * 4})["speed"]
    assert row["n_evidence"] == 4
    assert row["estimate"] == pytest.approx(100 * mu, abs=1e-12)
    assert row["estimate"] == pytest.approx(67.06611570247935, abs=1e-9)  # the mean is the Beta posterior's as before
    half = stats.t(dof).ppf(0.975) * scale
    assert row["lower_95"] == pytest.approx(100 * (mu - half), abs=1e-9)
    assert 100 * (mu + half) > 100 and row["upper_95"] == 100  # clipped to the scale
    assert not row["insufficient_evidence"] and row["reason"] == ""


def test_interval_follows_the_spread_of_the_clients_readings():
    # the same mean reading 0.75 from six calls: six times "good" (0.5) or alternating 0.9 and 0.1; the Beta
    # posterior of a share treated every reading as a coin flip and gave both the same interval
    steady = [(f"I{k}", "C1", "2024-01-10", {"speed": 0.5}) for k in range(6)]
    torn = [(f"J{k}", "C2", "2024-01-10", {"speed": 0.9 if k % 2 else 0.1}) for k in range(6)]
    scores = client_quarter_scores(_sentences(steady + torn))
    a, b = _row(scores, "speed", client_id="C1"), _row(scores, "speed", client_id="C2")
    assert a["estimate"] == pytest.approx(b["estimate"], abs=1e-12)
    assert a["upper_95"] - a["lower_95"] < 0.9 * (b["upper_95"] - b["lower_95"])
    mu, scale, dof = _posterior({"speed": [0.75] * 6}, {"speed": [1.0] * 6})["speed"]
    assert a["upper_95"] == pytest.approx(100 * (mu + stats.t(dof).ppf(0.975) * scale), abs=1e-9)


def test_intervals_hold_the_true_value_95_percent_of_the_time_when_readings_are_noisy_measures():
    # 300 clients, five factors each with a true mean reading and 3-6 readings around it (sd 0.2): the
    # intervals must hold the truth about 95 % of the time (the Beta posterior of a share held it 100 %)
    rng = np.random.default_rng(0)
    rows, truth = [], []
    for c in range(300):
        for factor in FACTORS:
            theta = rng.uniform(0.35, 0.9)
            truth.append((f"C{c}", factor, 100 * theta))
            for k in range(rng.integers(3, 7)):
                y = np.clip(rng.normal(theta, 0.2), 0.01, 0.99)
                rows.append((f"C{c}I{factor}{k}", f"C{c}", "2024-01-10", {factor: 2 * y - 1}))
    scores = client_quarter_scores(_sentences(rows))
    truth = pd.DataFrame(truth, columns=["client_id", "factor", "truth"])
    factors = scores.merge(truth, on=["client_id", "factor"])
    weights = truth["factor"].map(DEFAULT_SETTINGS.csi_weights)
    csi_truth = (truth.assign(wt=weights * truth["truth"], w=weights).groupby("client_id")[["wt", "w"]].sum()
                 .eval("wt / w").rename("truth").reset_index())
    csi = scores[scores["factor"] == "csi"].merge(csi_truth, on="client_id")
    for table in (factors, csi):
        inside = (table["lower_95"] <= table["truth"]) & (table["truth"] <= table["upper_95"])
        assert 0.93 <= inside.mean() <= 0.98


def test_strong_praise_scores_above_mild_praise_and_a_doubtful_reading_weighs_less():
    def pooled(*contributions):
        rows = [(f"I{k}", "C1", "2024-01-10", {"speed": c}) for k, c in enumerate(contributions)]
        return _row(client_quarter_scores(_sentences(rows)), "speed")["estimate"]

    assert pooled(1.0, 1.0, 1.0) > pooled(0.3, 0.3, 0.3) > 50  # "excellent" x3 vs "fine" x3: both only praise
    # three clear complaints and one sentence read as praise with a probability of 0.51 (contribution 0.02)
    assert pooled(-0.9, -0.9, -0.9, 0.02) < pooled(-0.9, -0.9, -0.9, 0.9)
    # four sentences of four calls: Beta(1 + sum of readings, 1 + 4 - sum), readings (1 + c) / 2
    assert pooled(-0.9, -0.9, -0.9, 0.02) == pytest.approx(100 * (PRIOR + 3 * 0.05 + 0.51) / 6, abs=1e-12)


def test_little_evidence_is_pulled_toward_the_firms_typical_reading_not_toward_fifty():
    rows = [(f"I{k}", "C1", "2024-01-10", {"price": 1.0}) for k in range(3)]
    rows += [(f"J{k}", "C2", "2024-01-10", {"price": 1.0}) for k in range(30)]
    scores = client_quarter_scores(_sentences(rows))
    few, many = _row(scores, "price", client_id="C1"), _row(scores, "price", client_id="C2")
    assert few["estimate"] == pytest.approx(100 * (PRIOR + 3) / 5, abs=1e-12)
    assert few["estimate"] < many["estimate"] == pytest.approx(100 * (PRIOR + 30) / 32, abs=1e-12)
    at_fifty = client_quarter_scores(_sentences(rows), settings=DEFAULT_SETTINGS.replace(csi_prior_reading=0.5))
    assert _row(at_fifty, "price", client_id="C1")["estimate"] == pytest.approx(80.0, abs=1e-12)  # Beta(4, 1)


def test_the_firms_typical_reading_is_the_design_weighted_mean_reading():
    evidence = pd.DataFrame({"interview_id": ["I1", "I1", "I2"], "factor": "speed", "contribution": [1.0, 1.0, -0.5]})
    w = 1 / (1 + RHO)  # I1's two sentences each weigh 1 / (1 + rho), I2's one sentence 1
    assert mean_reading(evidence) == pytest.approx((2 * w * 1.0 + 0.25) / (2 * w + 1), abs=1e-12)
    assert np.isnan(mean_reading(evidence.iloc[:0]))


def test_one_vague_sentence_is_insufficient_evidence_not_zero_or_hundred():
    sentences = _sentences([("I1", "C1", "2024-01-10", {"service": 0.3})])
    scores = interview_scores(sentences)
    row = _row(scores, "service")
    assert row["insufficient_evidence"] and np.isnan(row["estimate"]) and np.isnan(row["lower_95"])
    assert row["reason"] == "insufficient evidence: 1 of 3 sentences"
    csi = _row(scores, "csi")
    assert csi["insufficient_evidence"] and np.isnan(csi["estimate"])
    assert csi["reason"] == "insufficient evidence on every weighted factor"


def test_every_interview_has_all_factors_and_the_csi_in_order():
    sentences = _sentences([("I1", "C1", "2024-01-10", {"price": -1}), ("I2", "C1", "2024-02-10", {})])
    scores = interview_scores(sentences)
    assert list(scores.columns) == ["interview_id", "client_id", "held_at", *SCORE_COLUMNS]
    assert scores.groupby("interview_id")["factor"].apply(list).tolist() == [[*FACTORS, "csi"]] * 2
    assert _row(scores, "quality", interview_id="I2")["n_evidence"] == 0


def test_csi_is_the_weighted_mean_of_the_factors_with_enough_evidence():
    rows = [("I1", "C1", "2024-01-10", {"quality": 1.0})] * 3 + [("I1", "C1", "2024-01-10", {"price": -1.0})] * 4
    rows += [("I1", "C1", "2024-01-10", {"team": 1.0})]  # one sentence: not used
    scores = interview_scores(_sentences(rows))
    quality, price = _row(scores, "quality"), _row(scores, "price")
    (qa, qb), (pa, pb) = (PRIOR + 3 * _k(3), 2 - PRIOR), (PRIOR, 2 - PRIOR + 4 * _k(4))
    assert quality["estimate"] == pytest.approx(100 * qa / (qa + qb), abs=1e-12)
    assert price["estimate"] == pytest.approx(100 * pa / (pa + pb), abs=1e-12)
    w = DEFAULT_SETTINGS.csi_weights
    csi = _row(scores, "csi")
    expected = (w["quality"] * quality["estimate"] + w["price"] * price["estimate"]) / (w["quality"] + w["price"])
    assert csi["estimate"] == pytest.approx(expected, abs=1e-12)
    # the factors share the spread of the client's readings (one t), so the CSI's interval is one t too
    post = _posterior({"quality": [1.0] * 3, "price": [0.0] * 4, "team": [1.0]},
                      {"quality": [_k(3)] * 3, "price": [_k(4)] * 4, "team": [1.0]})
    (_, q_scale, dof), (_, p_scale, _) = post["quality"], post["price"]
    sd = 100 * np.sqrt(w["quality"] ** 2 * q_scale**2 + w["price"] ** 2 * p_scale**2) / (w["quality"] + w["price"])
    assert csi["upper_95"] - csi["estimate"] == pytest.approx(stats.t(dof).ppf(0.975) * sd, abs=1e-9)
    assert csi["reason"] == "based on 2 of 5 factors"


def test_weights_and_minimum_evidence_come_from_settings():
    rows = [("I1", "C1", "2024-01-10", {"quality": 1.0}), ("I1", "C1", "2024-01-10", {"price": -1.0})]
    settings = DEFAULT_SETTINGS.replace(csi_min_evidence=1, csi_weights={"quality": 0.0, "price": 1.0})
    scores = interview_scores(_sentences(rows), settings=settings)
    assert _row(scores, "csi")["estimate"] == pytest.approx(_row(scores, "price")["estimate"], abs=1e-12)


def test_client_quarter_pools_the_quarters_interviews():
    rows = [("I1", "C1", "2024-01-10", {"speed": 1.0})] * 2 + [("I2", "C1", "2024-03-30", {"speed": -1.0})]
    rows += [("I3", "C1", "2024-04-02", {"speed": -1.0})]
    scores = client_quarter_scores(_sentences(rows))
    assert list(scores.columns) == ["client_id", "quarter", "n_interviews", *SCORE_COLUMNS]
    q1 = _row(scores, "speed", quarter="2024Q1")
    assert q1["n_interviews"] == 2 and q1["n_evidence"] == 3
    w = 1 / (1 + RHO)  # each of I1's two sentences counts as 1 / (1 + rho) of an independent one; I2's as one
    assert q1["estimate"] == pytest.approx(100 * (PRIOR + 2 * w) / (2 + 2 * w + 1), abs=1e-12)
    assert _row(scores, "speed", quarter="2024Q2")["insufficient_evidence"]


def test_sentences_from_separate_interviews_weigh_more_than_repeats_in_one():
    one_call = _sentences([("I1", "C1", "2024-01-10", {"service": -1.0})] * 4)
    four_calls = _sentences([(f"I{k}", "C1", "2024-01-10", {"service": -1.0}) for k in range(4)])
    repeated = _row(client_quarter_scores(one_call), "service")
    separate = _row(client_quarter_scores(four_calls), "service")
    assert separate["estimate"] < repeated["estimate"]
    assert separate["upper_95"] - separate["lower_95"] < repeated["upper_95"] - repeated["lower_95"]
    assert separate["estimate"] == pytest.approx(100 * PRIOR / 6, abs=1e-12)  # four independent: Beta(1.3, 4.7)


def test_within_interview_correlation_is_estimated_from_the_interviews():
    agree = [(f"I{k}", "service", 1.0 if k % 2 else -1.0) for k in range(40) for _ in range(3)]
    mixed = [(f"I{k}", "service", 1.0 if j % 2 else -1.0) for k in range(40) for j in range(2)]
    frame = pd.DataFrame.from_records
    assert within_interview_correlation(frame(agree, columns=["interview_id", "factor", "contribution"])) == 1.0
    assert within_interview_correlation(frame(mixed, columns=["interview_id", "factor", "contribution"])) == 0.0
    few = frame(agree[:30], columns=["interview_id", "factor", "contribution"])
    assert within_interview_correlation(few) == RHO


def _utterances():
    texts = ["Ребята отличные, код качественный. Но сроки постоянно срываются! Отчётов нет.",
             "Спасибо. А как со скоростью?",
             "Медленно. Очень медленно. Дедлайны сорваны."]
    return pd.DataFrame({
        "interview_id": "I1", "utterance_no": [0, 1, 2], "speaker": ["Anna", "Igor", "Anna"],
        "start": [0.0, 10.0, 12.5], "end": [9.0, 12.0, 20.0], "text": texts, "client_id": "C1",
        "held_at": pd.Timestamp("2024-02-01"), "language": "ru", "is_client": [True, False, True],
        "speaker_inferred": False,
    })


def test_evidence_quotes_are_substrings_of_client_speech_with_their_place():
    utterances = _utterances()
    result = score_csi(utterances)
    evidence = result.evidence
    assert set(evidence["speaker"]) == {"Anna"}
    for row in evidence.itertuples():
        source = utterances.loc[utterances["utterance_no"] == row.utterance_no]
        assert row.quote in source["text"].item()
        assert row.start == source["start"].item()
    assert evidence["contribution"].between(-1, 1).all()
    assert (np.sign(evidence["contribution"]) == evidence["polarity"].map({"positive": 1, "negative": -1})).all()
    speed = _row(result.interviews, "speed")
    assert speed["n_evidence"] == 4 and speed["estimate"] < 40  # four complaints of one call: 2.45 independent ones
    assert evidence.loc[evidence["factor"] == "speed", "contribution"].lt(-0.5).all()


def test_evidence_table_of_scored_sentences():
    sentences = _sentences([("I1", "C1", "2024-01-10", {"speed": -2.0, "team": 0.4})])
    table = evidence_table(sentences)
    assert table[["factor", "contribution", "polarity"]].values.tolist() == [["speed", -1.0, "negative"],
                                                                              ["team", 0.4, "positive"]]


def test_top_quotes_takes_the_strongest_per_factor_and_polarity():
    sentences = _sentences([("I1", "C1", "2024-01-10", {"speed": c}) for c in (-0.2, -0.9, 0.5, -0.6)]
                           + [("I1", "C1", "2024-01-10", {"quality": 0.3})])
    quotes = top_quotes(evidence_table(sentences), n=2)
    assert quotes[["factor", "polarity", "contribution"]].values.tolist() == [
        ["quality", "positive", 0.3], ["speed", "positive", 0.5], ["speed", "negative", -0.9],
        ["speed", "negative", -0.6]]


def test_demo_client_unhappy_about_communication_scores_lowest_on_service(demo_firm):
    from outstaff_analysis.csi.corpus import build_corpus

    utterances = build_corpus(demo_firm.tables["interviews"], demo_firm.transcripts)
    result = score_csi(utterances)
    pooled = client_quarter_scores(result.sentences.assign(held_at=pd.Timestamp("2024-01-01")))  # one "quarter"
    service = pooled.loc[pooled["factor"] == "service"].set_index("client_id")["estimate"]
    unhappy = demo_firm.truth["special_clients"]["unhappy_service"]
    assert service.idxmin() == unhappy
    quotes = result.evidence.loc[(result.evidence["client_id"] == unhappy) & (result.evidence["factor"] == "service")]
    assert (quotes["polarity"] == "negative").sum() >= 5
