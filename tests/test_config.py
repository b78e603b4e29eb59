"""Settings from YAML, the data directory, quarters and as-of dates, labels and formatting."""

import datetime as dt

import pandas as pd
import pytest

from outstaff_analysis.config import DEFAULT_SETTINGS, load_settings, resolve_data_dir
from outstaff_analysis.exceptions import SchemaError
from outstaff_analysis.i18n import fmt_date, fmt_number, fmt_percent, label
from outstaff_analysis.periods import parse_quarter, quarter_bounds, resolve_as_of


def test_settings_from_yaml(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("churn_gap_days: 90\ndata_window_start: 2022-01-01\nsla: {message_minutes: 15}\n"
                    "csi_weights: {quality: 1, service: 1}\nsurvival_horizons_days: [30, 91]\n")
    settings = load_settings(path)
    assert settings.churn_gap_days == 90
    assert settings.data_window_start == dt.date(2022, 1, 1)
    assert settings.sla.message_minutes == 15 and settings.sla.bug_hours == 3
    assert dict(settings.csi_weights) == {"quality": 1, "service": 1}
    assert settings.survival_horizons_days == (30, 91)
    assert load_settings(None) is DEFAULT_SETTINGS
    with pytest.raises(AttributeError):
        settings.churn_gap_days = 1  # frozen


@pytest.mark.parametrize(
    "text, message",
    [
        ("churn_gap: 60\n", r"unknown settings \['churn_gap'\]"),
        ("sla: {answer_minutes: 5}\n", r"unknown SLA targets \['answer_minutes'\]"),
        ("csi_weights: {mood: 1}\n", r"The keys of `csi_weights` must be among"),
        ("data_window_start: soon\n", r"`data_window_start` must be a date"),
        ("fx_rates: {USD: 0}\n", r"`fx_rates` must be positive"),
        ("csi_prior_reading: 1.0\n", r"`csi_prior_reading` must be between 0 and 1 \(exclusive\), but 1.0 was passed"),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(SchemaError, match=message):
        load_settings(path)


def test_data_dir_argument_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.setenv("OUTSTAFF_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert resolve_data_dir() == tmp_path / "env"
    monkeypatch.delenv("OUTSTAFF_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir() == tmp_path / "data"


def test_quarters_and_as_of():
    assert parse_quarter("2024Q3") == pd.Period("2024Q3", freq="Q")
    assert parse_quarter("2024-q1") == pd.Period("2024Q1", freq="Q")
    assert quarter_bounds("2024Q1") == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    assert resolve_as_of("2024Q4") == pd.Timestamp("2024-12-31 23:59:59.999999999")
    assert resolve_as_of(dt.date(2024, 2, 29)) == pd.Timestamp("2024-02-29 23:59:59.999999999")
    with pytest.raises(ValueError, match=r"must look like '2024Q3', but '2024Q5' was passed"):
        parse_quarter("2024Q5")
    with pytest.raises(ValueError, match=r"`as_of` is required"):
        resolve_as_of(None)


def test_number_percent_and_date_formatting():
    assert fmt_number(12345.67, "ru", digits=1) == "12\u00a0345,7"
    assert fmt_number(12345.67, "en", digits=1) == "12,345.7"
    assert fmt_percent(0.456, "ru") == "46\u00a0%"
    assert fmt_percent(0.456, "en", digits=1) == "45.6%"
    assert fmt_percent(float("nan"), "en") == "—"
    assert fmt_date(dt.date(2024, 3, 5), "ru") == "5 марта 2024"
    assert fmt_date(pd.Timestamp("2024-03-05"), "en") == "5 Mar 2024"
    with pytest.raises(ValueError, match=r"The value for `lang` must be one of \['ru', 'en'\], but 'de' was passed"):
        label("survival.anything", "de")
    with pytest.raises(KeyError, match=r"no label file locale/nosuchdomain\.yaml"):
        label("nosuchdomain.x", "en")
