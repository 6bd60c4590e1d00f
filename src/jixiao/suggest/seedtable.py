"""Generate ``docs/suggestions-seed.md``: rewrite suggestions for every weak indicator of the seed.

    python -m jixiao.suggest.seedtable [--seed PATH] [-o docs/suggestions-seed.md]

The seed (``corpora/sources/seed/shanghai-justice-2023.txt``) is read with the real reader
(:func:`jixiao.readers.read_path`). Every indicator with a qualitative value (提升, 健全, 及时 …),
a completion rate of 100% (…完成率 =100%) or an on-time rate of 100% without a deadline
(…及时率 =100%) gets its top-3 suggestions; each form is excluded from its own neighbours.

The columns "measurable", "same category" and "shared word" are computed. The judgement column is
a person's: it comes from ``seed_judgements.tsv`` beside this module (form number, original name,
value, the rank of the suggestion judged, its name, OK/OK-N/not-OK, comment, and the top 3 as they
were judged). A judgement whose top 3 has changed is shown as "未评 (stale)", so the table never
shows a judgement of something else.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from jixiao.fsutil import atomic_write_text, repo_root

SELECT = ("vague", "qualitative", "no_deadline", "completion_rate", "timeliness_rate")
JUDGEMENTS = Path(__file__).with_name("seed_judgements.tsv")


def seed_path() -> Path:
    root = repo_root() or Path.cwd()
    return root / "corpora" / "sources" / "seed" / "shanghai-justice-2023.txt"


def load_judgements(path: Path = JUDGEMENTS) -> dict[tuple[int, str, str], dict[str, str]]:
    """(form number, name, value) -> {"rank", "suggestion", "verdict", "comment"}."""
    out: dict[tuple[int, str, str], dict[str, str]] = {}
    if not path.is_file():
        return out
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            out[(int(row["form"]), row["name"], row["value"])] = row
    return out


def rows(seed: Path | None = None, k: int = 3) -> list[dict]:
    """One row per selected seed indicator with its suggestions and the computed checks."""
    from jixiao.readers import read_path
    from jixiao.suggest.rewrite import diagnose, shared_words, suggest_rewrites_batch, target_categories

    seed = seed or seed_path()
    forms = read_path(seed)
    out = []
    for n, form in enumerate(forms, 1):
        sel = [i for i in form.indicators if diagnose(i)[0] in SELECT]
        if not sel:
            continue
        res = suggest_rewrites_batch(sel, form, k=k)
        cats = target_categories(sel)
        for ind, sugg, (cat, _) in zip(sel, res, cats):
            checks = []
            for s in sugg:
                checks.append({
                    "measurable": s.measurable,
                    "same_category": s.level2 == cat or (cat in ("成本指标", "经济成本指标") and s.level2 in ("成本指标", "经济成本指标")),
                    "shared": sorted(shared_words(ind.name, s.name)),
                })
            out.append({"form_no": n, "form": form, "indicator": ind, "weakness": diagnose(ind)[0],
                        "target_level2": cat, "suggestions": sugg, "checks": checks})
    return out


def top3(sugg) -> str:
    """The judged suggestions as one string (names and values), to detect a changed top 3."""
    return " / ".join(f"{s.name} {s.value}" for s in sugg)


def _cell(s: str) -> str:
    return (s or "").replace("|", "／").replace("\n", " ")


def render(table: list[dict], judgements: dict) -> tuple[str, dict]:
    auto_ok = 0
    verdicts: Counter = Counter()
    by_weak: Counter = Counter()
    by_weak_ok: Counter = Counter()
    lines = []
    for r in table:
        ind = r["indicator"]
        sugg, checks = r["suggestions"], r["checks"]
        any_auto = any(c["measurable"] and c["same_category"] for c in checks)
        auto_ok += any_auto
        cells = []
        for i, (s, c) in enumerate(zip(sugg, checks), 1):
            flags = ("可量化" if c["measurable"] else "未量化") + ("·同类" if c["same_category"] else "·异类")
            flags += ("·共词 " + "、".join(c["shared"])) if c["shared"] else ""
            src = f"{s.source['form']}《{s.source['project_name']}》" if s.source else "模板"
            cells.append(f"{i}. **{_cell(s.name)} {_cell(s.value)}** ［{s.level2}］ — {src} ({flags})")
        j = judgements.get((r["form_no"], ind.name, ind.value.raw.strip()))
        if j is None:
            verdict, note = "未评", ""
        else:
            rank = int(j["rank"]) if j.get("rank", "").isdigit() else 0
            judged = sugg[rank - 1].name if 0 < rank <= len(sugg) else None
            if rank and judged != j["suggestion"]:
                verdict, note = "未评 (stale)", f"judged {j['suggestion']!r}, now not in the top 3"
            elif j.get("top3") is not None and j["top3"] != top3(sugg):
                verdict, note = "未评 (stale)", "the top 3 changed since the judgement"
            else:
                verdict, note = j["verdict"], j.get("comment", "")
        verdicts[verdict] += 1
        by_weak[r["weakness"]] += 1
        if verdict in ("OK", "OK-N"):
            by_weak_ok[(r["weakness"], verdict)] += 1
        lines.append(
            f"| {r['form_no']:02d} | {_cell(ind.name)} | {_cell(ind.value.raw.strip())} | {ind.level2 or '—'}"
            f"{'' if r['target_level2'] == ind.level2 else ' → ' + str(r['target_level2'])} | {r['weakness']} | "
            + "<br>".join(cells) + f" | {verdict}{(': ' + _cell(note)) if note else ''} |"
        )
    stats = {"rows": len(table), "auto_ok": auto_ok, "verdicts": dict(verdicts),
             "by_weakness": dict(by_weak), "by_weakness_ok": dict(by_weak_ok)}
    return "\n".join(lines), stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=Path, default=None)
    ap.add_argument("-o", "--output", type=Path, default=None)
    args = ap.parse_args(argv)
    from jixiao.nlp.embed import get_embedder
    from jixiao.suggest.index import load_index

    table = rows(args.seed)
    body, st = render(table, load_judgements())
    index = load_index()
    emb = get_embedder()
    n = st["rows"]
    ok = st["verdicts"].get("OK", 0)
    judged = sum(v for k, v in st["verdicts"].items() if not k.startswith("未评"))
    weak_lines = "\n".join(
        f"| {w} | {c} | {st['by_weakness_ok'].get((w, 'OK'), 0)} | {st['by_weakness_ok'].get((w, 'OK-N'), 0)} |"
        for w, c in sorted(st["by_weakness"].items(), key=lambda kv: -kv[1])
    )
    okn = st["verdicts"].get("OK-N", 0)
    head = f"""# Rewrite suggestions for the weak indicators of the seed forms

Generated by `python -m jixiao.suggest.seedtable` (do not edit by hand) from
`corpora/sources/seed/shanghai-justice-2023.txt` read with `jixiao.readers.read_path`; retrieval index
`corpora/index` ({index.size('indicator')} indicators of {index.info.get('forms')} forms), embedder
`{emb.name}`. Each form is excluded from its own neighbours (leave-one-form-out), so a seed
indicator is never "fixed" with a sibling from its own form.

Selected: every indicator whose value is qualitative (提升, 健全, 及时 …: `vague`, `qualitative`,
`no_deadline`), or a completion / on-time rate of 100% (`completion_rate`, `timeliness_rate`).

Columns: the original indicator (form number in the seed, name, value, category as printed → the
category used for suggestions when the classifier overrides it), why it is weak, the top-3
suggestions (name, value, category, source form or 模板, computed checks: 可量化 = operator + number +
unit or a dated deadline; 同类 = same level-2 category; 共词 = content words shared with the original),
and a person's judgement (OK = at least one of the three is measurable, in the right category and about
the same thing, and a drafter could adopt it after adjusting the number; OK-N = the right rewrite
(right category, same object, a count with its unit) but the number is left as N for the drafter,
because only the project knows it — not counted as measurable; not-OK otherwise). The rank and name
of the suggestion judged are recorded with each judgement in
`src/jixiao/suggest/seed_judgements.tsv`; if the suggestions change, the judgement shows as stale.

## Summary

- selected indicators: **{n}**
- with at least one suggestion that is measurable and in the same category (computed): **{st['auto_ok']} / {n}**
- judged: {judged} / {n}; judged OK: **{ok} / {judged}**{f" ({ok / judged:.0%})" if judged else ""};
  OK-N (right rewrite, number left to the drafter): {okn}; verdicts: {", ".join(f"{k} {v}" for k, v in sorted(st['verdicts'].items()))}

| weakness | indicators | judged OK | judged OK-N |
|---|---:|---:|---:|
{weak_lines}

## Table

| # | original | value | category | weakness | top-3 suggestions (source) | judgement |
|---|---|---|---|---|---|---|
"""
    out = args.output or ((repo_root() or Path.cwd()) / "docs" / "suggestions-seed.md")
    atomic_write_text(out, head + body + "\n")
    print(f"{out}: {n} indicators, computed measurable+same-category {st['auto_ok']}/{n}, judged OK {ok}/{judged}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
