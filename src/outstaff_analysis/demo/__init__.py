"""Seeded demo firm: a synthetic IT outstaffing firm with a known generating truth.

:func:`generate_tables` builds the firm in memory (tables with the processed dtypes, interview
transcripts, the truth); :func:`write_demo` writes it as a ``data/raw`` tree of CSV files,
``transcripts/`` in four formats and ``truth.json``.  Size and seed are parameters, and the
generator is vectorised, so benchmarks can build firms of thousands of clients.

Three clients are deliberately different (``truth["special_clients"]``): ``churny`` (its
specialists keep leaving in month 2), ``weak_funnel`` (few shown CVs are approved) and
``unhappy_service`` (slow answers and red flags about communication).
"""

from .build import DemoFirm, generate_tables, write_demo

__all__ = ["DemoFirm", "generate_tables", "write_demo"]
