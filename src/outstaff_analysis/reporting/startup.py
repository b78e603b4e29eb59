"""Start-up of the processes that render reports: skip import work that no report uses.

``nbformat`` (which papermill and nbconvert import) imports ``jsonschema``, and ``jsonschema``
imports ``rfc3987_syntax`` when it is installed (``jupyterlab`` brings it in through
``jsonschema[format-nongpl]``) to offer the ``iri`` format checks.  That import compiles about 35
Lark grammars: 1.5 s on this project's machine, in every process that renders a report, for checks
nbformat never runs (it validates notebooks without a format checker).  Upstream knows it
(python-jsonschema/jsonschema#1428).  :func:`skip_iri_grammars` imports ``jsonschema`` with
``rfc3987_syntax`` hidden, then un-hides it, so an explicit import of it later works as usual.

Only the package's own processes call it (the ``outstaff`` command and the report fork server);
importing :mod:`outstaff_analysis` in a notebook changes nothing.
"""

from __future__ import annotations

import sys

IRI_GRAMMARS = "rfc3987_syntax"


def skip_iri_grammars() -> None:
    """Import ``jsonschema`` without its ``iri`` format checks (a no-op once it is imported)."""
    if "jsonschema" in sys.modules or IRI_GRAMMARS in sys.modules:
        return
    sys.modules[IRI_GRAMMARS] = None  # makes `import rfc3987_syntax` raise ImportError, which jsonschema expects
    try:
        import jsonschema  # noqa: F401 - imported here, without the grammars, for the rest of the process
    finally:
        del sys.modules[IRI_GRAMMARS]
