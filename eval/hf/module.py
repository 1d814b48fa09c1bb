"""polybrief metrics as local Hugging Face ``evaluate`` modules, loadable with no hub.

``evaluate.load("rouge")`` downloads its script from the hub and fails offline; a local
module directory works anywhere: ``evaluate.load(polybrief_module_path("rouge"))``. Every
module file under ``eval/hf/modules/<name>/<name>.py`` is two lines that call
``module_class`` here, so the wrapping is written once.
"""
from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import datasets
import evaluate

from polybrief.core.errors import PolybriefError

from ..metrics import METRICS, get_metric
from ..metrics.base import Segments
from ..stats.resampling import DEFAULT_SEED, bootstrap_ci

MODULES_DIR = Path(__file__).resolve().parent / "modules"
MODULE_NAMES = {"bleu": "bleu", "chrf": "chrf", "chrf++": "chrf_plus_plus", "ter": "ter", "rouge": "rouge",
                "bertscore": "bertscore", "embedding": "embedding", "xling": "xling", "mqm": "mqm"}
_CITATION = "polybrief (https://pypi.org/project/polybrief/); see each metric's signature for its origin."
COMPUTE_ARGUMENTS = """compute() takes:
    predictions: list of str.
    references: list of str, or list of lists of str (several references per prediction); for mqm
        without references, empty strings.
    sources: list of str, for reference-free metrics (xling) and mqm.
    language: target language code (default "en").
    resamples: bootstrap resamples for 95% intervals, returned as <score>_ci (default 0: none).
    seed: bootstrap seed.
    any metric parameter below, by name.

"""


def polybrief_module_path(name: str) -> str:
    """The directory to pass to ``evaluate.load`` for a polybrief metric."""
    if name not in MODULE_NAMES:
        raise PolybriefError(f"no evaluate module for {name!r}; have {', '.join(MODULE_NAMES)}")
    return str(MODULES_DIR / MODULE_NAMES[name])


def module_class(metric_name: str) -> type:
    """An ``evaluate.Metric`` subclass computing polybrief's ``metric_name``."""
    metric_cls = METRICS[metric_name]

    def _info(self: evaluate.Metric) -> evaluate.MetricInfo:
        text = datasets.Value("string")
        features = [datasets.Features({"predictions": text, "references": datasets.Sequence(text)}),
                    datasets.Features({"predictions": text, "references": text})]
        if metric_cls.needs_sources:
            features = [datasets.Features({"predictions": text, "sources": text})]
        description, _, arguments = inspect.cleandoc(metric_cls.__doc__ or metric_name).partition("\n\n")
        return evaluate.MetricInfo(description=description, citation=metric_cls.citation or _CITATION,
                                   inputs_description=COMPUTE_ARGUMENTS + arguments, features=features)

    def _compute(self: evaluate.Metric, predictions: list[str], references: list[Any] | None = None,
                 sources: list[str] | None = None, language: str = "en", resamples: int = 0,
                 seed: int = DEFAULT_SEED, **params: Any) -> dict[str, Any]:
        refs: list[list[str]] = []
        if references is not None:
            rows = [[r] if isinstance(r, str) else list(r) for r in references]
            width = max(len(r) for r in rows)
            refs = [[r[k] if k < len(r) else "" for r in rows] for k in range(width)]
            if not metric_cls.needs_references and not any(any(r) for r in refs):
                refs = []  # all empty: a metric that can do without references (mqm) goes by the sources
        metric = get_metric(metric_name, language, **params)
        stats = metric.segment_stats(Segments(list(predictions), refs, sources, language))
        out: dict[str, Any] = dict(metric.corpus_scores(stats))
        if resamples:
            for key, interval in bootstrap_ci(metric, stats, resamples, seed).items():
                out[f"{key}_ci"] = (interval.low, interval.high)
        out["signature"] = metric.signature()
        return out

    name = "".join(part.capitalize() for part in MODULE_NAMES[metric_name].split("_")) + "Module"
    return type(name, (evaluate.Metric,), {"_info": _info, "_compute": _compute, "__doc__": metric_cls.__doc__})


__all__ = ["COMPUTE_ARGUMENTS", "MODULES_DIR", "MODULE_NAMES", "module_class", "polybrief_module_path"]
