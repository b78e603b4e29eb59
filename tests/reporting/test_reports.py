"""Client and portfolio reports on the demo firm: right client, no one else's data, stories told."""

import warnings

import numpy as np
import pytest

from outstaff_analysis.exceptions import InsufficientDataWarning
from outstaff_analysis.reporting.batch import render_quarter
from outstaff_analysis.reporting.client import client_report_data
from outstaff_analysis.reporting.inputs import load_inputs
from outstaff_analysis.reporting.portfolio import portfolio_report_data

QUARTER = "2024Q4"


@pytest.fixture(scope="module")
def inputs(demo_data_dir):
    return load_inputs(demo_data_dir, as_of=QUARTER)


@pytest.fixture(scope="module")
def unhappy(demo_firm):
    return demo_firm.truth["special_clients"]["unhappy_service"]


@pytest.fixture
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientDataWarning)
        yield


def test_inputs_see_nothing_after_the_quarter(inputs):
    assert inputs.as_of.strftime("%Y-%m-%d") == "2024-12-31"
    assert (inputs.utterances["held_at"] <= inputs.as_of).all()
    assert inputs.settings.data_window_start.isoformat() == "2022-01-01"


def test_client_report_holds_only_this_clients_data(inputs, unhappy, demo_firm, quiet):
    data = client_report_data(inputs, unhappy, QUARTER, lang="ru")
    placements = demo_firm.tables["placements"]
    own = set(placements.loc[placements["client_id"] == unhappy, "specialist_id"])
    assert len(data.team) > 0 and set(data.team["specialist_id"]) <= own
    interviews = demo_firm.tables["interviews"].set_index("interview_id")
    assert set(interviews.loc[data.quotes["interview_id"], "client_id"]) == {unhappy}
    assert set(data.funnel_quarter["client_id"]) <= {unhappy}
    assert set(data.sla_quarters["client_id"]) == {unhappy}
    assert set(data.red_flags["client_id"]) <= {unhappy}
    assert list(data.kpis["kpi"]) == ["sla_message", "sla_bug", "sla_replacement", "north_star", "time_to_fill",
                                      "retention_6m", "csi"]


def test_unhappy_client_report_tells_its_story(inputs, unhappy, quiet):
    data = client_report_data(inputs, unhappy, QUARTER, lang="en")
    kpis = data.kpis.set_index("kpi")
    assert kpis.loc["sla_message", "status"] == "bad"
    assert len(data.red_flags) > 0
    assert data.actions.set_index("action").loc["sla_message", "owner"] == "account manager"
    assert "messages were answered later than 30 min" in data.actions.set_index("action").loc["sla_message", "evidence"]


def test_unknown_client_is_a_clear_error(inputs):
    with pytest.raises(ValueError, match=r"must be a client of the clients table, but 'C999' was passed"):
        client_report_data(inputs, "C999", QUARTER, lang="ru")


def test_portfolio_calls_first_the_clients_with_most_revenue_at_risk(inputs, quiet):
    data = portfolio_report_data(inputs, QUARTER, lang="ru")
    calls = data.call_first
    assert len(calls) > 0 and (calls["status"] != "good").all()
    assert calls["revenue_at_risk_rub"].is_monotonic_decreasing
    expected = calls["risk"] * calls["monthly_revenue"] * calls["remaining_months"]
    np.testing.assert_allclose(calls["revenue_at_risk"], expected, rtol=1e-12)
    assert set(data.risk["client_id"]) == set(data.health.current["client_id"])
    assert set(data.survival_by_group["by"]) == {"segment", "grade", "stack"}
    # the account lifetime behind LTV is estimated on every account, churned ones included
    assert data.ltv["rmst_days"].min() < 36 * 30.4375
    assert set(data.ltv["segment"]) <= set(data.risk["segment"])
    assert (data.ltv["lower_95"] < data.ltv["estimate"]).all()


def test_rendered_client_report_is_html_without_code_or_other_clients(demo_data_dir, demo_firm, unhappy, tmp_path,
                                                                      tree_hash):
    raw_before = tree_hash(demo_data_dir / "raw")
    result = render_quarter(demo_data_dir, QUARTER, out_dir=tmp_path, client_ids=[unhappy], portfolio=False,
                            lang="ru", show_progress=False)
    assert result.failures == ()
    page = (tmp_path / QUARTER / "clients" / f"{unhappy}.html").read_text(encoding="utf-8")
    clients = demo_firm.tables["clients"].set_index("client_id")["client_name"]
    assert clients[unhappy].replace("«", "&laquo;") in page or clients[unhappy] in page
    others = [name for cid, name in clients.items() if cid != unhappy and name in page]
    assert others == []
    assert "client_report_params" not in page and "import " not in page
    assert "data:image/svg+xml;base64," in page and "<svg" not in page  # charts are images, never inline markup
    assert "`" not in page  # the definitions read "(настройка `sla_goal`, ...)": markdown marks in a client's page
    assert "Что мы меняем в следующем квартале" in page
    assert "риск ухода" not in page.lower()  # the churn risk is internal: never in a client's report
    assert (tmp_path / QUARTER / "index.html").is_file()
    assert tree_hash(demo_data_dir / "raw") == raw_before


def test_call_first_section_shows_the_matrix_and_the_first_clients_risk_histories(inputs, quiet, monkeypatch):
    import matplotlib.pyplot as plt

    from outstaff_analysis.reporting import portfolio_sections

    shown, titles = [], []
    monkeypatch.setattr(portfolio_sections, "display", lambda *objects: shown.extend(o.data for o in objects))
    monkeypatch.setattr(portfolio_sections.show, "show_figure", lambda: titles.append(plt.gcf().axes[0].get_title()))
    data = portfolio_report_data(inputs, QUARTER, lang="en")
    portfolio_sections.call_first(data)
    assert titles[0] == "Revenue at risk: clients by revenue and churn risk"
    expected = [f"{name}: churn risk by quarter" for name in data.call_first["client_name"].head(3)]
    assert titles[1:] == expected
    page = "".join(shown)
    assert "higher is worse" in page
    for name in data.call_first["client_name"]:
        assert name.replace("&", "&amp;") in page or name in page


def test_measured_and_said_agree_only_when_both_are_clear():
    from outstaff_analysis.reporting.client_sections import verdict_key

    assert verdict_key("good", "good") == "agree" and verdict_key("bad", "bad") == "agree"
    assert verdict_key("good", "bad") == "disagree"
    # the old rule called these "they agree": a measure too thin to judge, or no data, agrees with nothing
    assert verdict_key("unclear", "bad") == "open" and verdict_key("unclear", "unclear") == "open"
    assert verdict_key("none", "good") == "open"


def test_call_first_table_names_an_interval_only_when_it_shows_one(inputs, quiet):
    from outstaff_analysis.reporting.portfolio_sections import _call_columns, _call_rows

    calls = portfolio_report_data(inputs, QUARTER, lang="ru").call_first
    assert calls["lower_95"].isna().all()  # the 40-client demo has too few churned accounts for the model
    shown = _call_rows(calls, "ru")["risk_text"]
    assert not shown.str.contains("–").any()
    assert _call_columns("ru", intervals=False)["risk_text"] == "Риск ухода"
    assert _call_columns("ru", intervals=True)["risk_text"] == "Риск ухода (95% интервал)"
