"""Shared fixtures: headless plotting, a seeded rng, and the demo firm (built once per session)."""

from __future__ import annotations

import hashlib

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
    from outstaff_analysis.demo.data_dir import write_demo_data
    from outstaff_analysis.io.store import build_processed

    data_dir = tmp_path_factory.mktemp("demo_data")
    write_demo_data(data_dir)
    build_processed(data_dir)
    return data_dir


def _write_minimal_raw(raw):
    """Five small tables: a client without a name (rejected; its unknown source emptied) and its placement."""
    raw.mkdir(parents=True)
    (raw / "clients.csv").write_bytes(
        "client_id;client_name;source\nC1;Ромашка;referral\nC2;;cold\n".encode("cp1251"))
    (raw / "specialists.csv").write_text("specialist_id,full_name,role,grade\nS1,A,developer,senior\n")
    (raw / "requests.csv").write_text("request_id,client_id,opened_at,role,status\nR1,C1,01.02.2022,developer,filled\n")
    (raw / "submissions.csv").write_text("request_id,specialist_id,stage,at\nR1,S1,shown,2022-02-02\n")
    (raw / "placements.csv").write_bytes(
        b"\xef\xbb\xbfplacement_id;specialist_id;client_id;started_at;ended_at;monthly_rate\n"
        b"P1;S1;C1;01.03.2022;;250 000,50\nP2;S1;C2;01.03.2022;;1\n")


@pytest.fixture
def write_minimal_raw():
    """A function writing a tiny raw tree (cp1251, BOM, decimal comma; 2 rows to reject) into a folder."""
    return _write_minimal_raw


def _tree_hash(root):
    """SHA-256 over the names and bytes of every file below ``root``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def tree_hash():
    """A function hashing a folder's files, to prove that a run left them untouched."""
    return _tree_hash
