"""duplicate-indicator (JX401): names that differ in a number are different indicators, repeated runs
count in the similarity, and the large-form path finds what comparing every pair finds."""

from __future__ import annotations

import pytest

from jixiao.model import Form, Indicator, Source
from jixiao.review import Config
from jixiao.review import engine
from jixiao.review.engine import run_rules
from jixiao.review.rules import duplicate_indicator as dup
from jixiao.review.text import bag_jaccard, bigram_bag, bigrams, cn_number, jaccard, name_numbers
from jixiao.values import parse_value

STRICT = Config(strict=True)


def _form(rows, project="测试项目"):
    inds = [Indicator(name=n, value=parse_value(v), level1=l1, level2=l2) for l1, l2, n, v in rows]
    return Form(id="t", project_name=project, indicators=inds, source=Source(complete=True))


def _dups(form, cfg=STRICT):
    """(row, row it duplicates) for every JX401 finding."""
    return [(f.target.index, f.data["duplicate_of"]) for f in run_rules(form, cfg) if f.rule == "JX401"]


# ------------------------------------------------------------------------------------ helpers


@pytest.mark.parametrize("name,nums", [
    ("第9999项任务完成数", (9999,)),
    ("第99项任务完成数", (99,)),
    ("一期工程完工率", (1,)),
    ("二期工程完工率", (2,)),
    ("第一批补助资金发放户数", (1,)),
    ("第1批补助资金发放户数", (1,)),
    ("第十二批次抽检合格率", (12,)),
    ("二号楼外墙维修完成率", (2,)),
    ("2023年度司法鉴定培训人数", (2023,)),
    ("2023-2024年学年资助学生人数", (2023, 2024)),
    ("指标10:0-6岁儿童眼保健操覆盖数", (0, 6)),  # "指标10:" is numbering, 0-6岁 is not
    ("指标1.参与司法鉴定培训人数", ()),
    ("(1)参与司法鉴定培训人数", ()),
    ("①参与司法鉴定培训人数", ()),
    ("一、参与司法鉴定培训人数", ()),
    ("AAAA级旅游景区游客接待人次", (4,)),
    ("4A级旅游景区游客接待人次", (4,)),
    ("七氟丙烷式灭火装置及药剂", ()),  # 七 names a chemical, it counts nothing
    ("对保障村(社区)两委机构正常运行的影响程度", ()),
    ("零星维修完成率", ()),
    ("统一标准执行率", ()),
    ("药品不良反应每百万人口报告数", (1_000_000,)),
])
def test_name_numbers(name, nums):
    assert name_numbers(name) == tuple(float(n) for n in nums)


def test_name_numbers_counting_words_are_vocabulary():
    from jixiao.review.vocab import words

    counted = words("name_numbers", "counted")
    assert {"期", "号", "批", "类", "号线", "标段"} <= set(counted)
    for w in counted:  # a Chinese numeral before any counting word is a number of the name
        assert name_numbers(f"三{w}维修") == (3.0,), w
    assert "氟" not in counted and name_numbers("三氟化硼采购量") == ()


@pytest.mark.parametrize("s,n", [("三", 3), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两万", 20000),
                                 ("二〇二三", 2023), ("一万二千", 12000), ("三千零五十", 3050), ("十万", 100000)])
def test_cn_number(s, n):
    assert cn_number(s) == n


def test_bag_jaccard_counts_repeats_and_shared_jaccard_is_unchanged():
    a, b = "第9999项任务完成数", "第99项任务完成数"
    assert bigrams(a) == bigrams(b) and jaccard(a, b) == 1.0  # the set measure other rules use: unchanged
    assert bag_jaccard(a, b) == pytest.approx(8 / 10)
    assert ("99", 3) in bigram_bag(a) and ("99", 2) not in bigram_bag(b)
    # no repeated bigram: the bag Jaccard is the set Jaccard
    x, y = "药品不良反应每百万人口报告数", "化妆品不良反应每百万人口报告数"
    assert bag_jaccard(x, y) == jaccard(x, y)
    assert bag_jaccard("参与司法鉴定培训人数", "参与司法鉴定培训人数。") == 1.0
    assert bag_jaccard("", "培训人数") == 0.0


# ------------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize("a,b", [
    (("第9999项任务完成数", "≥9999(项)"), ("第99项任务完成数", "≥99(项)")),  # set Jaccard 1.00 before
    (("第9999项任务完成数", "≥99(项)"), ("第99项任务完成数", "≥99(项)")),  # even with the same target
    (("第999项任务完成数", "=1(项)"), ("第9999项任务完成数", "=1(项)")),  # bag Jaccard 0.90
    (("一期工程完工率", "=100(%)"), ("二期工程完工率", "=100(%)")),
    (("一期项目主体工程验收合格率", "=100(%)"), ("二期项目主体工程验收合格率", "=100(%)")),
    (("第一批中央财政补助资金发放户数", "≥500(户)"), ("第二批中央财政补助资金发放户数", "≥500(户)")),
    (("第1批困难群众临时救助资金发放人数", "≥300(人)"), ("第2批困难群众临时救助资金发放人数", "≥300(人)")),
    (("一号楼办公用房外墙维修完成率", "=100(%)"), ("二号楼办公用房外墙维修完成率", "=100(%)")),
    (("2023年度参与司法鉴定培训人数", "=300(人次)"), ("2024年度参与司法鉴定培训人数", "=300(人次)")),
    (("AAAAA级旅游景区游客接待人次", "≥10(万人次)"), ("AAAA级旅游景区游客接待人次", "≥10(万人次)")),
])
def test_names_with_different_numbers_are_not_duplicates(a, b):
    f = _form([("产出指标", "数量指标", a[0], a[1]), ("产出指标", "数量指标", b[0], b[1])])
    assert _dups(f) == []


@pytest.mark.parametrize("a,b", [
    (("第9999项任务完成数", "≥9999(项)"), ("第9999项任务完成数", "≥9999(项)")),
    (("一期工程完工率", "=100(%)"), ("一期工程完工率。", "=100(%)")),
    (("第一批中央财政补助资金发放户数", "≥500(户)"), ("指标3.第一批中央财政补助资金发放户数", "≥500(户)")),
    (("2023年度参与司法鉴定培训人数", "=300(人次)"), ("2023年度参与司法鉴定培训人数（人次）", "=300(人次)")),
    (("(1)参与司法鉴定培训人数", "=300(人次)"), ("参与司法鉴定培训人数", "=300(人次)")),  # list numbering
    (("参与司法鉴定培训人数", "=300(人次)"), ("参与司法鉴定培训人数", "=300(人次)")),
])
def test_true_duplicates_are_still_found(a, b):
    f = _form([("产出指标", "数量指标", a[0], a[1]), ("产出指标", "数量指标", b[0], b[1])])
    assert _dups(f) == [(1, 0)]


def test_repeated_digits_count_in_the_similarity():
    """第999项任务完成数 / 第999项任务完成数量: the bag Jaccard is 9/10 = 0.90 (a duplicate whatever the
    targets); the set Jaccard, which counts 99 once, was 8/9 = 0.89 and missed it."""
    f = _form([("产出指标", "数量指标", "第999项任务完成数", "≥999(项)"),
               ("产出指标", "数量指标", "第999项任务完成数量", "=1000(项)")])
    (hit,) = [x for x in run_rules(f, STRICT) if x.rule == "JX401"]
    assert hit.target.index == 1 and (hit.data["duplicate_of"], hit.data["lexical"]) == (0, 0.9)
    assert "名称相似度 0.90" in hit.message


def test_one_phase_duplicated_among_phases():
    """In a form listing 一期/二期/三期, only the row that repeats a phase is reported, against its twin."""
    rows = [("产出指标", "数量指标", "一期安置房建设套数", "≥200(套)"),
            ("产出指标", "数量指标", "二期安置房建设套数", "≥200(套)"),
            ("产出指标", "数量指标", "三期安置房建设套数", "≥200(套)"),
            ("产出指标", "质量指标", "安置房竣工验收合格率", "=100(%)"),
            ("产出指标", "数量指标", "二期安置房建设套数", "≥200(套)")]
    hits = [f for f in run_rules(_form(rows), STRICT) if f.rule == "JX401"]
    assert [(h.target.index, h.data["duplicate_of"]) for h in hits] == [(4, 1)]
    assert "名称相同" in hits[0].message and hits[0].data["lexical"] == 1.0


def test_number_on_one_side_only_is_left_to_similarity():
    # 2023年 added to a ten-character name: bag Jaccard 9/15 = 0.6, not a duplicate
    f = _form([("产出指标", "数量指标", "参与司法鉴定培训人数", "=300(人次)"),
               ("产出指标", "数量指标", "2023年参与司法鉴定培训人数", "=300(人次)")])
    assert _dups(f) == []
    # 1号 in front of a long name: bag Jaccard 20/22 = 0.91, still reported
    f = _form([("产出指标", "数量指标", "办公楼外墙保温及屋面防水改造工程按期完工率", "=100(%)"),
               ("产出指标", "数量指标", "1号办公楼外墙保温及屋面防水改造工程按期完工率", "=100(%)")])
    assert _dups(f) == [(1, 0)]


# ------------------------------------------------------------------------------------ large forms


def _hits(form):
    ctx = engine.Context(form, Config(), None)
    return [(h.target.index, h.message, h.data["duplicate_of"], h.data["lexical"])
            for h in dup.duplicate_indicator(form, ctx)]


def _all_pairs(form):
    saved = dup._ALL_PAIRS
    try:
        dup._ALL_PAIRS = 10**9
        return _hits(form)
    finally:
        dup._ALL_PAIRS = saved


def test_large_form_with_numbered_rows_equals_all_pairs():
    """> 64 rows: the prefix-filtered path and the all-pairs path give the same findings on numbered
    names (第N项, N期, 第N批 with repeated digits), and only the true repeats are found."""
    rows = []
    for k in (1, 9, 11, 19, 91, 99, 111, 199, 999, 1999, 9999, 99999):
        rows.append(("产出指标", "数量指标", f"第{k}项任务完成数", f"≥{k}(项)"))
        rows.append(("产出指标", "数量指标", f"第{k}项任务完成数", "≥1(项)"))  # same name, other target
    for cn in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"):
        rows.append(("产出指标", "数量指标", f"{cn}期工程完工率", "=100(%)"))
        rows.append(("产出指标", "数量指标", f"第{cn}批中央财政补助资金发放户数", "≥500(户)"))
    for y in range(2015, 2027):
        rows.append(("产出指标", "数量指标", f"{y}年度参与司法鉴定培训人数", "=300(人次)"))
    rows += [("产出指标", "数量指标", "参与司法鉴定培训人数", "=300(人次)"),
             ("产出指标", "数量指标", "参与司法鉴定培训人数。", "=300(人次)"),  # true duplicate
             ("产出指标", "数量指标", "九期工程完工率", "=100(%)"),  # repeats row of 九期
             ("产出指标", "数量指标", "第9期工程完工率", "=100(%)"),  # 第9期 = 九期, but the names differ
             ("产出指标", "数量指标", "第十批中央财政补助资金发放户数。", "≥500(户)"),  # repeats 第十批
             ("产出指标", "数量指标", "第999项任务完成数量", "=1000(项)"),  # bag Jaccard 0.90
             ("产出指标", "数量指标", "第十批中央财政补助资金发放的户数", "≥500(户)")]  # 13/16 = 0.81, same target
    form = _form(rows)
    assert len(form.indicators) > dup._ALL_PAIRS
    fast = _hits(form)
    assert fast == _all_pairs(form)
    names = [i.name for i in form.indicators]
    got = {(names[b], names[a]) for b, _, a, _ in fast}
    assert got == ({(f"第{k}项任务完成数", f"第{k}项任务完成数")
                    for k in (1, 9, 11, 19, 91, 99, 111, 199, 999, 1999, 9999, 99999)}
                   | {("参与司法鉴定培训人数。", "参与司法鉴定培训人数"), ("九期工程完工率", "九期工程完工率"),
                      ("第十批中央财政补助资金发放户数。", "第十批中央财政补助资金发放户数"),
                      ("第999项任务完成数量", "第999项任务完成数"),
                      ("第十批中央财政补助资金发放的户数", "第十批中央财政补助资金发放户数")})
    assert {how for _, msg, _, _ in fast for how in ("名称相同", "名称相似度 0.90", "名称相似度 0.81") if how in msg} \
        == {"名称相同", "名称相似度 0.90", "名称相似度 0.81"}  # all three ways a pair qualifies
