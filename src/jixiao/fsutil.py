"""Output helpers: every file jixiao writes is written atomically (temp file + rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    If the block raises (or the process is killed) the target is left untouched and the
    temporary file is removed, so a reader never sees a half-written report.

    A symlink is written through (the file it points to is replaced, the link stays). A target
    that exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is opened
    and written directly: renaming over it would replace the device with a plain file.
    """
    path = Path(path)
    binary = "b" in mode
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file():
        with open(path, mode, encoding=None if binary else encoding) as f:
            yield f
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _new_file_mode(path))  # mkstemp makes 0600; a report gets the usual permissions
        with os.fdopen(fd, mode, encoding=None if binary else encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _new_file_mode(path: Path) -> int:
    """The mode ``open(path, "w")`` would give: the existing file's, else 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_open(path, "w") as f:
        f.write(text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as f:
        f.write(data)


def repo_root() -> Path | None:
    """The source checkout's root (where models/ and corpora/ live), if running from one."""
    env = os.environ.get("JIXIAO_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "models").is_dir() and (parent / "corpora").is_dir():
            return parent
    return None
