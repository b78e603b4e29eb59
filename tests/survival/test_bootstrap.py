"""Stratified cluster bootstrap: whole clusters drawn within their group, as many as the group has."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.survival._bootstrap import percentile_bounds, resample_clusters, stacked_replicates


def test_clusters_are_drawn_whole_within_their_group():
    codes = np.array([0, 0, 0, 1, 1, 1, 1])
    clusters = np.array(["a", "a", "b", "c", "d", "d", "d"])
    draw = resample_clusters(codes, clusters, n_boot=300, seed=1)
    frame = pd.DataFrame({"cluster": clusters[draw.rows], "replicate": draw.row_replicate})
    for (replicate, cluster), rows in frame.groupby(["replicate", "cluster"]):
        assert len(rows) % (clusters == cluster).sum() == 0  # a cluster's rows come together
    drawn = pd.DataFrame({"group": draw.cluster_group, "cluster": draw.clusters, "replicate": draw.cluster_replicate})
    sizes = drawn.groupby(["replicate", "group"]).size().unstack()
    assert (sizes[0] == 2).all() and (sizes[1] == 2).all()  # as many clusters as the group has
    assert set(drawn.loc[drawn["group"] == 0, "cluster"]) == {"a", "b"}
    share_a = (drawn.loc[drawn["group"] == 0, "cluster"] == "a").mean()
    assert share_a == pytest.approx(0.5, abs=0.06)
    again = resample_clusters(codes, clusters, n_boot=300, seed=1)
    np.testing.assert_array_equal(again.rows, draw.rows)
    with pytest.raises(ValueError, match="`n_boot` must be a positive integer"):
        resample_clusters(codes, clusters, n_boot=0, seed=1)


def test_stacked_replicates_number_each_replicate_of_each_group():
    frame = pd.DataFrame({"duration_days": [1.0, 2.0, 3.0], "event": True, "entry_days": 0.0})
    codes = np.array([0, 1, 1])
    draw = resample_clusters(codes, np.array(["x", "y", "z"]), n_boot=4, seed=0)
    stacked = stacked_replicates(frame, codes, draw, 4)
    assert sorted(stacked["_replicate"].unique()) == list(range(8))
    assert (stacked.loc[stacked["_replicate"] < 4, "duration_days"] == 1.0).all()


def test_percentile_bounds_ignore_nan_replicates():
    values = np.array([[*np.arange(1.0, 101.0), np.nan], [np.nan] * 101])
    lower, upper = percentile_bounds(values)
    assert lower[0] == pytest.approx(np.percentile(np.arange(1.0, 101.0), 2.5)) and np.isnan(upper[1])
