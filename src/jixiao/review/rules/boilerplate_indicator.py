from jixiao.review.engine import indicator_key
from jixiao.review.rules import rule


@rule("JX402", "boilerplate-indicator", severity="info", dimension="相关性", standing="I", ref=("R25", "R26"))
def boilerplate_indicator(form, ctx):
    """An indicator copied unchanged into many unrelated projects (e.g. 工作人员满意度).

    Detects:
        An indicator name (punctuation ignored) that the corpus (``corpora/forms.jsonl``) shows in
        at least ``min_projects`` (default 4) other projects. The count is computed once per
        process from :func:`jixiao.corpus.load_corpus`; the rule is skipped when the corpus is not
        available.
    Why:
        R26/R25: level-3 indicators are meant to be project-specific [V S11]; verbatim
        boilerplate repeated on every row or form is a real pattern [V S12b]. Judging re-use across
        projects as a defect is [I], hence info.
    Bad:
        project: 某新项目
        满意度指标 | 服务对象满意度指标 | 工作人员满意度 | ≥90(%)
    Better:
        project: 某新项目
        满意度指标 | 服务对象满意度指标 | 受援当事人满意度 | ≥90(%)
    Options:
        min_projects = 4
    """
    usage = ctx.corpus_usage()
    me = f"{form.department or ''}|{form.project_name or form.id}"
    need = int(ctx.option("min_projects", 4))
    for i, ind in ctx.indicators():
        k = indicator_key(ind.name)
        if len(k) < 3:
            continue
        others = usage.get(k, frozenset()) - {me}
        if len(others) >= need:
            yield ctx.hit(
                ctx.indicator_target(i),
                f"指标“{ind.name}”在语料库的 {len(others)} 个其他项目中原样出现，是通用套话，不能反映本项目特点。",
                suggestion="建议改为本项目特有的表述，例如写明具体的服务对象或产出。",
                data={"projects": len(others)},
            )
