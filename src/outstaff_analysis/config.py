"""Settings: one frozen configuration object, loaded from YAML and passed explicitly.

Nothing in the package reads configuration from module globals: functions take ``settings=``
(default :data:`DEFAULT_SETTINGS`).  The data directory is resolved by :func:`resolve_data_dir`:
an explicit argument, then the ``OUTSTAFF_DATA_DIR`` environment variable, then ``./data``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .exceptions import SchemaError
from .yamltext import safe_load

FACTORS = ("quality", "service", "price", "speed", "team")
"""CSI factors: quality of work, service and communication, price, speed, team stability."""

DATA_DIR_ENV = "OUTSTAFF_DATA_DIR"

REJECTION_SIDES = ("client", "ours", "neutral")
"""Who ended a candidacy: the client, the firm (or its candidate), or neither (the request's own fate)."""

SETTINGS_FILE = "settings.yaml"
"""Settings of a data directory: ``<data_dir>/settings.yaml``."""

RATE_BOUNDS = MappingProxyType({"RUB": (10_000.0, 10_000_000.0), "USD": (100.0, 100_000.0),
                                "EUR": (100.0, 100_000.0)})
"""Default plausible range of a specialist's monthly rate, by currency."""


def _rate_bounds(given: Mapping[str, Any]) -> Mapping[str, tuple[float, float]]:
    """The defaults updated with ``given``, each a finite range 0 < lowest < highest of a known currency."""
    bounds = dict(RATE_BOUNDS)
    for currency, pair in dict(given).items():
        if currency not in RATE_BOUNDS:
            raise ValueError(f"The keys of `monthly_rate_bounds` must be among {list(RATE_BOUNDS)}, "
                             f"but {currency!r} was passed")
        try:
            low, high = (float(x) for x in pair)
        except (TypeError, ValueError):
            raise ValueError(f"`monthly_rate_bounds` of {currency} must be two numbers [lowest, highest], "
                             f"but {pair!r} was passed") from None
        if not (0 < low < high < math.inf):
            raise ValueError(f"`monthly_rate_bounds` of {currency} must satisfy 0 < lowest < highest < inf, "
                             f"but {pair!r} was passed")
        bounds[currency] = (low, high)
    return MappingProxyType(bounds)


@dataclasses.dataclass(frozen=True)
class SLATargets:
    """SLA targets: first answer to a message, production bug fix, replacement of a specialist.

    ``bug_severities`` names the severities that are production bugs: only they are held to
    ``bug_hours`` (a bug without a severity is held to it too; ``None`` holds every bug to it).
    """

    message_minutes: float = 30.0
    bug_hours: float = 3.0
    replacement_working_days: float = 3.0
    bug_severities: tuple[str, ...] | None = ("critical",)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Analysis settings.

    Parameters
    ----------
    churn_gap_days : int
        An account is churned once it has had no active placement for this many days.
    survival_horizons_days : tuple of int
        Horizons at which placement survival is reported (3, 6 and 12 months).
    hazard_band_edges_months : tuple of float
        Left edges of the hazard bands in months; the last band is open-ended.
    ltv_horizon_days : float
        Horizon of the restricted mean account lifetime used for LTV, in days (three years).
    remaining_ltv_horizon_days : float
        Horizon of the remaining LTV of an active account (the revenue at risk), in days.
    bootstrap_samples : int
        Bootstrap samples behind the LTV intervals.
    stale_request_days : int
        An open request older than this counts as not closed in the share of requests closed.
    data_window_start : datetime.date or None
        First day the firm's records cover; placements started earlier are left-truncated
        (they enter the risk set at this date).  ``None``: no left truncation.
    sla : SLATargets
        SLA targets.
    calendar : str
        Country code of the production calendar for working days (``holidays`` package).
    csi_weights : mapping
        Weight of each CSI factor (normalised to sum to 1 when used).
    csi_min_evidence : int
        Fewer scored sentences than this on a factor marks it as insufficient evidence.
    north_star_target : float
        Target of approved / shown.
    time_to_fill_target_days : float
        Target of the median calendar days from a request to its first specialist starting.
    retention_6m_target : float
        Target share of a client's placements still running after 6 months (182 days).
    sla_goal : float
        Share of SLA events within target that the firm promises (reports mark a shortfall).
    csi_bands : tuple of float
        CSI below the first value is poor, from the second on it is good (reports colour it).
    csi_interview_correlation : float
        Within-interview correlation of sentence readings (Kish's design effect in CSI intervals):
        fixed, not re-estimated from whichever interviews are scored together, so a client's
        score does not depend on the other clients scored with it (0.21 measured on the demo firm
        with :func:`outstaff_analysis.csi.scores.within_interview_correlation`).
    csi_prior_reading : float
        The firm's typical reading of a factor sentence, 0..1: a factor score is the posterior mean
        of its sentences' mean reading under a prior with the weight of two sentences centred here,
        so a client with little evidence is pulled toward what the firm's clients usually say, not
        toward 50 (0.65 measured on the demo firm with
        :func:`outstaff_analysis.csi.scores.mean_reading`).
    min_at_risk : int
        Survival figures resting on fewer placements at risk than this are NaN with a reason.
    rejection_sides : mapping
        Reason text (case and surrounding spaces ignored) -> side (``client``, ``ours`` or
        ``neutral``) of a candidacy that ended with it.  A reason not listed takes its stage's side:
        ``rejected`` is the client's, ``withdrawn`` ours.  By default a cancelled or on-hold request
        is the client's decision and "position filled" (another candidate started) is neutral.
    monthly_rate_bounds : mapping
        Currency -> (lowest, highest) plausible monthly rate; validation empties a rate outside it
        (with a warning row).  Currencies not given keep the defaults of :data:`RATE_BOUNDS`.
    fx_rates : mapping
        Roubles per unit of each currency, used only to rank clients paying in different currencies
        by revenue at risk (figures are always shown in the client's own currency).
    """

    churn_gap_days: int = 60
    survival_horizons_days: tuple[int, ...] = (91, 182, 365)
    hazard_band_edges_months: tuple[float, ...] = (0.0, 3.0, 6.0, 12.0)
    ltv_horizon_days: float = 1095.75
    remaining_ltv_horizon_days: float = 365.0
    bootstrap_samples: int = 500
    stale_request_days: int = 60
    data_window_start: dt.date | None = None
    sla: SLATargets = SLATargets()
    calendar: str = "RU"
    csi_weights: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: MappingProxyType(
            {"quality": 0.30, "service": 0.25, "price": 0.15, "speed": 0.15, "team": 0.15}
        )
    )
    csi_min_evidence: int = 3
    north_star_target: float = 1.0
    time_to_fill_target_days: float = 30.0
    retention_6m_target: float = 0.8
    sla_goal: float = 0.95
    csi_bands: tuple[float, float] = (50.0, 70.0)
    csi_interview_correlation: float = 0.21
    csi_prior_reading: float = 0.65
    min_at_risk: int = 5
    rejection_sides: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: MappingProxyType(
            {"request cancelled": "client", "request on hold": "client", "position filled": "neutral"}
        )
    )
    monthly_rate_bounds: Mapping[str, tuple[float, float]] = dataclasses.field(default_factory=lambda: RATE_BOUNDS)
    fx_rates: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: MappingProxyType({"RUB": 1.0, "USD": 90.0, "EUR": 100.0})
    )

    def __post_init__(self):
        unknown = set(self.csi_weights) - set(FACTORS)
        if unknown:
            raise ValueError(f"The keys of `csi_weights` must be among {list(FACTORS)}, but {sorted(unknown)} were passed")
        if any(w < 0 for w in self.csi_weights.values()):
            raise ValueError("`csi_weights` must be non-negative")
        object.__setattr__(self, "csi_weights", MappingProxyType(dict(self.csi_weights)))
        bad = {reason: side for reason, side in self.rejection_sides.items() if side not in REJECTION_SIDES}
        if bad:
            raise ValueError(
                f"The values of `rejection_sides` must be one of {list(REJECTION_SIDES)}, but {bad} were passed"
            )
        sides = {str(reason).strip().casefold(): side for reason, side in self.rejection_sides.items()}
        object.__setattr__(self, "rejection_sides", MappingProxyType(sides))
        object.__setattr__(self, "monthly_rate_bounds", _rate_bounds(self.monthly_rate_bounds))
        if not 0.0 < self.csi_prior_reading < 1.0:
            raise ValueError(f"`csi_prior_reading` must be between 0 and 1 (exclusive), but {self.csi_prior_reading!r} "
                             f"was passed")
        if any(not rate > 0 for rate in self.fx_rates.values()):
            raise ValueError("`fx_rates` must be positive")
        object.__setattr__(self, "fx_rates", MappingProxyType(dict(self.fx_rates)))

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed."""
        return dataclasses.replace(self, **changes)


DEFAULT_SETTINGS = Settings()


def settings_from_mapping(values: Mapping[str, Any], *, source: str = "<settings>") -> Settings:
    """Build :class:`Settings` from a plain mapping (as read from YAML).

    Unknown keys are an error, so a typo in a settings file is not silently ignored.
    """
    names = {f.name for f in dataclasses.fields(Settings)}
    unknown = set(values) - names
    if unknown:
        raise SchemaError(source, f"unknown settings {sorted(unknown)}; expected some of {sorted(names)}")
    kwargs = dict(values)
    if "sla" in kwargs:
        sla_names = {f.name for f in dataclasses.fields(SLATargets)}
        bad = set(kwargs["sla"]) - sla_names
        if bad:
            raise SchemaError(source, f"unknown SLA targets {sorted(bad)}; expected some of {sorted(sla_names)}")
        sla = dict(kwargs["sla"])
        if sla.get("bug_severities") is not None:
            sla["bug_severities"] = tuple(sla["bug_severities"])
        kwargs["sla"] = SLATargets(**sla)
    for key in ("survival_horizons_days", "hazard_band_edges_months", "csi_bands"):
        if key in kwargs:
            kwargs[key] = tuple(kwargs[key])
    if kwargs.get("data_window_start") is not None:
        kwargs["data_window_start"] = _as_date(kwargs["data_window_start"], source)
    try:
        return Settings(**kwargs)
    except (TypeError, ValueError) as exc:
        raise SchemaError(source, str(exc)) from exc


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """Load settings from a YAML file; ``None`` returns the defaults."""
    if path is None:
        return DEFAULT_SETTINGS
    path = Path(path)
    if not path.exists():
        raise SchemaError(path, "settings file not found")
    values = safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(values, dict):
        raise SchemaError(path, "a settings file must be a mapping of name: value")
    return settings_from_mapping(values, source=str(path))


def resolve_settings(
    settings: Settings | str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None
) -> Settings:
    """The settings of an analysis, resolved in one place.

    Parameters
    ----------
    settings : Settings, path-like or None
        A :class:`Settings` is used as is; a path is read as YAML; ``None`` reads
        ``<data_dir>/settings.yaml`` when it exists, else gives the defaults.
    data_dir : path-like, optional
        Data directory (argument, then ``$OUTSTAFF_DATA_DIR``, then ``./data``).

    Returns
    -------
    Settings

    Examples
    --------
    >>> resolve_settings(DEFAULT_SETTINGS.replace(churn_gap_days=90)).churn_gap_days
    90
    """
    if isinstance(settings, Settings):
        return settings
    if settings is not None:
        return load_settings(settings)
    path = resolve_data_dir(data_dir) / SETTINGS_FILE
    return load_settings(path if path.is_file() else None)


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """Resolve the data directory: argument, then ``$OUTSTAFF_DATA_DIR``, then ``./data``."""
    if data_dir is not None:
        return Path(data_dir)
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    return Path.cwd() / "data"


def _as_date(value: Any, source: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise SchemaError(source, "`data_window_start` must be a date YYYY-MM-DD", value=value) from exc
