"""Reasons in words: every code worded in both languages with the client's own numbers."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.health import reason_text, reason_texts
from outstaff_analysis.health.model import REASONS

ROW = pd.Series({
    "account_age_days": 152.0, "days_without_team": 40.0, "headcount": 3.0, "headcount_change": -2.0,
    "ended_client": 2.0, "requests": 1.0, "requests_before": 6.0, "days_since_request": 75.0,
    "requests_cancelled": 2.0, "csi_year": 48.2, "csi_change": -20.0, "csi_change_z": -3.1, "red_flags": 2.0,
    "north_star": 0.31, "fill_within_30": 0.4, "sla_breaches": 5.0, "sla_events": 12.0,
    "days_since_interview": 200.0, "reasons": "requests;csi_change;no_team"})


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("code", REASONS)
def test_every_reason_is_worded(code, lang):
    text = reason_text(code, ROW, lang)
    assert text and "{" not in text


def test_reasons_carry_the_numbers_and_join_in_order():
    assert reason_text("requests", ROW, "en") == "requests fell from 6.0 to 1 a quarter"
    assert reason_text("team", ROW, "en") == "team went from 5 to 3 people this quarter"
    steady = ROW.copy()
    steady["headcount_change"] = 0.0
    assert reason_text("team", steady, "en") == "a small team: 3 people"
    assert reason_text("csi_change", ROW, "en") == "CSI down 20 points, beyond its noise"
    never = ROW.copy()
    never["days_since_interview"] = np.nan
    assert reason_text("dark", never, "ru") == "с клиентом ещё не было встреч"
    silent = ROW.copy()
    silent["reasons"] = ""
    texts = reason_texts(pd.DataFrame([ROW, silent]), "en")
    first = ("requests fell from 6.0 to 1 a quarter; CSI down 20 points, beyond its noise; "
             "no specialist on the project for 40 days")
    assert texts.tolist() == [first, "—"]
    with pytest.raises(ValueError, match="must be a reason code, but 'mood' was passed"):
        reason_text("mood", ROW, "en")
