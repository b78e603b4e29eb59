"""Shared fixtures: headless plotting, a seeded rng, and the demo firm (built once per session)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

DEMO_AS_OF = "2024-12-31"


@pytest.fixture
def rng():
    """A seeded random generator: tests are reproducible."""
    return np.random.default_rng(12345)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def demo_firm():
    """The default demo firm, in memory (tables, transcripts, truth)."""
    from outstaff_analysis.demo import generate_tables

    return generate_tables()


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory):
    """A data directory with the demo firm written to raw/ and ingested into processed/."""
    from outstaff_analysis.demo import write_demo
    from outstaff_analysis.io.store import build_processed

    data_dir = tmp_path_factory.mktemp("demo_data")
    write_demo(data_dir / "raw")
    build_processed(data_dir)
    return data_dir
