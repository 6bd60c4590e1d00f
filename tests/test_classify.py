"""The level-2 indicator classifier: real cases, calibration sanity, persistence, grouped-CV floor."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from jixiao.corpus import load_corpus
from jixiao.nlp.classify import IndicatorClassifier, Prediction, get_classifier, refine_cost, uses_2021_cost
from jixiao.nlp.evaluate import evaluate_classifier, training_rows
from jixiao.nlp.features import CLASSES, clean_name, keyword_predict, load_cues, unit_class

# real indicators from the Shanghai seed forms and the transcribed corpus, with their values
CASES = [
    ("空调维修及时率", "=100.00(%)", "时效指标"),
    ("空调维修及时率", None, "时效指标"),
    ("工作人员满意度", "≥90(%)", "服务对象满意度指标"),
    ("验收合格率", "≥98百分比", "质量指标"),
    ("办公用房维修验收合格率", "=100(%)", "质量指标"),
    ("项目总成本", "≤1000万元", "成本指标"),
    ("考点设置数", "≥60(个)", "数量指标"),
    ("法治建设示范创建活动", "=20(次)", "数量指标"),
    ("办公用房修缮及装修管理制度", "健全", "可持续影响指标"),
    ("长效管理机制健全性", "健全", "可持续影响指标"),
    ("影院营业收入", "≥150万元", "经济效益指标"),
    ("务工人员年人均增收", "≥8400元", "经济效益指标"),
    ("群众满意度", "≥95%", "服务对象满意度指标"),
    ("完成时限", "2025年10月底前", "时效指标"),
    ("资金支付及时率", "100百分比", "时效指标"),
    ("维修面积", "≥400平方米", "数量指标"),
    ("农产品监督抽样合格率", "≥98%", "质量指标"),
]


@pytest.fixture(scope="module")
def clf() -> IndicatorClassifier:
    return get_classifier()


@pytest.mark.parametrize("name,value,expected", CASES)
def test_obvious_real_cases(clf, name, value, expected):
    p = clf.predict([name], [value])[0]
    assert p.level2 == expected, (name, value, p.to_dict())


def test_obvious_cases_are_confident(clf):
    preds = clf.predict([c[0] for c in CASES], [c[1] for c in CASES])
    conf = np.array([p.confidence for p in preds])
    assert np.median(conf) > 0.7


def test_scores_are_probabilities(clf):
    names = [c[0] for c in CASES] + ["", "0", "本项目不适用此指标"]
    preds = clf.predict(names)
    for p in preds:
        assert isinstance(p, Prediction)
        assert set(p.scores) == set(CLASSES)
        assert sum(p.scores.values()) == pytest.approx(1.0, abs=1e-6)
        assert all(0.0 <= v <= 1.0 for v in p.scores.values())
        assert p.confidence == pytest.approx(max(p.scores.values()))
        assert p.scores[p.standard] == pytest.approx(p.confidence)
    P = clf.predict_proba(names)
    assert P.shape == (len(names), len(CLASSES))
    np.testing.assert_allclose(P.sum(1), 1.0, atol=1e-9)


def test_to_dict_shape(clf):
    d = clf.predict(["工作人员满意度"], ["≥90(%)"])[0].to_dict()
    assert set(d) == {"level2", "confidence", "scores"}
    json.dumps(d, ensure_ascii=False)


def test_value_changes_the_prediction(clf):
    """The unit is a strong cue: a money value pulls an ambiguous name towards 成本指标."""
    base = clf.predict(["设备维护"])[0].scores["成本指标"]
    money = clf.predict(["设备维护"], ["≤35万元"])[0].scores["成本指标"]
    assert money > base


def test_names_and_values_must_align(clf):
    with pytest.raises(ValueError):
        clf.predict(["a", "b"], ["1"])
    with pytest.raises(TypeError):
        clf.predict("空调维修及时率")


def test_save_load_roundtrip(clf, tmp_path):
    clf.save(tmp_path / "m")
    again = IndicatorClassifier.load(tmp_path / "m")
    names = [c[0] for c in CASES]
    values = [c[1] for c in CASES]
    np.testing.assert_allclose(again.predict_proba(names, values), clf.predict_proba(names, values), atol=1e-6)
    assert [p.level2 for p in again.predict(names, values)] == [p.level2 for p in clf.predict(names, values)]


def test_fit_save_load_small(tmp_path):
    """Fitting (sklearn) and reloading (numpy) give identical predictions; sub-types train as 成本指标."""
    rows = training_rows(load_corpus())
    m = IndicatorClassifier(C=3.0, blocks=("cues", "value", "chars"), n_splits=3)
    m.fit([r.name for r in rows], [r.value for r in rows], [r.raw_label for r in rows], groups=[r.form for r in rows])
    assert m.temperature_ > 0
    assert m.info["n_train"] == len(rows)
    m.save(tmp_path)
    m2 = IndicatorClassifier.load(tmp_path)
    names = [r.name for r in rows[:40]]
    np.testing.assert_allclose(m2.predict_proba(names), m.predict_proba(names), atol=1e-5)


def test_load_missing_model_is_input_error(tmp_path):
    from jixiao.errors import InputError

    with pytest.raises(InputError) as e:
        IndicatorClassifier.load(tmp_path / "nope")
    assert "nope" in str(e.value)


def test_cost_subtypes():
    cues = load_cues()
    assert refine_cost("项目建设成本", False, cues) is None
    assert refine_cost("项目建设成本", True, cues) == "经济成本指标"
    assert refine_cost("社会成本", False, cues) == "社会成本指标"
    assert refine_cost("施工扬尘污染", True, cues) == "生态环境成本指标"


def test_cost_2021_flag(clf):
    assert clf.predict(["项目总成本"], ["≤1000万元"])[0].level2 == "成本指标"
    p = clf.predict(["项目总成本"], ["≤1000万元"], cost_2021=True)[0]
    assert p.level2 == "经济成本指标" and p.standard == "成本指标" and p.level1 == "成本指标"


def test_uses_2021_cost_on_corpus():
    forms = load_corpus()
    flagged = [f for f in forms if uses_2021_cost(f)]
    assert flagged, "the corpus has 2021-template forms with cost sub-types"
    for f in flagged:
        assert any(i.level1 == "成本指标" for i in f.indicators)
    assert not uses_2021_cost(next(f for f in forms if all(i.level2 in CLASSES[:3] for i in f.indicators)))


def test_predict_form_matches_predict(clf):
    form = next(f for f in load_corpus() if len(f.indicators) >= 5)
    a = clf.predict_form(form)
    b = clf.predict([i.name for i in form.indicators], [i.value for i in form.indicators],
                    cost_2021=uses_2021_cost(form))
    assert [p.to_dict() for p in a] == [p.to_dict() for p in b]


def test_prediction_imports_no_sklearn_or_torch():
    code = (
        "import sys\n"
        "from jixiao.nlp.classify import get_classifier\n"
        "get_classifier().predict(['空调维修及时率'], ['=100(%)'])\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'torch', 'scipy', 'pandas'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    "raw,name,unit",
    [
        ("指标1:新建堤防长度(公里)", "新建堤防长度", "公里"),
        ("*资产入股贫困人口满意度( ≥**% )", "资产入股贫困人口满意度", "%"),
        ("★补助鱼塘面积", "补助鱼塘面积", None),
        ("满意度(%)", "满意度", "%"),
        ("指标2.化妆品抽验批次", "化妆品抽验批次", None),
        ("调研、督促、指导志、鉴、地情编纂的县(市、区)的覆盖率", "调研、督促、指导志、鉴、地情编纂的县(市、区)的覆盖率", None),
    ],
)
def test_clean_name(raw, name, unit):
    assert clean_name(raw) == (name, unit)


@pytest.mark.parametrize(
    "unit,cls",
    [("%", "percent"), ("万元", "money"), ("元/人", "money"), ("1130元/月/人", "money"), ("个", "count"),
     ("人/次", "count"), ("平方米", "measure"), ("工作日", "time"), ("分", "score"), ("xyz", "other"), (None, None)],
)
def test_unit_class(unit, cls):
    assert unit_class(unit) == cls


def test_keyword_baseline_cases():
    assert keyword_predict("空调维修及时率", "=100%") == "时效指标"
    assert keyword_predict("工作人员满意度", "≥90%") == "服务对象满意度指标"
    assert keyword_predict("项目总成本", "≤1000万元") == "成本指标"
    assert keyword_predict("考点设置数", "≥60(个)") == "数量指标"


# Scored against the forms' own labels (the shipped model is trained on the gold labels, but these
# checks train every fold on the forms' labels, like EVAL.md). Measured 3-fold at the shipped C
# (nested=False, the quick check) on the 118-form corpus: accuracy 0.785, macro-F1 0.731 (889 rows);
# the floors sit a few points below so that a retrain on a grown corpus does not trip them by noise,
# but a broken feature block (e.g. cues, stacking or embedding not applied) does.
CV_ACCURACY_FLOOR = 0.75
CV_MACRO_F1_FLOOR = 0.70
# Leave-one-province-out at the shipped C: accuracy 0.747, macro-F1 0.705; the cue-words-alone baseline
# gets 0.738 / 0.690 there. The model must not lose to the cue baseline on provinces it never saw.
LOPO_ACCURACY_FLOOR = 0.74
LOPO_MACRO_F1_FLOOR = 0.69


def test_grouped_cv_accuracy_floor():
    res = evaluate_classifier(n_splits=3, methods=("model", "keywords"), lopo=False, nested=False)
    m = res["splits"]["form"]["methods"]["model"]
    assert m["accuracy"] >= CV_ACCURACY_FLOOR, m["accuracy"]
    assert m["macro_f1"] >= CV_MACRO_F1_FLOOR, m["macro_f1"]
    assert m["accuracy"] >= res["splits"]["form"]["methods"]["keywords"]["accuracy"] - 0.02
    assert 0.0 <= m["calibration"]["ece"] < 0.15
    # every out-of-fold error lands in exactly one class of the error anatomy
    assert sum(res["error_anatomy"]["counts"].values()) == len(m["disagreements"])
    assert "完成率" in res["error_anatomy"]["conventions"]


def test_held_out_provinces_do_not_lose_to_the_cue_baseline():
    res = evaluate_classifier(methods=("model", "keywords"), nested=False)
    p = res["splits"]["province"]["methods"]
    m, kw = p["model"], p["keywords"]
    assert res["splits"]["province"]["folds"] >= 10
    assert m["accuracy"] >= LOPO_ACCURACY_FLOOR, m["accuracy"]
    assert m["macro_f1"] >= LOPO_MACRO_F1_FLOOR, m["macro_f1"]
    assert m["macro_f1"] >= kw["macro_f1"], (m["macro_f1"], kw["macro_f1"])
    assert m["accuracy"] >= kw["accuracy"] - 0.01, (m["accuracy"], kw["accuracy"])


def test_against_gold_labels_the_model_beats_tfidf():
    """Scored against the independent gold labels (corpora/labels), trained on the gold labels of the
    training folds (the shipped recipe), grouped by form, at the shipped C: measured accuracy 0.87 /
    macro-F1 0.83 (nested, EVAL-gold.md) against TF-IDF's 0.82 / 0.76."""
    from jixiao.nlp.gold import evaluate_gold

    res = evaluate_gold(nested=False, lopo=False)
    m = res["splits"]["form"]["methods"]
    assert m["model|gold"]["accuracy"] >= 0.85, m["model|gold"]["accuracy"]
    assert m["model|gold"]["accuracy"] >= m["tfidf|gold"]["accuracy"] + 0.03
    assert m["model|gold"]["macro_f1"] >= m["tfidf|gold"]["macro_f1"] + 0.02
    # trained on the forms' labels, the same features score lower against gold: they learn the habits
    assert m["model|gold"]["accuracy"] > m["model|form"]["accuracy"]
    # the learning curve's full-data point is this same model on the same folds; less data scores lower
    lc = {p["fraction"]: p for p in res["learning_curve"]}
    assert lc[1.0]["accuracy"] == pytest.approx(m["model|gold"]["accuracy"])
    assert lc[0.25]["train_rows"] < lc[0.5]["train_rows"] < lc[1.0]["train_rows"]
    assert lc[0.25]["accuracy"] < lc[1.0]["accuracy"]


def test_shipped_model_stacks_the_cue_rule(clf):
    """The shipped model has the cue-rule stacking block, and its weights fit the feature layout."""
    fz = clf.featurizer
    assert "stack" in fz.blocks
    assert clf.coef_.shape == (len(CLASSES), len(fz.feature_names()))
    X = fz.transform(["空调维修及时率", "考点设置数"], ["=100(%)", "≥60(个)"])
    names = fz.feature_names()
    assert X[0, names.index("rule:时效指标")] > 0 and X[0, names.index("rule:时效指标|percent")] > 0
    assert X[1, names.index("rule:数量指标")] > 0 and X[1, names.index("rule:数量指标|count")] > 0


def test_label_corrections_are_current():
    """Every hand correction names a real training row and changes its label (stale ones fail here)."""
    from jixiao.nlp.classify import default_model_dir
    from jixiao.nlp.evaluate import CORRECTIONS_FILE, load_corrections

    corr = load_corrections(default_model_dir() / CORRECTIONS_FILE)
    assert len(corr) >= 10
    rows = {(r.form, r.name): r for r in training_rows(load_corpus())}
    for key, (label, reason) in corr.items():
        assert key in rows, key
        assert rows[key].label != label, key
        assert reason.strip(), key


def test_shipped_model_matches_shipped_embedder():
    """The stored probe embedding equals the current embedder's: no 'retrain' warning."""
    import warnings

    from jixiao.nlp.classify import default_model_dir

    m = IndicatorClassifier.load(default_model_dir())
    if "embed" not in m.featurizer.blocks:
        pytest.skip("shipped model has no embedding block")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.predict(["空调维修及时率"])


def test_model_card_summary_matches_eval():
    from jixiao.nlp.classify import default_model_dir
    from jixiao.nlp.evaluate import summary_block

    d = default_model_dir()
    card = (d / "README.md").read_text(encoding="utf-8")
    assert summary_block((d / "EVAL.md").read_text(encoding="utf-8")) in card


def test_changed_embedder_warns():
    from jixiao.nlp.classify import default_model_dir

    m = IndicatorClassifier.load(default_model_dir())
    if "embed" not in m.featurizer.blocks:
        pytest.skip("shipped model has no embedding block")
    m.featurizer.embed_probe = [-x for x in m.featurizer.embed_probe]
    with pytest.warns(UserWarning, match="retrain"):
        m.predict(["空调维修及时率"])


@pytest.mark.slow
def test_training_is_deterministic_and_reproduces_the_shipped_model(tmp_path):
    import hashlib
    import importlib.util

    from jixiao.corpus import corpus_path
    from jixiao.nlp.classify import default_model_dir

    shipped = default_model_dir()
    info = json.loads((shipped / "config.json").read_text(encoding="utf-8"))["info"]
    if info["corpus"]["sha256"] != hashlib.sha256(corpus_path().read_bytes()).hexdigest():
        pytest.skip("corpora/forms.jsonl changed since classifier-v1 was trained: run models/train_classifier.py")
    spec = importlib.util.spec_from_file_location("train_classifier", shipped.parent / "train_classifier.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--out", str(tmp_path)]) == 0
    for f in ("weights.npz", "config.json"):
        assert (tmp_path / f).read_bytes() == (shipped / f).read_bytes(), f


def test_best_c_rules():
    from jixiao.nlp.classify import best_c

    search = {
        0.3: {"nll": 0.80, "macro_f1": 0.70, "accuracy": 0.78},
        3.0: {"nll": 0.70, "macro_f1": 0.72, "accuracy": 0.80},
        10.0: {"nll": 0.75, "macro_f1": 0.74, "accuracy": 0.80},
    }
    assert best_c(search, "nll") == 3.0
    assert best_c(search, "macro_f1") == 10.0
    with pytest.raises(ValueError):
        best_c(search, "auc")


def test_shipped_model_records_its_c_search():
    from jixiao.nlp.classify import C_CRITERION, best_c, get_classifier

    info = get_classifier().info
    assert info["c_criterion"] == C_CRITERION
    search = {float(k): v for k, v in info["c_search"].items()}
    assert best_c(search, info["c_criterion"]) == get_classifier().C


def test_rare_class_gets_the_cue_rule_vote():
    """生态效益指标 has 3 gold rows: without the cue vote the regression sends eco names elsewhere."""
    import numpy as np

    from jixiao.nlp.classify import CLASSES, get_classifier, rare_mask, rare_prior

    clf = get_classifier()
    assert [c for c, m in zip(clf.classes_, clf.rare_mask_) if m] == ["生态效益指标"]
    names, values = ["森林覆盖率", "化学需氧量减排量", "空调维修及时率"], ["≥60(%)", "≥5(%)", "=100(%)"]
    prior = rare_prior(names, values, clf.rare_mask_, clf.rare_prior)
    eco = CLASSES.index("生态效益指标")
    assert prior[0, eco] == prior[1, eco] == 2.0 and not prior[2].any()  # only rare classes get a vote
    preds = clf.predict(names, values)
    assert preds[1].level2 == "生态效益指标" and preds[2].level2 == "时效指标"
    # the vote raises the rare class where the cue rule names it, and only there
    import copy

    bare = copy.copy(clf)
    bare.rare_prior = 0.0
    with_vote, without = clf.predict_proba(names, values), bare.predict_proba(names, values)
    assert with_vote[0, eco] > without[0, eco] and with_vote[1, eco] > without[1, eco]
    assert with_vote[2, eco] <= without[2, eco]
    assert clf.predict(["森林覆盖率"])[0].level2 == "生态效益指标"
    # the vote goes only to classes rare in the training labels
    assert rare_mask(np.array([0] * 25 + [6] * 3), len(CLASSES)).tolist() == [0, 1, 1, 1, 1, 1, 1, 1, 1]


def test_views_share_cue_hits_without_changing_predictions(clf):
    """decision_function builds each name's view once (cue block, stacked rule and rare-class vote
    read the same cue hits); the logits equal those of the unshared path."""
    from jixiao.nlp.classify import rare_prior

    forms = load_corpus()
    inds = [i for f in forms[:40] for i in f.indicators]
    names, values = [i.name for i in inds], [i.value.raw for i in inds]
    fz = clf.featurizer
    unshared = (fz.transform(names, values).astype(np.float64) @ clf.coef_.T + clf.intercept_
                + rare_prior(names, values, clf.rare_mask_, clf.rare_prior, fz.cues))
    assert np.array_equal(clf.decision_function(names, values), unshared)
    views = fz.views(names, values)
    assert np.array_equal(rare_prior(names, values, clf.rare_mask_, clf.rare_prior, fz.cues, views=views),
                          rare_prior(names, values, clf.rare_mask_, clf.rare_prior, fz.cues))
