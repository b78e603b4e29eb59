"""Stratified cluster bootstrap: resample whole accounts within each group, all replicates at once.

Every replicate is a group of its own in one stacked frame, so a thousand replicates of every group
cost one grouped event table (:mod:`._table`), not a thousand fits.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd


@dataclasses.dataclass(frozen=True)
class Resample:
    """Rows and clusters drawn for every replicate.

    Attributes
    ----------
    rows, row_replicate : numpy.ndarray
        Positions of the drawn frame rows (a cluster's rows together) and the replicate of each.
    clusters, cluster_replicate : numpy.ndarray
        The drawn cluster labels (with repeats) and the replicate of each.
    cluster_group : numpy.ndarray
        The stratum (group code) of each drawn cluster.
    """

    rows: np.ndarray
    row_replicate: np.ndarray
    clusters: np.ndarray
    cluster_replicate: np.ndarray
    cluster_group: np.ndarray


def resample_clusters(codes: np.ndarray, clusters: np.ndarray, *, n_boot: int, seed: int) -> Resample:
    """Draw, ``n_boot`` times, as many clusters as each group has, with replacement, within the group.

    Parameters
    ----------
    codes : numpy.ndarray
        Group code (stratum) of each row.
    clusters : numpy.ndarray
        Cluster label of each row (for example the ``client_id``): a cluster's rows are drawn together.
    n_boot : int
        Number of replicates.
    seed : int
        Seed of the random generator (the same seed gives the same replicates).
    """
    if n_boot < 1:
        raise ValueError(f"The value for `n_boot` must be a positive integer, but {n_boot!r} was passed")
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"code": codes, "cluster": clusters, "row": np.arange(len(codes))})
    frame = frame.sort_values(["code", "cluster", "row"], kind="stable")
    unit_start = np.flatnonzero(
        np.r_[True, (frame["code"].to_numpy()[1:] != frame["code"].to_numpy()[:-1])
              | (frame["cluster"].to_numpy()[1:] != frame["cluster"].to_numpy()[:-1])]
    )
    unit_size = np.diff(np.r_[unit_start, len(frame)])
    unit_code = frame["code"].to_numpy()[unit_start]
    unit_cluster = frame["cluster"].to_numpy()[unit_start]
    group_start = np.flatnonzero(np.r_[True, unit_code[1:] != unit_code[:-1]])
    group_size = np.diff(np.r_[group_start, len(unit_code)])
    which_group = np.repeat(np.arange(len(group_start)), group_size)
    draws = group_start[which_group] + np.floor(
        rng.random((n_boot, len(unit_code))) * group_size[which_group]
    ).astype(np.int64)
    draws = draws.ravel()
    replicate = np.repeat(np.arange(n_boot), len(unit_code))
    sizes = unit_size[draws]
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    positions = np.arange(sizes.sum()) - offsets + np.repeat(unit_start[draws], sizes)
    return Resample(
        rows=frame["row"].to_numpy()[positions],
        row_replicate=np.repeat(replicate, sizes),
        clusters=unit_cluster[draws],
        cluster_replicate=replicate,
        cluster_group=unit_code[draws],
    )


def stacked_replicates(frame: pd.DataFrame, codes: np.ndarray, draw: Resample, n_boot: int) -> pd.DataFrame:
    """The drawn rows of a survival frame, each replicate of each group a group ``_replicate`` of its own.

    ``_replicate`` is ``group code * n_boot + replicate``, so replicate b of group g is group
    ``g * n_boot + b`` of the stacked frame's event table.
    """
    return frame.iloc[draw.rows][["duration_days", "event", "entry_days"]].assign(
        _replicate=codes[draw.rows] * n_boot + draw.row_replicate
    )


def percentile_bounds(values: np.ndarray, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval over the last axis (replicates), ignoring NaN replicates."""
    tail = 50.0 * (1 - level)
    with np.errstate(all="ignore"):
        empty = np.isnan(values).all(axis=-1)
        filled = np.where(empty[..., None], 0.0, values)
        lower, upper = np.nanpercentile(filled, [tail, 100.0 - tail], axis=-1)
    return np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)
