"""Clusters of near-identical indicators across forms, from L2-normalised embeddings (notebook 02)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd


def near_duplicate_clusters(
    X: np.ndarray, form_ids: Sequence[str], names: Sequence[str], threshold: float, min_forms: int = 2
) -> pd.DataFrame:
    """Greedy centre-based clusters of rows whose cosine similarity to a centre is ≥ ``threshold``.

    The row with the most neighbours from *other* forms becomes a centre; its neighbours form the
    cluster and leave the pool; repeat. Unlike connected components (single linkage), clusters cannot
    chain through a series of slightly different names. Only clusters spanning at least ``min_forms``
    distinct forms are returned, largest first: ``forms, indicators, distinct_names, centre, examples``.
    """
    import numpy as np
    import pandas as pd

    n = len(form_ids)
    cols = ["forms", "indicators", "distinct_names", "centre", "examples"]
    if n == 0:
        return pd.DataFrame(columns=cols)
    fid = np.asarray(form_ids, dtype=object)
    S = np.asarray(X, dtype=np.float32) @ np.asarray(X, dtype=np.float32).T
    adj = S >= threshold
    free = np.ones(n, dtype=bool)
    rows = []
    while True:
        # neighbours from other forms, among the rows still free
        other = adj & free[None, :] & (fid[None, :] != fid[:, None])
        counts = np.where(free, other.sum(axis=1), -1)
        c = int(np.argmax(counts))
        if counts[c] <= 0:
            break
        members = np.where(adj[c] & free)[0]
        free[members] = False
        free[c] = False
        n_forms = len(set(fid[members]) | {fid[c]})
        if n_forms >= min_forms:
            vc = pd.Series([names[i] for i in members]).value_counts()
            rows.append({"forms": n_forms, "indicators": len(members), "distinct_names": len(vc),
                         "centre": names[c], "examples": "、".join(vc.index[:5])})
    if not rows:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(rows).sort_values(["forms", "indicators"], ascending=False).reset_index(drop=True)


__all__ = ["near_duplicate_clusters"]
