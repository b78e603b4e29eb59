"""outstaff_analysis: how long placements and accounts last, how satisfied clients are, how well requests are filled.

The package reads an outstaffing firm's CRM/ATS exports (``data/raw``), validates them into
``data/processed`` and answers three questions with pure functions on tidy DataFrames:
survival of placements and accounts, CSI from interview transcripts, and the staffing funnel.
"""

from .config import DEFAULT_SETTINGS, Settings, load_settings, resolve_data_dir
from .exceptions import (
    InferredSpeakerWarning,
    InsufficientDataWarning,
    OutstaffError,
    ReportError,
    SchemaError,
    TranscriptError,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_SETTINGS",
    "InferredSpeakerWarning",
    "InsufficientDataWarning",
    "OutstaffError",
    "ReportError",
    "SchemaError",
    "Settings",
    "TranscriptError",
    "__version__",
    "load_settings",
    "resolve_data_dir",
]
