"""jixiao.research on the real corpus and the real Shanghai seed forms."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

from jixiao.corpus import load_corpus  # noqa: E402
from jixiao.research import COPY_THRESHOLD, load_frames  # noqa: E402
from jixiao.research import frames as fr  # noqa: E402
from jixiao.research import stats  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "sources" / "seed" / "shanghai-justice-2023.txt"


@pytest.fixture(scope="module")
def corpus_frames():
    return load_frames()


@pytest.fixture(scope="module")
def seed_frames():
    pytest.importorskip("jixiao.readers")
    return load_frames(paths=[SEED])


def test_load_frames_shape_and_columns(corpus_frames):
    forms, inds = corpus_frames
    corpus = load_corpus()
    assert len(forms) == len(corpus)
    assert len(inds) == sum(len(f.indicators) for f in corpus)
    for col in ("id", "project_name", "department", "province", "region", "year", "kind", "template", "sector",
                "n_indicators", "overall_goal_len", "annual_goal_len", "goal_copy", "goal_copied", "funds_total",
                "has_效益", "has_满意度", "has_成本"):
        assert col in forms.columns, col
    for col in ("form_id", "province", "year", "level1", "level2", "level1_raw", "level2_raw", "name", "value_raw",
                "op", "number", "unit", "kind", "is_vague", "boilerplate", "sector"):
        assert col in inds.columns, col
    assert forms["id"].is_unique
    assert set(inds["form_id"]) <= set(forms["id"])
    # n_indicators agrees with the indicator frame
    assert (inds.groupby("form_id").size().reindex(forms["id"]).fillna(0).to_numpy() == forms["n_indicators"].to_numpy()).all()
    assert inds["boilerplate"].min() >= 1
    assert forms["sector"].notna().all() and (forms["sector"] != "其他").sum() >= len(forms) - 3


def test_known_corpus_form(corpus_frames):
    forms, inds = corpus_frames
    f = forms.set_index("id").loc["corpus-011"]  # 宣城市公安局 禁毒经费
    assert f["province"] == "安徽省" and f["sector"] == "公安司法"
    # corpus-004 prints the same text as overall and annual goal
    assert forms.set_index("id").loc["corpus-004", "goal_copy"] == pytest.approx(1.0)
    assert bool(forms.set_index("id").loc["corpus-004", "goal_copied"])
    row = inds[(inds["form_id"] == "corpus-001") & (inds["name"] == "出差人次")].iloc[0]
    assert row["number"] == 24 and row["unit"] == "人/次" and row["kind"] == "quantitative" and row["op"] == "="


def test_seed_copied_goals_and_boilerplate(seed_frames):
    forms, inds = seed_frames
    assert len(forms) == 12 and len(inds) == 225
    assert (forms["province"] == "上海市").all()
    # 11 of the 12 Shanghai forms repeat the overall goal as the annual goal
    assert int(forms["goal_copied"].sum()) == 11
    ov = stats.overview(forms, inds)
    assert ov["goals_copied"] == 11 and ov["forms_with_both_goals"] == 12
    # every seed form has 效益 and 满意度 indicators; only one has a cost indicator
    assert forms["has_效益"].all() and forms["has_满意度"].all()
    assert int(forms["has_成本"].sum()) == 1
    bp = stats.boilerplate(inds)
    assert bp.iloc[0]["forms"] >= 6
    assert (bp["forms"] >= 2).all()


def test_vague_values_use_review_vocabulary():
    assert fr.is_vague_value("有所提升")
    assert fr.is_vague_value("明显改善")
    assert not fr.is_vague_value("≥95%")
    assert not fr.is_vague_value("2023年12月31日前")


def test_bigram_jaccard():
    assert fr.bigram_jaccard("提高服务水平。", "提高 服务水平") == 1.0
    assert fr.bigram_jaccard("", "x") is None
    assert 0 < fr.bigram_jaccard("完成空调维修", "完成电梯维修") < COPY_THRESHOLD


def test_sector_and_province():
    assert fr.sector_of("高中助学金", "宁晋县教育局") == "教育"
    assert fr.sector_of("潼南区五桂镇汇总项目库", "潼南区五桂镇人民政府") == "其他"  # 人民政府 is not 民政
    assert fr.province_of("安徽省 六安市", None) == "安徽省"
    assert fr.province_of(None, "上海市司法局") == "上海市"
    assert fr.province_of(None, "某局") is None
    # the same rule is the form's own province, which leave-one-province-out groups by
    from jixiao.model import Form, Source
    from jixiao.nlp.evaluate import province_of as holdout_group

    f = Form(id="x", department="上海市司法局")
    assert f.province == "上海市" and holdout_group(f) == "上海市"
    assert holdout_group(Form(id="y", source=Source(region="湖北省 黄石市"))) == "湖北省"
    assert holdout_group(Form(id="z", department="某局")) == "(unknown)"


def test_stats_tables(corpus_frames):
    forms, inds = corpus_frames
    tables = stats.all_tables(forms, inds)
    pt = tables["percent_targets"]
    assert pt["indicators"].sum() == int((inds["is_percent"] & inds["number"].notna()).sum())
    cov = tables["category_coverage"]
    assert set(cov["category"]) >= {"产出指标", "效益指标", "满意度指标", "成本指标", "服务对象满意度指标"}
    assert ((cov["forms_with"] + cov["forms_missing"]) == cov["forms"]).all()
    byp = tables["by_province"]
    assert byp["forms"].sum() == len(forms) and byp["indicators"].sum() == len(inds)


def test_corpus_counts_plain():
    c = stats.corpus_counts(load_corpus())
    assert c["forms"] == len(load_corpus())
    assert sum(c["province"].values()) == c["forms"]
    assert sum(c["level2"].values()) == c["indicators"]
    assert "决策" in c["level1_unmapped"]  # Jiangsu 决策/项目立项 template rows stay unmapped


def test_cjk_font_resolves_to_shipped_font():
    from matplotlib import font_manager

    from jixiao.research.fonts import FAMILY, font_path, use_cjk_font

    assert use_cjk_font() == FAMILY
    assert font_path().is_file() and font_path().stat().st_size < 5_000_000
    found = font_manager.findfont(font_manager.FontProperties(family=[FAMILY]), fallback_to_default=False)
    assert Path(found).resolve() == font_path().resolve()
    default = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert "DejaVu" not in Path(default).name and Path(default).resolve() == font_path().resolve()
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(font_path()))["cmap"].getBestCmap()
    text = "".join(f.project_name + "".join(i.name for i in f.indicators) for f in load_corpus())
    missing = {ch for ch in text if ord(ch) > 0x2E80 and ord(ch) not in cmap}
    assert not missing, missing


def test_report_writes_html_and_csv(tmp_path, corpus_frames):
    from jixiao.research.report import SECTIONS, write_report

    html_path = write_report(tmp_path)
    text = html_path.read_text(encoding="utf-8")
    imgs = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)
    assert len(imgs) == sum(1 for s in SECTIONS if s[1])
    assert all(base64.b64decode(b)[:8] == b"\x89PNG\r\n\x1a\n" for b in imgs)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=['\"]https?:", text)  # self-contained
    assert "年度目标是否照抄总体目标" in text
    for table, *_ in SECTIONS:
        csv = tmp_path / f"{table}.csv"
        assert csv.is_file(), csv
    df = pd.read_csv(tmp_path / "by_province.csv", encoding="utf-8-sig")
    assert df["forms"].sum() == len(corpus_frames[0])
    assert (tmp_path / "overview.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_figures_have_titles_and_axis_labels(corpus_frames):
    from jixiao.research import plots

    for name, fig in plots.all_figures(*corpus_frames).items():
        ax = fig.axes[0]
        assert ax.get_title(), name
        assert ax.get_xlabel() and ax.get_ylabel(), name


def test_seed_forms_in_corpus_frames(corpus_frames):
    forms, _ = corpus_frames
    seed = forms[forms["id"].str.startswith("seed-")]
    if seed.empty:
        pytest.skip("corpora/forms.jsonl does not hold the seed forms yet (run `jixiao corpus build`)")
    assert len(seed) == 12
    assert int(seed["goal_copied"].sum()) == 11
    assert set(seed["province"]) == {"上海市"}
    # only 设备购置 writes an annual goal of its own
    differing = seed.loc[~seed["goal_copied"].astype(bool), "project_name"].tolist()
    assert differing == ["设备购置"]


def test_near_duplicate_clusters_do_not_chain():
    import numpy as np

    from jixiao.research.embedding import near_duplicate_clusters

    # a chain a~b~c~d (40° apart, cos 40° = 0.77 ≥ 0.75) where a and c are not similar (cos 80° = 0.17):
    # connected components would merge all four; a centre-based cluster holds at most a centre's neighbours
    ang = np.radians([0, 40, 80, 120])
    X = np.stack([np.cos(ang), np.sin(ang)], axis=1).astype(np.float32)
    df = near_duplicate_clusters(X, ["f1", "f2", "f3", "f4"], ["a", "b", "c", "d"], threshold=0.75)
    assert len(df) == 1 and df.iloc[0]["indicators"] == 3 and df.iloc[0]["centre"] == "b"
    assert near_duplicate_clusters(X, ["f1"] * 4, ["a", "b", "c", "d"], 0.75).empty  # same form only


def test_near_duplicate_clusters_on_seed_names(seed_frames):
    try:
        from jixiao.nlp.embed import get_embedder

        emb = get_embedder()
    except Exception as exc:  # model not built in this checkout
        pytest.skip(f"embedder not available: {exc}")
    from jixiao.research.embedding import near_duplicate_clusters

    _, inds = seed_frames
    X = emb.encode(inds["name"].tolist())
    df = near_duplicate_clusters(X, inds["form_id"].tolist(), inds["name"].tolist(), emb.thresholds["duplicate"])
    top = df.iloc[0]
    assert "工作人员满意度" in top["examples"] and top["forms"] >= 6


def test_empty_input_keeps_columns_and_report_refuses(tmp_path):
    from jixiao.errors import InputError
    from jixiao.research import plots
    from jixiao.research.report import write_report

    forms, inds = load_frames(forms=[])
    assert len(forms) == 0 and "goal_copy" in forms.columns and "is_vague" in inds.columns
    assert stats.overview(forms, inds)["forms"] == 0
    assert len(plots.all_figures(forms, inds)) == 8
    empty = tmp_path / "empty"
    empty.mkdir()
    pytest.importorskip("jixiao.readers")
    with pytest.raises(InputError, match="no forms found"):
        write_report(tmp_path / "out", paths=[empty])
    assert not (tmp_path / "out" / "report.html").exists()


def test_load_frames_from_folder(seed_frames):
    forms, inds = load_frames(paths=[SEED.parent])  # a folder: every supported file below it
    assert len(forms) == len(seed_frames[0]) and len(inds) == len(seed_frames[1])
