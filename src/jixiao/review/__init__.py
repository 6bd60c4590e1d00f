"""Review engine: rules over the form model, score card, configuration, baselines.

    >>> from jixiao.review import review_form, review_forms, load_config
    >>> review = review_form(form, load_config())
"""

from jixiao.review.baseline import apply_baseline, write_baseline
from jixiao.review.config import Config, load_config
from jixiao.review.engine import review_form, review_forms
from jixiao.review.rules import all_rules, get_rule
from jixiao.review.score import summarise

__all__ = [
    "Config", "all_rules", "apply_baseline", "get_rule", "load_config", "review_form", "review_forms",
    "summarise", "write_baseline",
]
