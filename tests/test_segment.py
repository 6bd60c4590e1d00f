"""Segmentation with jieba + the domain dictionary (src/jixiao/data/domain_dict.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.nlp import segment
from jixiao.nlp.normalize import normalize_indicator, normalize_text, normalize_units, normalize_value
from jixiao.nlp.segment import cut, domain_words

SEED = Path(__file__).resolve().parents[1] / "corpora" / "sources" / "seed" / "shanghai-justice-2023.txt"


@pytest.mark.parametrize(
    "text, word",
    [
        ("信息化系统运维及时性", "运维"),
        ("信息化系统运维及时性", "及时性"),
        ("空调维修及时率", "及时率"),
        ("参训学员满意度", "参训"),
        ("参训学员满意度", "满意度"),
        ("办公用房维修验收合格率", "验收合格率"),
        ("项目建成后可持续影响年限", "可持续影响"),
        ("受益建档立卡贫困人口数", "建档立卡"),
        ("空调维修完成率", "完成率"),
        ("文物安全巡查覆盖率", "覆盖率"),
        ("政策知晓率", "知晓率"),
        ("食品安全指标达标率", "达标率"),
        ("审计质量合格率", "合格率"),
    ],
)
def test_domain_words_kept_whole(text, word):
    assert word in cut(text)


def test_plain_jieba_splits_what_the_domain_dict_keeps():
    # the dictionary matters: jieba alone cuts these domain words into pieces
    import jieba

    tk = jieba.Tokenizer()
    tk.tmp_dir = str(segment.cache_dir())
    assert "运维" not in tk.lcut("信息化系统运维及时性", HMM=False)
    assert "验收合格率" not in tk.lcut("办公用房维修验收合格率", HMM=False)
    assert "运维" in cut("信息化系统运维及时性", hmm=False)


def test_global_jieba_untouched():
    import jieba

    cut("信息化系统运维及时性")
    assert jieba.dt is not segment.default_segmenter().tokenizer
    assert "验收合格率" not in jieba.dt.FREQ


def test_cache_dir_is_per_user(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "c"))
    seg = segment.Segmenter()
    assert seg.cut("空调维修完成率") == ["空调", "维修", "完成率"]
    assert (tmp_path / "c" / "jieba.cache").exists()


def test_seed_indicators_segment_into_known_pieces():
    # every seed indicator name segments into non-empty words that concatenate back to the name
    names = []
    for line in open(SEED, encoding="utf-8"):
        cells = [c for c in line.rstrip("\n").split("\t") if c.strip()]
        if len(cells) >= 2 and cells[-1].startswith(("=", "≥", "≤")):
            names.append(cells[-2])
    assert len(names) > 100
    for n in names:
        words = cut(n)
        assert "".join(words) == n.replace(" ", "")
    joined = [w for n in names for w in cut(n)]
    assert joined.count("满意度") >= 10 and joined.count("完成率") >= 10


def test_dictionary_file_format():
    words = domain_words()
    assert {"运维", "及时性", "及时率", "满意度", "参训", "验收合格率", "可持续影响", "建档立卡"} <= set(words)
    for line in segment.DOMAIN_DICT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            w, f, tag = line.split()
            assert int(f) > 0 and tag


def test_normalize():
    assert normalize_text("工作人员  满意度（％）") == "工作人员 满意度(%)"
    assert normalize_units("≥98百分比") == "≥98%"
    assert normalize_units("9,593,190.00元") == "9593190元"
    assert normalize_units("维修面积 1290.3平方米") == "维修面积 1290.3㎡"
    assert normalize_value("＞＝95％") == ">=95%"
    assert normalize_value("不超过10万兀") == "不超过10万元"
    assert normalize_indicator("指标1:工程验收合格率") == "工程验收合格率"
    assert normalize_indicator("*资产入股贫困人口满意度( ≥**% )") == "资产入股贫困人口满意度"
    assert normalize_indicator("奖补资金兑付率(%)") == "奖补资金兑付率"
    assert normalize_indicator("项目(工程)验收合格率") == "项目(工程)验收合格率"
    assert normalize_indicator("重.要设备维修维保验收合格率") == "重要设备维修维保验收合格率"
