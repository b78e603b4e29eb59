"""Specialists of the demo firm (roles, stacks, grades) and how to pick one for a request."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..schema import GRADES, ROLES
from .names import person_names
from .timeline import Window

ROLE_SHARES = {"developer": 0.55, "analyst": 0.12, "qa": 0.15, "devops": 0.08, "designer": 0.05, "pm": 0.05}
STACKS = {
    "developer": {
        "python": 0.18,
        "java": 0.17,
        "go": 0.10,
        "1c": 0.08,
        "frontend": 0.16,
        "php": 0.06,
        ".net": 0.07,
        "android": 0.05,
        "ios": 0.05,
        "node.js": 0.05,
        "data/ml": 0.03,
    },
    "analyst": {"business analysis": 0.4, "system analysis": 0.4, "data analysis": 0.2},
    "qa": {"manual": 0.45, "python autotests": 0.3, "java autotests": 0.25},
    "devops": {"kubernetes": 0.5, "aws": 0.2, "yandex cloud": 0.3},
    "designer": {"ui/ux": 0.7, "product design": 0.3},
    "pm": {"scrum": 0.6, "delivery": 0.4},
}
"""Role -> stack -> share among specialists of that role."""

GRADE_SHARES = (0.15, 0.42, 0.33, 0.10)
SPECIALISTS_PER_CLIENT = 6.25


@dataclasses.dataclass(frozen=True)
class Staff:
    """Specialists and a lookup of specialists by (role, stack) group.

    Attributes
    ----------
    frame : pandas.DataFrame
        The specialists table without ``hired_at`` (set once their work is known).
    group : numpy.ndarray of int
        Group (role and stack) of each specialist.
    by_group : numpy.ndarray of int
        Specialist indices sorted by group.
    group_start, group_size : numpy.ndarray of int
        Where each group's specialists sit in ``by_group``.
    rank : numpy.ndarray of int
        Position of each specialist within its group in ``by_group``.
    grade : numpy.ndarray of int
        Index into :data:`~outstaff_analysis.schema.GRADES`.
    """

    frame: pd.DataFrame
    group: np.ndarray
    by_group: np.ndarray
    group_start: np.ndarray
    group_size: np.ndarray
    rank: np.ndarray
    grade: np.ndarray

    def pick(
        self, rng: np.random.Generator, group: np.ndarray, *, avoid: np.ndarray | None = None
    ) -> np.ndarray:
        """A random specialist of each given group, other than ``avoid`` when the group allows it."""
        size = self.group_size[group]
        if avoid is None:
            offset = (rng.random(len(group)) * size).astype(np.int64)
        else:
            offset = (rng.random(len(group)) * np.maximum(size - 1, 1)).astype(np.int64)
            offset = np.where((size > 1) & (offset >= self.rank[avoid]), offset + 1, offset)
        return self.by_group[self.group_start[group] + offset]


def make_staff(rng: np.random.Generator, n: int) -> Staff:
    """Draw ``n`` specialists with roles, stacks, grades and names."""
    role = rng.choice(len(ROLES), n, p=[ROLE_SHARES[r] for r in ROLES])
    stack_names = [f"{r}|{s}" for r in ROLES for s in STACKS[r]]
    stack = np.empty(n, dtype=np.int64)
    for r, name in enumerate(ROLES):
        rows = np.flatnonzero(role == r)
        offsets = [stack_names.index(f"{name}|{s}") for s in STACKS[name]]
        stack[rows] = rng.choice(offsets, len(rows), p=list(STACKS[name].values()))
    grade = rng.choice(len(GRADES), n, p=GRADE_SHARES)
    names, _ = person_names(rng, n)
    width = max(4, len(str(n)))
    frame = pd.DataFrame(
        {
            "specialist_id": np.array([f"S{i + 1:0{width}d}" for i in range(n)], dtype=object),
            "full_name": names,
            "role": np.asarray(ROLES, dtype=object)[role],
            "stack": np.array([s.split("|", 1)[1] for s in stack_names], dtype=object)[stack],
            "grade": np.asarray(GRADES, dtype=object)[grade],
        }
    )
    by_group = np.argsort(stack, kind="stable")
    size = np.bincount(stack, minlength=len(stack_names))
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    rank = np.empty(n, dtype=np.int64)
    rank[by_group] = np.arange(n) - start[stack[by_group]]
    return Staff(
        frame=frame,
        group=stack,
        by_group=by_group,
        group_start=start,
        group_size=size,
        rank=rank,
        grade=grade,
    )


def hire_dates(rng: np.random.Generator, first_work: np.ndarray, window: Window) -> np.ndarray:
    """``hired_at`` (datetime64 dates): some time before each specialist's first work day.

    ``first_work`` is the first day a specialist was shown or placed (NaN if never).
    """
    n = len(first_work)
    never = np.isnan(first_work)
    lead = rng.uniform(20.0, 1500.0, n)
    day = np.where(never, rng.uniform(-1500.0, window.days - 30.0, n), first_work - lead)
    return window.to_date(day)
