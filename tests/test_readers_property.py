"""Property tests: the readers raise nothing but InputError; parse_value never raises."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import InputError
from jixiao.model import Value
from jixiao.readers import read_text
from jixiao.values import parse_value

SEED_LINES = (Path(__file__).resolve().parents[1] / "corpora/sources/seed/shanghai-justice-2023.txt").read_text(
    encoding="utf-8"
).split("\n")

cells = st.sampled_from(
    ["", "产出指标", "数量指标", "社会 效益 指标", "指标", "标", "项目名称", "一级指标", "二级指标", "三级指标",
     "=100(%)", "≥90(%)", "及时", "提升", "x", "|", "{", "9,593,190.00", "满意度指标", "成本指标", "<p>", "\x00"]
)
rows = st.lists(st.lists(st.one_of(cells, st.text(max_size=6)), max_size=7), max_size=40)


def _check(text: str) -> None:
    try:
        forms = read_text(text, "prop.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
        # "cannot read: SomeError" is the readers' last-resort wrapper: a bug, not a diagnosis
        assert not exc.message.startswith("cannot read:"), exc.message
        return
    for f in forms:
        assert f.indicators
        for i in f.indicators:
            assert isinstance(i.name, str) and i.name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_read_text_arbitrary_text(text):
    _check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_read_text_table_like(rs):
    _check("\n".join("\t".join(r) for r in rs))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=len(SEED_LINES) - 1), min_size=1, max_size=60))
def test_read_text_shuffled_seed_lines(idx):
    _check("\n".join(SEED_LINES[i] for i in idx))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_parse_value_never_raises(raw):
    v = parse_value(raw)
    assert isinstance(v, Value)
    assert v.kind in ("quantitative", "qualitative", "date", "empty")
    assert v.op in (None, "=", ">=", "<=", ">", "<")
    assert v.raw == raw
    if v.kind == "quantitative":
        assert v.number is not None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["≥", "≤", "=", "＞＝", "不低于", "大于", ""]), st.floats(allow_nan=False, allow_infinity=False,
       min_value=-1e9, max_value=1e9), st.sampled_from(["%", "(%)", "人", "(万元)", "次", ""]))
def test_parse_value_operator_number_unit(op, num, unit):
    v = parse_value(f"{op}{num:.2f}{unit}")
    assert v.kind == "quantitative"
    assert abs(v.number - round(num, 2)) < 1e-6 or (num < 0 and op)
