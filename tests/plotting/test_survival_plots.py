"""Survival charts: drawn data, labels and the at-risk table, read from the artists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.i18n import label
from outstaff_analysis.plotting.survival import (
    plot_account_survival,
    plot_cumulative_incidence,
    plot_hazard_bands,
    plot_km,
)
from outstaff_analysis.survival import at_risk_table, cumulative_incidence, hazard_bands, km_curve

M = 30.4375


@pytest.fixture
def tenure(rng):
    n = 400
    duration = np.ceil(rng.exponential(300.0, n))
    event = rng.random(n) < 0.8
    return pd.DataFrame(
        {
            "duration_days": duration,
            "event": event,
            "entry_days": 0.0,
            "client_id": rng.choice(["A", "B"], n),
            "segment": rng.choice(["fintech", "retail"], n),
            "end_reason": np.where(
                event, rng.choice(["client_ended", "replaced", "project_completed"], n), None
            ),
        }
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_km_with_band_at_risk_and_benchmark(tenure, lang):
    client = tenure[tenure["client_id"] == "A"]
    curve = km_curve(client)
    at_risk = at_risk_table(client, times=[0, 91, 182, 365])
    ax = plot_km(curve, at_risk=at_risk, benchmark=km_curve(tenure), lang=lang)
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[0].get_xdata(), curve["time_months"])
    np.testing.assert_allclose(lines[0].get_ydata(), curve["estimate"])
    assert lines[1].get_label() == label("survival.benchmark", lang) and lines[1].get_linestyle() == "--"
    assert ax.get_title() == label("survival.km_title", lang)
    assert ax.get_xlabel() == label("survival.km_xlabel", lang)
    assert ax.get_ylabel() == label("survival.km_ylabel", lang)
    texts = [t.get_text() for t in ax.texts]
    assert label("survival.at_risk_label", lang) in [t.replace("\n", " ") for t in texts]  # wrapped to fit
    numbers = [t for t in ax.texts if t.get_text().replace("\u00a0", "").replace(",", "").isdigit()]
    # first the time headings (months), then the counts, both at the times' x positions
    headings, counts = numbers[:len(at_risk)], numbers[len(at_risk):]
    assert [t.get_text() for t in headings] == [str(round(m)) for m in at_risk["time_months"]]
    np.testing.assert_allclose([t.get_position()[0] for t in headings], at_risk["time_months"])
    assert [int(t.get_text().replace("\u00a0", "").replace(",", "")) for t in counts] == at_risk[
        "n_at_risk"
    ].tolist()
    np.testing.assert_allclose([t.get_position()[0] for t in counts], at_risk["time_months"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert label("survival.ci_band", lang) in legend and label("survival.all_placements", lang) in legend


def test_at_risk_label_says_start_of_day():
    assert "still placed at the start of the day" in label("survival.at_risk_label", "en")


def test_km_by_group(tenure):
    curve = km_curve(tenure, by="segment")
    ax = plot_km(curve, hue="segment", at_risk=at_risk_table(tenure, times=[0, 182], by="segment"))
    assert [line.get_label() for line in ax.get_lines()] == ["fintech", "retail"]
    assert {"fintech", "retail"} <= {t.get_text() for t in ax.texts}


def test_hazard_bars_with_error_bars(tenure):
    bands = hazard_bands(tenure)
    ax = plot_hazard_bands(bands, lang="ru")
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, bands["estimate"])
    # the bands as the definitions write them, not the data's "[12,inf)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0–3", "3–6", "6–12", "12+"]
    assert ax.get_ylabel() == label("survival.hazard_ylabel", "ru")
    errorbar = next(c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer")
    error_lines = errorbar.lines[2][0].get_segments()
    np.testing.assert_allclose([s[:, 1].min() for s in error_lines], bands["lower_95"])
    np.testing.assert_allclose([s[:, 1].max() for s in error_lines], bands["upper_95"])


def test_hazard_bars_by_group(tenure):
    ax = plot_hazard_bands(hazard_bands(tenure, by="segment"), hue="segment")
    assert len(ax.patches) == 8
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["fintech", "retail"]


def test_stacked_incidence_reaches_one(tenure):
    incidence = cumulative_incidence(tenure)
    ax = plot_cumulative_incidence(incidence, lang="en")
    assert len(ax.collections) == 7  # six reasons and "still placed"
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(1.0, abs=1e-12)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == label("survival.client_ended", "en") and legend[-1] == label(
        "survival.still_placed", "en"
    )
    assert ax.get_title() == label("survival.cif_title", "en")


def test_account_survival(tenure):
    curve = km_curve(tenure, by="segment")
    ax = plot_account_survival(curve, hue="segment", lang="ru")
    assert ax.get_title() == label("survival.account_title", "ru")
    assert ax.get_xlabel() == label("survival.account_xlabel", "ru")
    np.testing.assert_allclose(
        ax.get_lines()[1].get_ydata(), curve.loc[curve["segment"] == "retail", "estimate"]
    )


def test_uses_the_given_axes(tenure):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert plot_hazard_bands(hazard_bands(tenure), ax=ax) is ax


def test_unknown_language(tenure):
    with pytest.raises(ValueError, match="`lang` must be one of"):
        plot_hazard_bands(hazard_bands(tenure), lang="de")


def test_stacked_incidence_needs_one_group(tenure):
    with pytest.raises(ValueError, match="must hold one group's curve"):
        plot_cumulative_incidence(cumulative_incidence(tenure, by="segment"))


def _extent(artist):
    return artist.get_window_extent(artist.figure.canvas.get_renderer())


def test_account_curves_keep_their_legend_off_the_data(tenure):
    # inside the axes ("best") the legend sat on the segments' curves and bands in the portfolio report
    ax = plot_account_survival(km_curve(tenure, by="segment"), hue="segment", lang="ru")
    ax.figure.canvas.draw()
    assert _extent(ax.get_legend()).y1 <= _extent(ax).y0


def test_at_risk_table_goes_under_the_legend(tenure):
    curve = km_curve(tenure, by="segment")
    ax = plot_km(curve, hue="segment", at_risk=at_risk_table(tenure, times=[0, 182], by="segment"))
    ax.figure.canvas.draw()
    legend = _extent(ax.get_legend())
    heading = next(t for t in ax.texts if t.get_text().startswith("Number at risk"))
    assert legend.y1 <= _extent(ax).y0 and _extent(heading).y1 <= legend.y0


def test_the_band_entry_follows_the_groups_in_the_legend(tenure):
    # it stood between the first and the second grade, as if it were one of them
    ax = plot_km(km_curve(tenure, by="segment"), hue="segment", lang="ru")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["fintech", "retail", label("survival.ci_band", "ru")]


def test_client_curve_legend_fits_under_its_axes_at_the_report_width(tenure):
    # in two columns the Russian legend was wider than the axes: the image grew wider than the page and
    # was shrunk on a phone below the smallest readable font
    curve = km_curve(tenure).assign(client="Ваш проект")
    at_risk = at_risk_table(tenure, times=[0, 182]).assign(client="Ваш проект")
    ax = plot_km(curve, hue="client", at_risk=at_risk, benchmark=km_curve(tenure), lang="ru")
    figure = ax.figure
    width, height = figure.get_size_inches()
    figure.set_size_inches(5.0, height * (0.5 + 0.5 * 5.0 / width))  # as the report resizes it
    figure.tight_layout()
    figure.canvas.draw()
    assert _extent(ax.get_legend()).width <= _extent(ax).width
