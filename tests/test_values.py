"""The target-value parser on what real forms print."""

from __future__ import annotations

import pytest

from jixiao.values import parse_value


@pytest.mark.parametrize(
    "raw,op,number,unit,kind",
    [
        ("=100.00(%)", "=", 100.0, "%", "quantitative"),
        ("=100.00 (%)", "=", 100.0, "%", "quantitative"),
        ("≥14500.00(人)", ">=", 14500.0, "人", "quantitative"),
        ("≥10.00(万件)", ">=", 10.0, "万件", "quantitative"),
        ("≤10.00(%)", "<=", 10.0, "%", "quantitative"),
        ("≥12.00(条/人)", ">=", 12.0, "条/人", "quantitative"),
        ("=0(次)", "=", 0.0, "次", "quantitative"),
        ("100.00 (%)", None, 100.0, "%", "quantitative"),
        # full-width operators and digits
        ("＝１００％", "=", 100.0, "%", "quantitative"),
        ("＞＝95％", ">=", 95.0, "%", "quantitative"),
        ("＜5%", "<", 5.0, "%", "quantitative"),
        (">=1102人", ">=", 1102.0, "人", "quantitative"),
        ("<=5", "<=", 5.0, None, "quantitative"),
        ("≥ 90 %", ">=", 90.0, "%", "quantitative"),
        # operators in words
        ("大于等于90%", ">=", 90.0, "%", "quantitative"),
        ("不低于85%", ">=", 85.0, "%", "quantitative"),
        ("不少于3次", ">=", 3.0, "次", "quantitative"),
        ("不超过10万元", "<=", 10.0, "万元", "quantitative"),
        ("95%以上", ">=", 95.0, "%", "quantitative"),
        ("±3%以内", "<=", 3.0, "%", "quantitative"),
        ("30日内", "<=", 30.0, "日", "quantitative"),
        ("24小时内", "<=", 24.0, "小时", "quantitative"),
        ("万元≤3584", "<=", 3584.0, "万元", "quantitative"),
        ("≥98百分比", ">=", 98.0, "%", "quantitative"),
        ("1,000元", None, 1000.0, "元", "quantitative"),
        # dates
        ("2023.07-2024.01", None, None, None, "date"),
        ("5月31日前", "<=", None, None, "date"),
        ("2023年12月31日前", "<=", None, None, "date"),
        ("年底前", "<=", None, None, "date"),
        # qualitative and empty
        ("及时", None, None, None, "qualitative"),
        ("提升", None, None, None, "qualitative"),
        ("起积极促进作用", None, None, None, "qualitative"),
        ("", None, None, None, "empty"),
        ("/", None, None, None, "empty"),
        ("≥**人", ">=", None, "人", "empty"),
        # not numbers
        ("9" * 400, None, None, None, "qualitative"),
    ],
)
def test_parse_value(raw, op, number, unit, kind):
    v = parse_value(raw)
    assert (v.op, v.number, v.unit, v.kind) == (op, number, unit, kind)
    assert v.raw == raw


def test_none_and_non_strings():
    assert parse_value(None).kind == "empty"
    assert parse_value(85).number == 85.0  # type: ignore[arg-type]


def test_seed_values_all_parse():
    from pathlib import Path

    from jixiao.readers import read_path

    seed = Path(__file__).resolve().parents[1] / "corpora/sources/seed/shanghai-justice-2023.txt"
    kinds = {}
    for f in read_path(seed):
        for i in f.indicators:
            kinds[i.value.kind] = kinds.get(i.value.kind, 0) + 1
            if i.value.raw.startswith(("=", "≥", "≤")):
                assert i.value.kind == "quantitative" and i.value.op in ("=", ">=", "<="), i.value
    assert kinds.get("empty", 0) == 0
    assert kinds["quantitative"] > 100 and kinds["qualitative"] > 50
