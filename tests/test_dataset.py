"""oa.load / oa.load_demo: one object with the tables, settings and interviews, all cut at one as_of."""

import subprocess
import sys

import pandas as pd
import pytest

import outstaff_analysis as oa
from outstaff_analysis import funnel, sla, survival
from outstaff_analysis.io.snapshot import snapshot
from outstaff_analysis.io.store import load_processed

MID = "2023-09-30"  # a day with placements, requests and SLA events running across it


@pytest.fixture(scope="module")
def whole(demo_data_dir):
    return load_processed(demo_data_dir)


@pytest.fixture(scope="module")
def data(demo_data_dir):
    return oa.load(demo_data_dir, as_of=MID)


def test_the_cut_tables_give_the_figures_of_the_whole_tables(whole, data):
    """The one cut agrees with every analysis's own as_of handling."""
    cut, settings = data.tables, data.settings
    assert len(cut["placements"]) < len(whole["placements"])
    assert cut["placements"]["ended_at"].max() <= data.as_of

    def same(fn, *names, **options):
        pd.testing.assert_frame_equal(fn(*(cut[n] for n in names), as_of=MID, **options),
                                      fn(*(whole[n] for n in names), as_of=MID, **options))

    same(survival.tenure_frame, "placements", settings=settings)
    same(survival.account_lives, "placements", settings=settings)
    same(survival.monthly_revenue, "placements")
    same(funnel.funnel_counts, "requests", "submissions")
    same(funnel.rejection_reasons, "requests", "submissions")
    same(funnel.time_to_fill, "requests", "submissions", by="client_id", settings=settings)
    same(funnel.share_closed, "requests", settings=settings)
    same(sla.sla_compliance, "sla_events", settings=settings)
    pd.testing.assert_frame_equal(data.tenure(), survival.tenure_frame(
        whole["placements"], as_of=MID, settings=settings, clients=whole["clients"],
        specialists=whole["specialists"]))


def test_as_of_is_the_end_of_the_day_and_defaults_to_the_last_recorded_day(demo_data_dir, whole):
    data = oa.load(demo_data_dir, as_of="2024-12-31")
    assert data.as_of == pd.Timestamp("2024-12-31 23:59:59.999999999")
    late = whole["interviews"]["held_at"].max()
    assert late.normalize() == pd.Timestamp("2024-12-31") or late < data.as_of
    assert data.interviews["held_at"].max() == whole["interviews"].loc[
        whole["interviews"]["held_at"] <= data.as_of, "held_at"].max()
    assert oa.load(demo_data_dir).as_of.normalize() == max(
        whole[t][c].max() for t, c in (("requests", "closed_at"), ("placements", "started_at"),
                                       ("placements", "ended_at"), ("sla_events", "resolved_at"),
                                       ("submissions", "at"), ("interviews", "held_at"))).normalize()


def test_interviews_held_late_on_the_as_of_day_are_scored(demo_data_dir, whole):
    """The CSI sees an interview held at 15:00 on the as-of day (a midnight cut did not)."""
    interviews = whole["interviews"].sort_values("held_at")
    last = interviews.iloc[len(interviews) // 2]
    day = last["held_at"].normalize()
    assert last["held_at"] > day  # held during the day, not at midnight
    data = oa.load(demo_data_dir, as_of=day.date(), client_ids=[last["client_id"]])
    assert last["interview_id"] in set(data.utterances["interview_id"])
    assert last["interview_id"] in set(data.csi.interviews["interview_id"])
    assert data.utterances["held_at"].max() <= data.as_of
    assert set(data.ratings.columns) >= {"client_id", "quarter"}


def test_settings_come_from_the_data_directory_or_the_argument(demo_data_dir, tmp_path):
    assert oa.load(demo_data_dir).settings.data_window_start.isoformat() == "2022-01-01"
    yaml = tmp_path / "other.yaml"
    yaml.write_text("churn_gap_days: 90\n")
    assert oa.load(demo_data_dir, settings=yaml).settings.churn_gap_days == 90
    custom = oa.DEFAULT_SETTINGS.replace(churn_gap_days=30)
    assert oa.load(demo_data_dir, settings=custom).settings is custom


def test_tables_are_attributes_and_items_and_the_summary_shows_in_jupyter(data):
    assert data.placements is data["placements"] is data.tables["placements"]
    assert "placements" in dir(data)
    with pytest.raises(KeyError, match=r"must be one of \['clients'"):
        data["placement"]
    with pytest.raises(AttributeError, match="no attribute 'placement'"):
        _ = data.placement
    html = data._repr_html_()
    assert "as of 2023-09-30" in html and f"<td style='text-align:right'>{len(data.placements):,}</td>" in html
    assert "staffing funnel: yes" in html
    assert repr(data).startswith("<Dataset ") and "as of 2023-09-30" in repr(data)
    assert data.summary().set_index("table").loc["placements", "rows"] == len(data.placements)


def test_load_demo_builds_once_in_its_own_cache_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    data = oa.load_demo(clients=4, years=1, cache_dir=cache, as_of="2022-12-31")
    folder = cache / "demo-20240101-4clients-1years"
    assert data.data_dir == folder and (folder / "raw" / "clients.csv").is_file()
    assert not (tmp_path / "data").exists()
    assert [p.name for p in cache.iterdir()] == [folder.name]  # no temporary folder left behind
    assert len(data.clients) == 4 and data.settings.data_window_start is not None
    stamp = (folder / "processed" / "placements.parquet").stat().st_mtime_ns
    again = oa.load_demo(clients=4, years=1, cache_dir=cache, as_of="2022-12-31")
    assert (folder / "processed" / "placements.parquet").stat().st_mtime_ns == stamp
    pd.testing.assert_frame_equal(again.placements, data.placements)


def test_the_top_level_is_short_and_imports_lazily():
    assert {"load", "load_demo", "survival", "funnel", "sla", "csi", "plot"} <= set(oa.__all__)
    assert oa.plot.plot_km.__module__ == "outstaff_analysis.plotting.survival"
    assert oa.survival.km_curve is survival.km_curve
    code = ("import sys, outstaff_analysis as oa; "
            "print(sorted(m for m in ('lifelines', 'matplotlib', 'sklearn', 'outstaff_analysis.csi') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_snapshot_blanks_what_was_learned_later():
    requests = pd.DataFrame({"request_id": ["R1", "R2", "R3"], "status": ["filled", "cancelled", "filled"],
                             "opened_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2025-01-05"]),
                             "closed_at": pd.to_datetime(["2024-03-01", "2025-01-02", None])})
    cut = snapshot({"requests": requests}, "2024Q4")["requests"]
    assert cut["status"].tolist() == ["filled", "open"]
    assert cut["closed_at"].isna().tolist() == [False, True]
    assert requests["status"].tolist() == ["filled", "cancelled", "filled"]  # the input is untouched
