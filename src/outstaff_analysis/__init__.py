"""outstaff_analysis: how long placements and accounts last, how satisfied clients are, how well requests are filled.

The package reads an outstaffing firm's CRM/ATS exports (``data/raw``), validates them into
``data/processed`` and answers three questions with pure functions on tidy DataFrames.  Start with::

    import outstaff_analysis as oa

    data = oa.load("data", as_of="2024-12-31")   # or oa.load_demo() for the seeded demo firm
    tenure = data.tenure()
    oa.survival.survival_at(tenure, by="grade", settings=data.settings)
    oa.funnel.funnel_counts(data.requests, data.submissions, as_of=data.as_of)
    oa.sla.sla_compliance(data.sla_events, as_of=data.as_of, settings=data.settings)
    data.csi.client_quarters                      # CSI from the interview transcripts
    oa.plot.plot_km(oa.survival.km_curve(tenure))

The analysis modules (``survival``, ``funnel``, ``sla``, ``csi``, ``plot``) are imported on first
use, so ``import outstaff_analysis`` is quick and does no I/O.
"""

from __future__ import annotations

import importlib

from .config import DEFAULT_SETTINGS, Settings, load_settings
from .dataset import Dataset, load, load_demo
from .exceptions import (
    InferredSpeakerWarning,
    InsufficientDataWarning,
    MissingFieldError,
    OutstaffError,
    ReportError,
    SchemaError,
    TranscriptError,
)

__version__ = "0.1.0"

_MODULES = {"survival": ".survival", "funnel": ".funnel", "sla": ".sla", "csi": ".csi", "plot": ".plotting"}

__all__ = [
    "DEFAULT_SETTINGS",
    "Dataset",
    "InferredSpeakerWarning",
    "InsufficientDataWarning",
    "MissingFieldError",
    "OutstaffError",
    "ReportError",
    "SchemaError",
    "Settings",
    "TranscriptError",
    "__version__",
    "csi",
    "funnel",
    "load",
    "load_demo",
    "load_settings",
    "plot",
    "sla",
    "survival",
]


def __getattr__(name: str):
    if name in _MODULES:
        module = importlib.import_module(_MODULES[name], __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
