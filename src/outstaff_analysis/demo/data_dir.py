"""Write the demo firm as a complete data directory: raw exports plus the settings they need."""

from __future__ import annotations

import os

import yaml

from ..config import SETTINGS_FILE, resolve_data_dir
from ..io.atomic import write_text_atomic
from .build import DemoFirm, write_demo


def write_demo_data(data_dir: str | os.PathLike | None = None, *, force: bool = False, **kwargs) -> DemoFirm:
    """Write the demo firm into ``<data_dir>/raw`` and its data window into ``<data_dir>/settings.yaml``.

    The settings file tells the analyses where the records begin (placements started earlier are
    left-truncated).  An existing settings file is left alone: it is the user's.

    Parameters
    ----------
    data_dir : path-like, optional
        Data directory (argument, then ``$OUTSTAFF_DATA_DIR``, then ``./data``).
    force : bool
        Overwrite a ``raw/`` folder that holds files which are not a demo firm.
    **kwargs
        Size and seed: see :func:`~outstaff_analysis.demo.generate_tables`.
    """
    root = resolve_data_dir(data_dir)
    firm = write_demo(root / "raw", force=force, **kwargs)
    settings = root / SETTINGS_FILE
    if not settings.exists():
        text = "# Written by `outstaff demo`: the demo firm's records begin on this day.\n"
        text += yaml.safe_dump({"data_window_start": firm.truth["data_window_start"]})
        write_text_atomic(settings, text)
    return firm
