"""The committed rule pages (docs/rules/) are exactly what the docstrings generate."""

from jixiao.review import all_rules
from jixiao.review.docs import check, generate


def test_rule_docs_up_to_date():
    stale = check()
    assert not stale, f"docs/rules is stale, run `make docs`: {stale}"


def test_one_page_per_rule_plus_index():
    pages = generate()
    assert len(pages) == len(all_rules()) + 1
    idx = pages["index.md"]
    for r in all_rules():
        assert f"{r.code}-{r.name}.md" in pages and r.code in idx


def test_precision_doc_matches_judged_sample():
    from pathlib import Path

    from jixiao.review.precision import precision_markdown, read_tsv

    docs = Path(__file__).resolve().parents[1] / "docs"
    rows = read_tsv(docs / "rule-precision-sample.tsv")
    assert len(rows) == 50
    assert all(r["judgement"] in ("correct", "incorrect") and r["reason"] for r in rows)
    assert (docs / "rule-precision.md").read_text(encoding="utf-8") == precision_markdown(rows)
