"""The package's plot style is a context its plots use: the analyst's global matplotlib style stays."""

from __future__ import annotations

import inspect

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.plotting import csi, funnel, sla, survival
from outstaff_analysis.plotting.theme import STYLE, theme
from outstaff_analysis.survival import hazard_bands, km_curve

PLOT_MODULES = (csi, funnel, sla, survival)


def _tenure(rng):
    n = 200
    return pd.DataFrame(
        {"duration_days": np.ceil(rng.exponential(300.0, n)), "event": rng.random(n) < 0.8, "entry_days": 0.0}
    )


def test_plotting_leaves_the_global_style_alone(rng):
    tenure = _tenure(rng)
    with mpl.rc_context({"axes.spines.top": True, "axes.facecolor": "#abcdef", "font.size": 13.0}):
        before = dict(plt.rcParams)
        ax = survival.plot_km(km_curve(tenure))
        survival.plot_hazard_bands(hazard_bands(tenure))
        assert dict(plt.rcParams) == before  # sns.set_theme on every call used to overwrite it
        # the package's own figure is drawn in its style all the same
        assert not ax.spines["top"].get_visible() and ax.get_facecolor() != mpl.colors.to_rgba("#abcdef")
        assert ax.title.get_fontsize() == STYLE["axes.titlesize"]
        _, own = plt.subplots()  # the analyst's next figure is theirs
        assert own.spines["top"].get_visible() and own.get_facecolor() == mpl.colors.to_rgba("#abcdef")
    plt.close("all")


def test_every_plot_function_is_themed():
    functions = [f for m in PLOT_MODULES for name, f in inspect.getmembers(m, inspect.isfunction)
                 if name.startswith("plot_") and f.__module__ == m.__name__]
    assert len(functions) >= 10
    assert all(getattr(f, "__wrapped__", None) is not None for f in functions), [f.__name__ for f in functions]


@pytest.mark.parametrize("module", PLOT_MODULES)
def test_target_lines_have_one_argument_name(module):
    # a reference line the firm aims at is `target=` in every plot that draws one
    for name, function in inspect.getmembers(module, inspect.isfunction):
        parameters = inspect.signature(function).parameters
        assert not {"goal", "settings"} & set(parameters), name


def test_theme_context_restores_the_style():
    before = dict(plt.rcParams)
    with theme():
        assert plt.rcParams["axes.spines.right"] is False
    assert dict(plt.rcParams) == before
