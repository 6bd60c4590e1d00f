"""Load time and throughput of the shipped static model through jixiao.nlp.embed (numpy only).

Usage: ``.venv/bin/python models/eval/bench_embed.py`` — runs each measurement in a fresh
subprocess, prints the median of 5 runs. Inputs: the distinct corpus indicator names (short) and
goal texts (long) of ``corpora/forms.jsonl``; the per-process encode cache is bypassed by timing
the first encode of each distinct string.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

CODE = r"""
import json, time
t0 = time.perf_counter()
from jixiao.nlp.embed import get_embedder
t1 = time.perf_counter()
e = get_embedder()
t2 = time.perf_counter()
from jixiao.corpus import load_corpus
forms = load_corpus()
short = sorted({i.name for f in forms for i in f.indicators if i.name})
long = sorted({g for f in forms for g in (f.annual_goal, f.overall_goal) if g and len(g) > 50})
t3 = time.perf_counter(); e.encode(short); t4 = time.perf_counter(); e.encode(long); t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "short_per_s": len(short) / (t4 - t3),
                  "long_per_s": len(long) / (t5 - t4), "n_short": len(short), "n_long": len(long),
                  "long_chars": sum(map(len, long)) / max(len(long), 1), "torch": "torch" in __import__("sys").modules}))
"""


def main() -> None:
    runs = [json.loads(subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("import", "load", "short_per_s", "long_per_s")}
    r = runs[0]
    print(f"import {med['import']:.3f}s, load {med['load']:.3f}s (median of 5 fresh processes); "
          f"{med['short_per_s']:.0f} indicator names/s ({r['n_short']}), "
          f"{med['long_per_s']:.0f} goal texts/s ({r['n_long']}, mean {r['long_chars']:.0f} chars); torch imported: {r['torch']}")


if __name__ == "__main__":
    main()
