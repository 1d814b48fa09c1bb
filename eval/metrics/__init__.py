"""Metrics by name. One module per metric, all on ``eval.metrics.base.Metric``."""
from __future__ import annotations

import inspect
from typing import Any

from polybrief.core.errors import PolybriefError, did_you_mean, unknown_name

from ..learned.metric import LearnedMqm
from .base import MeanMetric, Metric, Segments
from .bertscore import BertScore
from .bleu import Bleu
from .chrf import Chrf, ChrfPlusPlus
from .embedding import EmbeddingSimilarity
from .rouge import Rouge
from .ter import Ter
from .xling import CrossLingualSimilarity

METRICS: dict[str, type[Metric]] = {
    "bleu": Bleu, "chrf": Chrf, "chrf++": ChrfPlusPlus, "ter": Ter, "rouge": Rouge,
    "bertscore": BertScore, "embedding": EmbeddingSimilarity, "xling": CrossLingualSimilarity,
    "mqm": LearnedMqm,
}


def get_metric(name: str, language: str = "en", **params: Any) -> Metric:
    """A metric by name; ``language`` goes to metrics that take one (tokenizer, stemmer)."""
    key = name.strip().lower()
    if key not in METRICS:
        raise PolybriefError(unknown_name("metric", name, list(METRICS), lookup=key))
    cls = METRICS[key]
    accepted = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "params")]
    if "language" in accepted:
        params.setdefault("language", language)
    unknown = [p for p in params if p not in accepted]
    if unknown and "params" not in inspect.signature(cls.__init__).parameters:
        raise PolybriefError(f"metric {name}: no parameter {unknown[0]!r}"
                             f"{did_you_mean(unknown[0], accepted)}; it takes: {', '.join(accepted)}")
    try:
        return cls(**params)
    except (TypeError, ValueError) as exc:
        raise PolybriefError(f"metric {name}: {exc}") from None


def _value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_metric_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """Name and parameters of 'name' or 'name:key=value:key=value' (e.g. 'bleu:tokenize=char'): one
    parser for the command line's -m and a config's metric list, so both read a spec alike."""
    name, *pairs = spec.split(":")
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise PolybriefError(f"metric {spec!r}: parameters are written key=value, got {pair!r}")
        params[key.strip()] = _value(value.strip())
    return name.strip(), params


def metric_from_spec(spec: str, language: str = "en") -> Metric:
    """A metric from 'name' or 'name:key=value:key=value' (e.g. 'bleu:tokenize=intl')."""
    name, params = parse_metric_spec(spec)
    return get_metric(name, language, **params)


def parse_metric_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise PolybriefError("no metric named")
    return names


__all__ = ["METRICS", "MeanMetric", "Metric", "Segments", "get_metric", "metric_from_spec",
           "parse_metric_list", "parse_metric_spec"]
