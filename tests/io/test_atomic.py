"""Concurrent runs never expose a torn file, and two runs never write data/processed at once."""

import threading

import pytest

from outstaff_analysis.exceptions import OutstaffError
from outstaff_analysis.io.store import build_processed, load_processed


def test_two_concurrent_ingests_never_leave_a_torn_table(tmp_path, write_minimal_raw):
    write_minimal_raw(tmp_path / "raw")
    build_processed(tmp_path)
    expected = load_processed(tmp_path)
    errors, busy, torn = [], [], []
    stop = threading.Event()

    def write():
        for _ in range(8):
            try:
                build_processed(tmp_path)
            except OutstaffError as exc:  # the other run holds the folder: said clearly
                busy.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - any other failure is the defect under test
                errors.append(repr(exc))

    def read():
        while not stop.is_set():
            try:
                tables = load_processed(tmp_path)
            except Exception as exc:  # noqa: BLE001
                torn.append(repr(exc))
                continue
            for name, frame in tables.items():
                if not frame.equals(expected[name]):
                    torn.append(f"{name} differs")

    writers = [threading.Thread(target=write) for _ in range(2)]
    reader = threading.Thread(target=read)
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert errors == [] and torn == []
    assert all("another run holds" in message and str(tmp_path / "processed") in message for message in busy)
    assert not [p.name for p in (tmp_path / "processed").rglob("*.tmp")]


def test_a_held_processed_folder_is_a_clear_error(tmp_path, write_minimal_raw):
    from outstaff_analysis.io.atomic import folder_lock

    write_minimal_raw(tmp_path / "raw")
    with folder_lock(tmp_path / "processed"), pytest.raises(OutstaffError, match=r"another run holds .*processed; "
                                                                               r"wait for it to finish"):
        build_processed(tmp_path)
    killed = tmp_path / "processed" / ".clients.parquet.0123456789abcdef.tmp"  # what a killed run left
    killed.write_bytes(b"PAR1")
    build_processed(tmp_path)  # released: the next run goes ahead
    assert len(load_processed(tmp_path)["clients"]) == 1
    assert not killed.exists()


def test_atomic_write_leaves_only_the_target(tmp_path):
    from outstaff_analysis.io.atomic import atomic_path, write_text_atomic

    write_text_atomic(tmp_path / "a.html", "<p>one</p>")
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "a.html") as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "<p>one</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]
