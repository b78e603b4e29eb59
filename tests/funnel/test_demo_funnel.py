"""On the demo firm (known generating truth): the weak client's north star is lowest, and its CI says so."""

import numpy as np

from outstaff_analysis.funnel import funnel_counts, funnel_rates, shrink_rates, time_to_fill
from outstaff_analysis.sla import sla_compliance

AS_OF = "2024-12-31"


def test_weak_client_has_the_lowest_north_star_and_its_ci_excludes_the_firm(demo_firm):
    tables, weak = demo_firm.tables, demo_firm.truth["special_clients"]["weak_funnel"]
    counts = funnel_counts(tables["requests"], tables["submissions"], as_of=AS_OF, freq=None)
    rates = shrink_rates(funnel_rates(counts))
    north = rates[rates["rate"] == "approved_per_shown"].set_index("client_id")
    # Ranked by the shrunken rate (a client with 0 of 6 CVs approved may have a lower raw rate,
    # but says little), the weak client is last; its interval is the lowest-reaching of all and lies
    # wholly below the firm's rate.
    assert north["shrunk_estimate"].idxmin() == weak
    assert north["upper_95"].idxmin() == weak
    firm = funnel_rates(funnel_counts(tables["requests"], tables["submissions"], as_of=AS_OF, by=(), freq=None))
    firm_rate = firm.loc[firm["rate"] == "approved_per_shown", "estimate"].iloc[0]
    assert north.loc[weak, "upper_95"] < firm_rate
    well_measured = north.drop(index=weak).query("trials >= 100")
    assert north.loc[weak, "estimate"] < well_measured["estimate"].min()

def test_demo_portfolio_tables_are_well_formed(demo_firm):
    tables = demo_firm.tables
    summary = time_to_fill(tables["requests"], tables["submissions"], as_of=AS_OF)
    median = summary.loc[summary["statistic"] == "median_days"].iloc[0]
    assert 0 < median["lower_95"] <= median["estimate"] <= median["upper_95"]
    sla = sla_compliance(tables["sla_events"], as_of=AS_OF, by=(), freq=None)
    assert set(sla["kind"]) == {"message", "bug", "replacement"}
    assert np.all((sla["lower_95"] <= sla["estimate"]) & (sla["estimate"] <= sla["upper_95"]))
