"""The seeded demo firm: deterministic, valid against the data model, and true to its generating truth."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
import srt
import webvtt

from outstaff_analysis.demo import generate_tables, write_demo
from outstaff_analysis.demo import truth as demo_truth
from outstaff_analysis.exceptions import OutstaffError
from outstaff_analysis.schema import END_REASONS, TABLES

SMALL = {"clients": 8, "years": 2, "seed": 7}

KIND_DTYPES = {"date": "datetime64[ns]", "datetime": "datetime64[ns]", "float": "float64", "int": "Int64"}


@pytest.fixture(scope="module")
def small_firm():
    return generate_tables(**SMALL)


@pytest.fixture(scope="module")
def tiny_firm():
    """Three clients, all of them special, one year."""
    return generate_tables(clients=3, years=1, seed=0)


@pytest.fixture
def firm(request, small_firm, tiny_firm, demo_firm):
    return {"tiny": tiny_firm, "small": small_firm, "default": demo_firm}[request.param]


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _as_of(firm):
    return pd.Timestamp(firm.truth["as_of"]) + pd.Timedelta(days=1)


# --- determinism and writing -------------------------------------------------------------------


def test_same_seed_writes_the_same_bytes_and_rewriting_is_idempotent(tmp_path):
    write_demo(tmp_path / "a", **SMALL)
    write_demo(tmp_path / "b", **SMALL)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    write_demo(tmp_path / "a", **SMALL)
    assert _files(tmp_path / "a") == first
    expected = {f"{name}.csv" for name in TABLES} | {"truth.json"}
    assert expected <= set(first)
    assert any(name.startswith("transcripts/") for name in first)


def test_a_different_seed_gives_a_different_firm(tmp_path):
    write_demo(tmp_path / "a", **SMALL)
    write_demo(tmp_path / "b", **{**SMALL, "seed": 8})
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    for name in ("clients.csv", "placements.csv", "submissions.csv"):
        assert a[name] != b[name]


def test_csv_format_iso_dates_and_blank_missing_cells(tmp_path, small_firm):
    write_demo(tmp_path, **SMALL)
    text = (tmp_path / "placements.csv").read_text(encoding="utf-8")
    header, first = text.splitlines()[:2]
    assert header == ",".join(TABLES["placements"].names)
    assert re.search(r",\d{4}-\d{2}-\d{2},", first)
    requests = (tmp_path / "requests.csv").read_text(encoding="utf-8").splitlines()
    assert re.search(r",\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},", requests[1])
    back = pd.read_csv(tmp_path / "placements.csv", dtype=str, keep_default_na=False)
    assert (back["ended_at"] == "").sum() == small_firm.tables["placements"]["ended_at"].isna().sum()


def test_truth_json_round_trips(tmp_path):
    firm = write_demo(tmp_path, **SMALL)
    written = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(firm.truth))
    for key in (
        "seed",
        "data_window_start",
        "as_of",
        "hazard_per_100_months",
        "special_clients",
        "factor_satisfaction",
        "funnel_true_rates",
        "sla_true_compliance",
        "notes",
    ):
        assert key in written
    assert written["data_window_start"] == "2022-01-01"
    assert written["as_of"] == "2023-12-31"
    assert set(written["hazard_per_100_months"]) == {"all", *END_REASONS}
    assert set(written["hazard_per_100_months"]["all"]) == {"[0,3)", "[3,6)", "[6,12)", "[12,inf)"}
    assert set(written["special_clients"]) == {"churny", "weak_funnel", "unhappy_service"}


def test_write_demo_refuses_to_overwrite_real_data_unless_forced(tmp_path):
    (tmp_path / "clients.csv").write_text("client_id,client_name\nC1,Real client\n", encoding="utf-8")
    with pytest.raises(OutstaffError, match=r"holds files the demo did not write \(clients\.csv\)"):
        write_demo(tmp_path, **SMALL)
    assert (tmp_path / "clients.csv").read_text(encoding="utf-8").endswith("Real client\n")
    write_demo(tmp_path, force=True, **SMALL)
    assert (tmp_path / "truth.json").is_file()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"clients": 2}, r"`clients` must be an integer >= 3, but 2 was passed"),
        ({"years": 0}, r"`years` must be an integer >= 1"),
        ({"seed": 1.5}, r"`seed` must be an integer >= 0, but 1.5 was passed"),
    ],
)
def test_bad_sizes_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate_tables(**kwargs)


def test_tables_do_not_depend_on_writing_transcripts(small_firm):
    bare = generate_tables(**SMALL, transcripts=False)
    assert bare.transcripts == {}
    for name in TABLES:
        pd.testing.assert_frame_equal(bare.tables[name], small_firm.tables[name])
    assert bare.truth == small_firm.truth


# --- the data model ------------------------------------------------------------------------------


@pytest.mark.parametrize("firm", ["tiny", "small", "default"], indirect=True)
def test_columns_dtypes_and_values_follow_the_schema(firm):
    assert list(firm.tables) == list(TABLES)
    for name, spec in TABLES.items():
        frame = firm.tables[name]
        assert list(frame.columns) == list(spec.names), name
        for col in spec.columns:
            values = frame[col.name]
            if col.kind == "str":
                assert values.dtype == object
                assert values.map(lambda v: v is None or isinstance(v, str)).all(), (name, col.name)
            else:
                assert str(values.dtype) == KIND_DTYPES[col.kind], (name, col.name)
            if col.kind == "date":
                assert (values.dropna() == values.dropna().dt.normalize()).all(), (name, col.name)
            if col.required:
                assert values.notna().all(), (name, col.name)
            if col.allowed:
                assert set(values.dropna()) <= set(col.allowed), (name, col.name)
            if col.min is not None:
                assert (values.dropna() >= col.min).all(), (name, col.name)
            if col.max is not None:
                assert (values.dropna() <= col.max).all(), (name, col.name)


@pytest.mark.parametrize("firm", ["tiny", "small", "default"], indirect=True)
def test_keys_references_and_date_order_hold(firm):
    tables = firm.tables
    for name, spec in TABLES.items():
        frame = tables[name]
        if spec.key:
            assert not frame.duplicated(list(spec.key)).any(), name
        for ref in spec.references:
            values = frame[ref.column].dropna()
            assert values.isin(tables[ref.table][ref.target]).all(), (name, ref.column)
        for first, second in spec.ordered_dates:
            both = frame[second].notna()
            assert (frame.loc[both, first] <= frame.loc[both, second]).all(), (name, first, second)


def test_nothing_after_the_export_date(demo_firm):
    as_of = _as_of(demo_firm)
    for name, spec in TABLES.items():
        for col in spec.columns:
            if col.kind in ("date", "datetime"):
                assert (demo_firm.tables[name][col.name].dropna() < as_of).all(), (name, col.name)
    placements = demo_firm.tables["placements"]
    assert placements["ended_at"].isna().sum() > len(placements) / 4  # many still active
    assert (placements["ended_at"].isna() == placements["end_reason"].isna()).all()


def test_left_truncated_placements_are_active_at_the_window_start(demo_firm):
    placements = demo_firm.tables["placements"]
    start = pd.Timestamp(demo_firm.truth["data_window_start"])
    early = placements[placements["started_at"] < start]
    assert len(early) > 50
    assert early["request_id"].isna().all()
    assert (early["ended_at"].isna() | (early["ended_at"] > start)).all()


def test_filled_requests_have_a_started_candidate_and_a_placement(demo_firm):
    requests, subs = demo_firm.tables["requests"], demo_firm.tables["submissions"]
    placements = demo_firm.tables["placements"]
    filled = requests.loc[requests["status"] == "filled", "request_id"]
    assert filled.isin(subs.loc[subs["stage"] == "started", "request_id"]).all()
    assert filled.isin(placements["request_id"]).all()
    closed = requests["status"].isin(["filled", "cancelled"])
    assert (requests["closed_at"].notna() == closed).all()
    starts = subs[subs["stage"] == "started"].drop_duplicates()
    matched = starts.merge(placements, on=["request_id", "specialist_id"])
    assert len(matched) == len(starts)  # one placement per started candidate
    assert (matched["at"].dt.normalize() == matched["started_at"]).all()


def test_submissions_move_forward_in_time_with_realistic_noise(demo_firm):
    subs, requests = demo_firm.tables["submissions"], demo_firm.tables["requests"]
    order = {"shown": 0, "interview": 1, "approved": 2, "started": 3, "rejected": 4, "withdrawn": 4}
    rows = (
        subs.drop_duplicates()
        .assign(rank=subs["stage"].map(order))
        .sort_values(["request_id", "specialist_id", "rank", "at"])
    )
    steps = rows.groupby(["request_id", "specialist_id"])["at"].diff().dropna()
    assert (steps >= pd.Timedelta(0)).all()
    shown = rows[rows["stage"] == "shown"].merge(requests[["request_id", "opened_at"]], on="request_id")
    assert (shown["at"] >= shown["opened_at"]).all()
    assert subs.duplicated().sum() > 0  # exact duplicate rows, as CRM exports have
    stages = rows.groupby(["request_id", "specialist_id"])["stage"].agg(set)
    assert stages.map(lambda s: "approved" in s and "interview" not in s).any()  # a skipped stage
    assert stages.map(lambda s: "shown" in s).all()
    reasons = subs.loc[subs["stage"].isin(["rejected", "withdrawn"]), "reason"]
    assert reasons.notna().all() and {"skills mismatch", "candidate declined offer"} <= set(reasons)


# --- the generating truth ------------------------------------------------------------------------


def test_sampled_tenures_follow_the_piecewise_hazards():
    rng = np.random.default_rng(3)
    months, reason = demo_truth.sample_tenure(
        rng, 400_000, edges=demo_truth.BAND_EDGES, causes=demo_truth.CAUSE_HAZARDS
    )
    expected = demo_truth.hazard_truth(demo_truth.BAND_EDGES, demo_truth.CAUSE_HAZARDS)
    bounds = [*demo_truth.BAND_EDGES, np.inf]
    for label, lo, hi in zip(demo_truth.band_labels(demo_truth.BAND_EDGES), bounds[:-1], bounds[1:]):
        exposure = (np.clip(months, lo, hi) - lo).clip(min=0).sum()
        inside = (months >= lo) & (months < hi)
        assert 100 * inside.sum() / exposure == pytest.approx(expected["all"][label], rel=0.03)
        for code, cause in enumerate(END_REASONS):
            rate = 100 * (inside & (reason == code)).sum() / exposure
            assert rate == pytest.approx(expected[cause][label], abs=0.15)


def _band_rates(placements, truth):
    """Events / exposure per band, entry at the window start, ends at a termination or release censored."""
    as_of = pd.Timestamp(truth["as_of"]) + pd.Timedelta(days=1)
    start = pd.Timestamp(truth["data_window_start"])
    terminated = (
        placements["client_id"]
        .map(pd.Series(truth["account_terminations"], dtype=object))
        .astype("datetime64[ns]")
    )
    released = (
        placements["client_id"]
        .map(pd.Series(truth["account_releases"], dtype=object))
        .astype("datetime64[ns]")
    )
    event = placements["ended_at"].notna() & (placements["ended_at"] != terminated) & (placements["ended_at"] != released)
    months = (
        placements["ended_at"].fillna(as_of) - placements["started_at"]
    ).dt.days / demo_truth.DAYS_PER_MONTH
    entry = ((start - placements["started_at"]).dt.days / demo_truth.DAYS_PER_MONTH).clip(lower=0)
    out = {}
    bounds = [*demo_truth.BAND_EDGES, np.inf]
    for label, lo, hi in zip(demo_truth.band_labels(demo_truth.BAND_EDGES), bounds[:-1], bounds[1:]):
        exposure = (np.clip(months, lo, hi) - np.clip(entry, lo, hi)).clip(lower=0).sum()
        events = (event & (months >= lo) & (months < hi)).sum()
        out[label] = (100 * events / exposure, 100 * np.sqrt(events) / exposure)
    return out


@pytest.mark.slow
def test_scaled_firm_has_benchmark_volume_and_recovers_the_hazards():
    firm = generate_tables(clients=2000, years=3, transcripts=False)
    sizes = {name: len(frame) for name, frame in firm.tables.items()}
    assert 80_000 <= sizes["placements"] <= 120_000
    assert 40_000 <= sizes["requests"] <= 60_000
    assert 800_000 <= sizes["submissions"] <= 1_200_000
    assert sizes["specialists"] == 12_500
    placements = firm.tables["placements"]
    ordinary = placements[placements["client_id"] != firm.truth["special_clients"]["churny"]]
    for label, (rate, se) in _band_rates(ordinary, firm.truth).items():
        assert abs(rate - firm.truth["hazard_per_100_months"]["all"][label]) < 4 * se, label


def test_default_firm_size(demo_firm):
    sizes = {name: len(frame) for name, frame in demo_firm.tables.items()}
    assert sizes["clients"] == 40
    assert sizes["specialists"] == 250
    assert 300 <= sizes["placements"] <= 2_500
    assert set(demo_firm.tables["placements"]["currency"]) == {"RUB", "USD"}
    assert set(demo_firm.tables["sla_events"]["kind"]) == {"message", "bug", "replacement"}


def test_weak_funnel_client_approves_the_fewest_cvs(demo_firm):
    subs = demo_firm.tables["submissions"].drop_duplicates()
    subs = subs.merge(demo_firm.tables["requests"][["request_id", "client_id"]], on="request_id")
    counts = subs.groupby(["client_id", "stage"]).size().unstack(fill_value=0)
    counts = counts[counts["shown"] >= 30]
    rate = counts["approved"] / counts["shown"]
    weak = demo_firm.truth["special_clients"]["weak_funnel"]
    assert rate.idxmin() == weak
    assert rate[weak] < 0.2 < 0.35 < counts["approved"].sum() / counts["shown"].sum()
    assert demo_firm.truth["funnel_true_rates"][weak] == min(demo_firm.truth["funnel_true_rates"].values())
    stages = demo_firm.truth["funnel_stage_probabilities"][weak]
    product = stages["interview_per_shown"] * stages["approved_per_interview"]
    assert product == pytest.approx(demo_firm.truth["funnel_true_rates"][weak], abs=1e-5)


def test_churny_clients_specialists_leave_in_month_two(demo_firm):
    placements = demo_firm.tables["placements"]
    ended = placements[placements["ended_at"].notna()]
    months = (ended["ended_at"] - ended["started_at"]).dt.days / demo_truth.DAYS_PER_MONTH
    median = months.groupby(ended["client_id"]).median()[ended["client_id"].value_counts() >= 10]
    churny = demo_firm.truth["special_clients"]["churny"]
    assert median.idxmin() == churny
    assert 1.0 <= median[churny] < 3.0
    reasons = ended.loc[ended["client_id"] == churny, "end_reason"].value_counts(normalize=True)
    assert reasons[["specialist_left", "replaced"]].sum() > 0.8


def test_unhappy_service_client_waits_longest_for_answers(demo_firm):
    sla = demo_firm.tables["sla_events"]
    messages = sla[(sla["kind"] == "message") & sla["resolved_at"].notna()]
    within = (messages["resolved_at"] - messages["opened_at"]) <= pd.Timedelta(minutes=30)
    share = within.groupby(messages["client_id"]).mean()
    unhappy = demo_firm.truth["special_clients"]["unhappy_service"]
    assert share.idxmin() == unhappy
    assert share[unhappy] < 0.2 and share.drop(unhappy).median() > 0.8
    assert demo_firm.truth["factor_satisfaction"][unhappy]["service"] < 0.2


def test_accounts_churn_and_come_back(demo_firm):
    placements, truth = demo_firm.tables["placements"], demo_firm.truth
    assert truth["account_terminations"]
    for client, day in truth["account_terminations"].items():
        own = placements[placements["client_id"] == client]
        back = truth["paused_accounts"][client]["requests_again_from"]
        before = own[own["started_at"] < pd.Timestamp(back or "2100-01-01")]
        assert (before["ended_at"] <= pd.Timestamp(day)).all(), client
    assert any(p["requests_again_from"] for p in truth["paused_accounts"].values())


def test_overall_ratings_follow_true_satisfaction(demo_firm):
    interviews = demo_firm.tables["interviews"]
    rated = interviews[interviews["overall_rating"].notna()]
    assert 0.5 < len(rated) / len(interviews) < 0.7
    weights = demo_firm.truth["rating_weights"]
    facts = demo_firm.truth["interviews"]
    expected = rated["interview_id"].map(
        lambda i: 10 * sum(w * facts[i]["satisfaction"][f] for f, w in weights.items())
    )
    assert np.corrcoef(expected, rated["overall_rating"])[0, 1] > 0.8
    assert (rated["overall_rating"] == rated["interview_id"].map(lambda i: facts[i]["rating"])).all()


# --- transcripts ---------------------------------------------------------------------------------


def test_every_interview_has_a_transcript_in_one_of_four_formats(demo_firm):
    interviews = demo_firm.tables["interviews"]
    assert set(interviews["transcript"]) == set(demo_firm.transcripts)
    assert {p.rsplit(".", 1)[1] for p in demo_firm.transcripts} == {"txt", "vtt", "srt", "json"}
    assert 200 <= len(interviews) <= 480  # about three calls per active client and year
    assert interviews["transcript"].str.match(r"^C\d{3}/\d{4}-\d{2}-\d{2}_I\d{4}\.(txt|vtt|srt|json)$").all()
    dates = interviews["transcript"].str.extract(r"/(\d{4}-\d{2}-\d{2})_")[0]
    assert (dates == interviews["held_at"].dt.strftime("%Y-%m-%d")).all()
    assert set(interviews["language"]) == {"ru", "en", "auto"}


def _speakers(path, text):
    ext = path.rsplit(".", 1)[1]
    if ext == "json":
        segments = json.loads(text)
        assert all({"start", "end", "text", "speaker"} <= set(s) for s in segments)
        assert all(s["start"] < s["end"] for s in segments)
        return {s["speaker"] for s in segments}
    if ext == "srt":
        return {sub.content.split(": ", 1)[0] for sub in srt.parse(text)}
    if ext == "vtt":
        captions = webvtt.from_buffer(io.StringIO(text))
        voices = {c.voice for c in captions if c.voice}
        return voices or {c.text.split(": ", 1)[0] for c in captions}
    heads = re.findall(r"^\[\d{2}:\d{2}:\d{2}\] ([^:\n]+): ", text, flags=re.M)
    assert len(heads) < len(text.splitlines())  # long turns continue on the next lines
    return set(heads)


def test_transcripts_parse_and_name_the_interviewer_and_the_client(demo_firm):
    interviews = demo_firm.tables["interviews"].set_index("transcript")
    for path, text in demo_firm.transcripts.items():
        speakers = _speakers(path, text)
        interviewer = interviews.loc[path, "interviewer"]
        assert interviewer in speakers, path
        assert 2 <= len(speakers) <= 3, path


def test_wording_follows_language_and_spoken_ratings(demo_firm):
    interviews = demo_firm.tables["interviews"]
    facts = demo_firm.truth["interviews"]
    names = demo_firm.tables["clients"].set_index("client_id")["client_name"]
    cyrillic = re.compile(r"[а-яё]{3,}", re.I)
    for row in interviews.itertuples():
        said = demo_firm.transcripts[row.transcript].replace(row.interviewer, "")
        russian_client = "«" in names[row.client_id]
        assert bool(cyrillic.search(said)) == russian_client, row.interview_id
    spoken = [i for i, f in facts.items() if f["spoken_rating"]]
    assert len(spoken) > 0.2 * len(facts)
    assert any(f["spoken_rating"]["scale"] == 5 for f in facts.values() if f["spoken_rating"])
    texts = " ".join(demo_firm.transcripts[p] for p in interviews["transcript"])
    for phrase in ("из десяти", "/10", "out of ten", "I'd give you a", "по пятибалльной", "твёрдая"):
        assert phrase in texts, phrase


def test_unhappy_churny_and_weak_funnel_clients_raise_their_red_flags(demo_firm):
    interviews = demo_firm.tables["interviews"]
    special = demo_firm.truth["special_clients"]
    unhappy = " ".join(
        demo_firm.transcripts[p]
        for p in interviews.loc[interviews["client_id"] == special["unhappy_service"], "transcript"]
    )
    assert re.search(r"реакция хорошо если|одна и та же вежливая|только из джиры|выпрашивать|путает фронт с бэком"
                     r"|никто не интересуется|дёргать менеджера", unhappy)
    churny = " ".join(
        demo_firm.transcripts[p]
        for p in interviews.loc[interviews["client_id"] == special["churny"], "transcript"]
    )
    assert re.search(r"уже забирают|третье лицо за полгода|не осталось никого", churny)
    slow = " ".join(  # missed deadlines, in the client's own words (speed 0.30)
        demo_firm.transcripts[p]
        for p in interviews.loc[interviews["client_id"] == special["weak_funnel"], "transcript"]
    )
    assert re.search(r"третий раз переезжает|в лучшем случае к середине|перестали верить датам|почти готово", slow)


def test_calls_carry_logistics_weather_backchannels_and_indirect_complaints(demo_firm):
    from outstaff_analysis.demo.phrases import phrase_bank

    texts = " ".join(demo_firm.transcripts.values()).lower()
    for language in ("ru", "en"):
        bank = phrase_bank(language)
        assert any(question.lower() in texts for question, _ in bank["logistics"]), language
        assert any(question.lower() in texts for question, _ in bank["weather"]), language
        assert any(f" {word.lower()}" in texts for word in bank["backchannels"]), language
        indirect = [phrase for factor in ("quality", "service", "price", "speed", "team")
                    for phrase in bank[factor]["indirect"]]
        assert sum(phrase in texts for phrase in indirect) >= 3, language


def test_replacements_are_resolved_unless_they_began_just_before_the_export(demo_firm):
    sla = demo_firm.tables["sla_events"]
    replacements = sla[sla["kind"] == "replacement"]
    assert len(replacements) > 50
    assert replacements["severity"].isna().all()
    pending = replacements[replacements["resolved_at"].isna()]
    assert (pending["opened_at"] >= _as_of(demo_firm) - pd.Timedelta(days=20)).all()
    days = np.busday_count(
        replacements["opened_at"].dropna().to_numpy(dtype="datetime64[D]"),
        replacements["resolved_at"].fillna(_as_of(demo_firm)).to_numpy(dtype="datetime64[D]"),
    )
    assert 0.6 < (days <= 3).mean() < 0.95  # the working-day SLA is met most of the time, not always


def test_no_template_placeholders_leak_into_transcripts(demo_firm):
    for path, text in demo_firm.transcripts.items():
        assert not re.search(r"\{(f|first|name)\}", text), path
    women = [t for p, t in demo_firm.transcripts.items() if re.search(r"(Поняла|Записала|сказала)", t)]
    assert women  # Russian feminine endings are used when a woman speaks


def test_a_clients_team_rarely_lists_the_same_person_twice(demo_firm):
    placements = demo_firm.tables["placements"]
    as_of = pd.Timestamp(demo_firm.truth["as_of"])
    active = placements[
        (placements["started_at"] <= as_of) & (placements["ended_at"].isna() | (placements["ended_at"] > as_of))
    ]
    assert active.duplicated(["client_id", "specialist_id"]).mean() < 0.03
    shown = demo_firm.tables["submissions"].drop_duplicates()
    shown = shown[shown["stage"] == "shown"]
    assert not shown.duplicated(["request_id", "specialist_id"]).any()  # one candidacy per person and request


# --- churn depends on the signals, with its true hazard recorded ------------------------------------


@pytest.fixture(scope="module")
def churn_firm():
    """A firm large enough to see the churn hazard at work (no transcripts: tables and truth only)."""
    return generate_tables(clients=400, years=5, seed=11, transcripts=False)


def test_churn_hazard_is_recorded_per_client_and_quarter(demo_firm):
    hazard = demo_firm.truth["churn_hazard"]
    assert set(hazard) == set(demo_firm.tables["clients"]["client_id"])
    quarters = [f"{y}Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    assert all(list(h) == quarters for h in hazard.values())
    for client in demo_firm.truth["special_clients"].values():
        assert set(hazard[client].values()) == {0.0}
    decided = demo_firm.truth["paused_accounts"]
    for client, info in decided.items():  # no hazard after the decision's quarter
        quarter = str(pd.Period(info["no_requests_from"], freq="Q"))
        later = [h for q, h in hazard[client].items() if q > quarter]
        assert set(later) <= {0.0}, client
        assert hazard[client][quarter] > 0, client


def test_less_satisfied_clients_decide_to_leave_more_often_and_ask_for_fewer_people(churn_firm):
    truth = churn_firm.truth
    weights = pd.Series(truth["rating_weights"])
    satisfaction = pd.DataFrame(truth["factor_satisfaction"]).T[weights.index] @ weights
    low = satisfaction < satisfaction.median()
    left = satisfaction.index.isin(list(truth["paused_accounts"]))
    assert left[low].mean() > 2 * left[~low].mean()
    mean_hazard = pd.DataFrame(truth["churn_hazard"]).T.mean(axis=1)
    assert np.corrcoef(satisfaction, mean_hazard[satisfaction.index])[0, 1] < -0.5
    requests = churn_firm.tables["requests"]
    per_client = requests.groupby("client_id").size().reindex(satisfaction.index, fill_value=0)
    never_left = ~left
    assert per_client[never_left & low].mean() < 0.85 * per_client[never_left & ~low].mean()


def test_a_decision_ends_the_account_and_the_oracle_knows_it(churn_firm):
    truth, placements = churn_firm.truth, churn_firm.tables["placements"]
    assert len(truth["account_terminations"]) > 100
    for client, day in truth["account_terminations"].items():
        decided = pd.Timestamp(truth["paused_accounts"][client]["no_requests_from"])
        assert pd.Timedelta(days=20) <= pd.Timestamp(day) - decided <= pd.Timedelta(days=180)
        active = placements[(placements["client_id"] == client) & (placements["started_at"] <= pd.Timestamp(day))]
        assert (active["ended_at"] <= pd.Timestamp(day)).all()
    client, info = next((c, i) for c, i in truth["paused_accounts"].items() if i["requests_again_from"] is None)
    quarter = str(pd.Period(info["no_requests_from"], freq="Q"))
    oracle = demo_truth.oracle_churn_probability(truth, quarter)
    assert oracle[client] == 1.0
    before = demo_truth.oracle_churn_probability(truth, str(pd.Period(quarter, freq="Q") - 1))
    hazards = truth["churn_hazard"][client]
    assert 0 < before[client] < 1
    assert before[client] >= hazards[quarter]  # deciding in the next quarter always ends it in time
    special = truth["special_clients"]["churny"]
    assert oracle[special] == 0.0
# --- phrases and names are data files ------------------------------------------------------------


def test_phrase_banks_and_names_are_read_from_the_packaged_data_files():
    from outstaff_analysis.demo.names import industries, name_banks
    from outstaff_analysis.demo.phrases import phrase_bank

    for language in ("ru", "en"):
        bank = phrase_bank(language)
        assert set(bank) >= {"quality", "service", "price", "speed", "team", "greet", "small_talk", "close"}
        assert isinstance(bank["quality"]["pos1"], tuple) and all(isinstance(p, tuple) for p in bank["small_talk"])
    assert "Александр" in name_banks()["ru_male_first"] and "fintech" in industries()
    with pytest.raises(ValueError, match=r"`language` must be one of \['ru', 'en'\], but 'de' was passed"):
        phrase_bank("de")
