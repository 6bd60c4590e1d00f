"""Command-line interface. Each area registers its commands from its own module:

- ``parse``: :mod:`jixiao.cli.parse_cmd`
- ``corpus build|stats|report``: :mod:`jixiao.cli.corpus_cmd`
- ``classify``, ``similar``: :mod:`jixiao.cli.nlp_cmd`
- ``review``, ``rules``: :mod:`jixiao.cli.review_cmd`
- ``suggest``: :mod:`jixiao.cli.suggest_cmd`

Heavy libraries are imported inside the commands, never at module import time.
"""

from __future__ import annotations

import importlib

from jixiao.cli.app import app, corpus_app

_COMMAND_MODULES = ("parse_cmd", "corpus_cmd", "nlp_cmd", "review_cmd", "suggest_cmd")
for _name in _COMMAND_MODULES:
    try:
        importlib.import_module(f"jixiao.cli.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"jixiao.cli.{_name}":
            raise


def main() -> None:
    app()


__all__ = ["app", "corpus_app", "main"]
