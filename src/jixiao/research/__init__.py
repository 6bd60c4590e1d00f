"""Research on the corpus: DataFrames, statistics, the HTML report and the notebooks.

    >>> from jixiao.research import load_frames
    >>> forms, indicators = load_frames()

Needs the ``research`` extra (pandas, matplotlib, nbclient): ``pip install 'jixiao[research]'``.
"""

from __future__ import annotations

from jixiao.research.frames import COPY_THRESHOLD, load_frames

__all__ = ["COPY_THRESHOLD", "load_frames"]
