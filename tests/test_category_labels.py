"""One decision for "is this cell a category label?": jixiao.taxonomy.category_label.

The three former implementations (cells.category, table._label_kind, taxonomy.is_category_label)
now call it with different strictness; these tests pin their answers on label cells printed in
real inputs (the shared-corpus raw pages and the seed), odd ones included, and check that the three
agree wherever the strict core applies.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.readers import read_path
from jixiao.readers.cells import category
from jixiao.readers.table import _label_kind
from jixiao.taxonomy import category_label, is_category_label

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpora" / "sources" / "shared-corpus" / "raw"
SEED = ROOT / "examples" / "shanghai-justice-2023.txt"

P, B, S, C = "产出指标", "效益指标", "满意度指标", "成本指标"
SAT = "服务对象满意度指标"

# (cell as printed, raw file it is printed in ("seed": the seed dump),
#  cells.category -> (kind, std1, std2) or None,
#  table._label_kind -> (level1, level2, template) or None,
#  taxonomy.is_category_label)
TABLE = [
    # plain aliases, level 1 / level 2 / both
    ("产出指标", "004", ("l1", P, None), (P, None, None), True),
    ("数量指标", "004", ("l2", P, "数量指标"), (None, "数量指标", None), True),
    ("成本指标", "006", ("both", C, C), (C, C, None), True),
    ("满意度指标", "006", ("both", S, SAT), (S, SAT, None), True),
    ("满意度", "025", ("both", S, SAT), (S, SAT, None), True),
    ("服务对象满意度指标", "006", ("l2", S, SAT), (None, SAT, None), True),
    ("社会成本指标", "010", ("l2", C, "社会成本指标"), (None, "社会成本指标", None), True),
    ("生态环境成本指标", "010", ("l2", C, "生态环境成本指标"), (None, "生态环境成本指标", None), True),
    # older template words
    ("项目效益", "002", ("l1", B, None), (B, None, None), True),
    ("项目完成", "055", ("l1", P, None), (P, None, None), True),
    ("预期产出指标", "037", ("l1", P, None), (P, None, None), True),
    ("效果指标", "037", ("l1", B, None), (B, None, None), True),
    ("成效指标", "047", ("l1", B, None), (B, None, None), True),
    ("效益", "017", ("l1", B, None), (B, None, None), True),
    ("产出数量", "025", ("l2", P, "数量指标"), (None, "数量指标", None), True),  # not a level 1 by its stem
    ("产出成本", "025", ("l2", P, C), (None, C, None), True),
    ("可持续影响", "025", ("l2", B, "可持续影响指标"), (None, "可持续影响指标", None), True),
    ("环境效益指标", "023", ("l2", B, "生态效益指标"), (None, "生态效益指标", None), True),
    ("数量指标(或建筑规模指标)", "037", ("l2", P, "数量指标"), (None, "数量指标", None), True),
    ("时效指标(工期指标、形象进度指标)", "037", ("l2", P, "时效指标"), (None, "时效指标", None), True),
    ("预算(或投资规模)控制指标", "037", ("l2", P, C), (None, C, None), True),
    # score suffixes, spaced-out characters, numbering removed by clean_label
    ("产出指标 (50分)", "008", ("l1", P, None), (P, None, None), True),
    ("产出指标(50分)", "017", ("l1", P, None), (P, None, None), True),
    ("产 出 指 标 (50分)", "021", ("l1", P, None), (P, None, None), True),
    ("效 益 指 标 (30分)", "021", ("l1", B, None), (B, None, None), True),
    ("产出指标 (40-50)分", "040", ("l1", P, None), (P, None, None), True),
    ("成本指标(0-20)分", "040", ("both", C, C), (C, C, None), True),
    ("社会 效益 指标", "seed", ("l2", B, "社会效益指标"), (None, "社会效益指标", None), True),
    ("一、产出指标", "003", ("l1", P, None), (P, None, None), True),
    ("三、满意度指标", "003", ("both", S, SAT), (S, SAT, None), True),
    # other templates: a label, but no standard level (never a category name for review)
    ("绩效目标", "006", ("l2", None, None), (None, None, "ndrc"), False),
    ("效率指标", "047", ("l2", None, None), (None, None, "ndrc"), False),
    ("决策", "060", ("l2", None, None), (None, None, "ndrc"), False),
    ("项目立项", "060", ("l2", None, None), (None, None, "ndrc"), False),
    ("7、绩效目标", "055", ("l2", None, None), (None, None, "ndrc"), False),
    # decorated (web-page prose and headings): the cells reader only
    ("(一)数量指标", "003", ("l2", P, "数量指标"), None, False),
    ("(四)成本指标", "003", ("both", C, C), None, False),
    ("(四)可持续影响指标", "003", ("l2", B, "可持续影响指标"), None, False),
    ("时效指标(工期指标)", "037", ("l2", P, "时效指标"), None, False),
    ("社会、经济、生态效益 指标", "037", ("l2", B, None), None, False),
    ("【效益指标-经济效益指标】", "031", ("l2", B, None), None, False),
    # loose (grid category columns): the table reader only
    ("对象满意度指标", "023", None, (None, SAT, None), False),
    ("成本控制", "038", None, (C, None, None), False),
]

IDS = [row[0] for row in TABLE]


def _cat(cell: str):
    c = category(cell)
    return None if c is None else (c.kind, c.std1, c.std2)


@pytest.mark.parametrize("cell,src,cat,kind,strict", TABLE, ids=IDS)
def test_real_cell_answers(cell, src, cat, kind, strict):
    path = SEED if src == "seed" else RAW / f"{src}.txt"
    assert cell in path.read_text(encoding="utf-8"), "the table must hold printed cells"
    assert _cat(cell) == cat
    assert _label_kind(cell) == kind
    assert is_category_label(cell) is strict


@pytest.mark.parametrize("cell,src,cat,kind,strict", TABLE, ids=IDS)
def test_call_sites_are_the_one_function(cell, src, cat, kind, strict):
    dec, loose, core = (category_label(cell, decorated=True), category_label(cell, loose=True), category_label(cell))
    assert (dec is None) == (category(cell) is None) and (dec is None or category(cell).std1 == dec.under)
    assert (loose is None) == (_label_kind(cell) is None)
    assert is_category_label(cell) == (core is not None and (core.level1 or core.level2) is not None)
    if core is not None:  # the strict core is accepted by every strictness, with the same answer
        assert dec == core == loose


def _agree(cell: str) -> None:
    c, k, lab = category(cell), _label_kind(cell), category_label(cell)
    assert c is not None and k is not None and lab is not None, cell
    l1, l2, _tpl = k
    assert c.std2 == l2 == lab.level2, cell
    assert c.kind == ("both" if l1 and l2 else "l1" if l1 else "l2"), cell
    assert c.std1 == (l1 or lab.under), cell


def test_three_agree_on_every_strict_label_cell_of_the_raw_pages():
    n = 0
    for p in sorted(RAW.glob("*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            for cell in {c.strip() for c in line.split("|")}:
                if is_category_label(cell):
                    _agree(cell)
                    n += 1
    assert n >= 100


def test_three_agree_on_the_seed_labels():
    inds = [i for form in read_path(SEED) for i in form.indicators]
    printed = {i.level1_raw for i in inds} | {i.level2_raw for i in inds}
    printed.discard(None)
    assert {"产出指标", "数量指标", "效益指标", "社会效益指标", "满意度指标"} <= printed
    for cell in printed:
        assert is_category_label(cell), cell
        _agree(cell)


def test_the_readers_need_their_strictness():
    # decorated forms are headings of web-page prose; a grid category column never prints them
    assert category_label("（一）数量指标", decorated=True).level2 == "数量指标"
    assert category_label("（一）数量指标", loose=True) is None
    # stems are read in grid category columns only: in web-page text a short cell is often a name
    assert category_label("成本控制", loose=True).level1 == C
    assert category_label("成本控制", decorated=True) is None
    assert category_label("效益指", loose=True).level1 == B  # a label cut by a page break
    # a cell holding 满意 counts only as the satisfaction level 2 ending in 指标
    assert category_label("满意度(%)", loose=True) is None and category_label("满意", loose=True) is None
    # an indicator name is a category name only when it is exactly one (review rule category-as-name)
    assert not is_category_label("成本控制") and not is_category_label("（一）数量指标")
    assert not is_category_label("决策")  # a template label, not a level-1/level-2 name


def test_cells_longer_than_a_label_are_not_labels():
    long_cell = "产出指标" + " " * 40
    assert category_label(long_cell) is not None  # the strict core has no length limit
    assert category(long_cell) is None  # the web-page reader skips long cells
    sentence = "社会公众与服务对象对本项目实施效果的满意度评价指标"
    assert len(sentence) > 24 and category_label(sentence, loose=True) is None
    assert category_label(sentence[-12:], loose=True).level2 == SAT  # "…满意度评价指标" of 12 characters is one
