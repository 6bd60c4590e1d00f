"""A rich progress bar for batch reviews, shown on stderr only when it is a terminal (or when asked)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def want_progress(enabled: bool | None, stream=None) -> bool:
    """``enabled`` None = auto: only when ``stream`` (default stderr) is a TTY."""
    if enabled is not None:
        return enabled
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def track(items: Iterable[T], total: int | None = None, description: str = "审核中", enabled: bool | None = None,
          stream=None) -> Iterator[T]:
    """Iterate ``items`` with a progress bar on ``stream`` (stderr) when :func:`want_progress` says so."""
    stream = stream if stream is not None else sys.stderr
    if not want_progress(enabled, stream):
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=stream, force_terminal=True if enabled else None)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)
