"""Monthly rates must be finite, positive and plausible for their currency (bounds in Settings)."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import Settings, load_settings
from outstaff_analysis.exceptions import SchemaError
from outstaff_analysis.io.store import validate_raw
from outstaff_analysis.io.validate import validate_table
from outstaff_analysis.schema import TABLES

RATES = ["250 000", "inf", "1e12", "1_000", "nan", "0", "-5", "5000", "5000", "Infinity", "1e5"]
CURRENCIES = ["RUB", "RUB", "RUB", "RUB", "RUB", "RUB", "RUB", "RUB", "USD", "EUR", "RUB"]


def _placements():
    n = len(RATES)
    frame = pd.DataFrame({"placement_id": [f"P{i}" for i in range(n)], "specialist_id": "S1", "client_id": "C1",
                          "started_at": "2024-01-01", "monthly_rate": RATES, "currency": CURRENCIES}, dtype=object)
    frame["_source_row"] = range(2, n + 2)
    return frame


def test_absurd_rates_are_refused_and_emptied():
    result = validate_table(_placements(), TABLES["placements"], file="placements.csv")
    rates = result.clean["monthly_rate"].to_numpy()
    expected = [250_000, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 5_000, np.nan, 100_000]
    np.testing.assert_array_equal(rates, np.array(expected, dtype=float))
    assert np.isfinite(rates[~np.isnan(rates)]).all()
    reasons = result.rejects.set_index("value")["reason"]
    assert reasons["inf"].startswith("not a number")
    assert reasons["1_000"].startswith("not a number") and reasons["Infinity"].startswith("not a number")
    assert reasons["1e12"] == ("a monthly rate of 1,000,000,000,000 RUB is outside the plausible range "
                               "10,000 to 10,000,000 RUB (settings: monthly_rate_bounds)")
    assert reasons["0"].startswith("a monthly rate of 0 RUB is outside")
    assert (result.rejects["outcome"] == "value emptied").all() and len(result.clean) == len(RATES)


def test_rate_bounds_come_from_the_settings(tmp_path, write_minimal_raw):
    settings = Settings(monthly_rate_bounds={"RUB": (1, 1e13), "USD": (1, 1e6), "EUR": (1, 1e6)})
    result = validate_table(_placements(), TABLES["placements"], file="placements.csv", settings=settings)
    assert result.clean["monthly_rate"].tolist()[:3] == [250_000, pytest.approx(np.nan, nan_ok=True), 1e12]
    write_minimal_raw(tmp_path / "raw")
    (tmp_path / "settings.yaml").write_text("monthly_rate_bounds: {RUB: [300000, 400000], USD: [300000, 400000], "
                                            "EUR: [300000, 400000]}\n", encoding="utf-8")
    placements = validate_raw(tmp_path).results["placements"]
    rates = placements.rejects[placements.rejects["column"] == "monthly_rate"]
    assert rates["value"].tolist() == ["250 000,50", "1"]
    assert rates["reason"].str.contains("outside the plausible range 300,000 to 400,000").all()
    assert load_settings(tmp_path / "settings.yaml").monthly_rate_bounds["RUB"] == (300000, 400000)


@pytest.mark.parametrize("bounds", [{"RUB": (0, 10)}, {"RUB": (10, 5)}, {"XYZ": (1, 2)}, {"RUB": (1, float("inf"))}])
def test_rate_bounds_must_be_finite_positive_ranges_of_known_currencies(tmp_path, bounds):
    with pytest.raises(ValueError, match="monthly_rate_bounds"):
        Settings(monthly_rate_bounds=bounds)
    (tmp_path / "settings.yaml").write_text(f"monthly_rate_bounds: {{{next(iter(bounds))}: [1, 0]}}\n")
    with pytest.raises(SchemaError, match="monthly_rate_bounds"):
        load_settings(tmp_path / "settings.yaml")
