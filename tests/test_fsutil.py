"""Atomic output writing (jixiao.fsutil)."""

from __future__ import annotations

import os
import stat

import pytest

from jixiao.fsutil import atomic_open, atomic_write_text


def test_failed_write_leaves_the_target_untouched(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(out) as f:
        f.write("half")
        raise RuntimeError("boom")
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left behind


def test_write_keeps_the_existing_permissions(tmp_path):
    out = tmp_path / "r.txt"
    out.write_text("x", encoding="utf-8")
    out.chmod(0o640)
    atomic_write_text(out, "y")
    assert out.read_text(encoding="utf-8") == "y" and stat.S_IMODE(out.stat().st_mode) == 0o640


def test_symlink_is_written_through(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_named_pipe_is_written_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so opening for writing does not block
    try:
        atomic_write_text(fifo, "through the pipe")
        assert os.read(r, 100) == "through the pipe".encode()
    finally:
        os.close(r)
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe, not a regular file

