"""The documented error types. Readers and parsers raise only these on bad input."""

from __future__ import annotations


class JixiaoError(Exception):
    """Base class of every error jixiao raises on purpose."""


class InputError(JixiaoError):
    """An input file cannot be read as a form. ``str(err)`` is one line naming the file."""

    def __init__(self, path: str | None, message: str):
        self.path = str(path) if path is not None else None
        self.message = " ".join(str(message).split())  # always one line
        super().__init__(f"{self.path}: {self.message}" if self.path else self.message)

    def to_dict(self) -> dict[str, str | None]:
        return {"path": self.path, "message": self.message}
