"""YAML text read with libyaml's parser where PyYAML was built with it.

The package reads YAML at run time (labels, lexicons, settings, mappings); PyYAML's pure-Python
parser took about 0.4 s of each report for the label files alone, libyaml's takes a tenth of that.
Both build the same safe types (no Python objects from tags).
"""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str | bytes):
    """Parse one YAML document of plain data (as :func:`yaml.safe_load`)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
