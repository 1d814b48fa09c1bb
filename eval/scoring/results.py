"""A metric's result, typed and built in one place for ``polybrief score`` and ``polybrief run``.

Before this module the two commands each assembled their own dict and their signatures drifted
(only one carried the bootstrap settings); now both call ``metric_result`` and ``signature``.
After rouge-score's ``Score``/``AggregateScore`` and sacreBLEU's per-metric signatures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..metrics.base import Metric
from ..stats.resampling import (
    Interval,
    Significance,
    Tick,
    approximate_randomization,
    bootstrap_ci,
    intervals,
    paired_bootstrap,
)

AR_TRIALS = 10_000  # sacreBLEU's default number of approximate-randomization trials


def signature(metric: Metric, resamples: int, seed: int) -> str:
    """The metric's own signature plus the bootstrap settings its intervals and p-values depend on."""
    return metric.signature() + (f"|bs:{resamples}|seed:{seed}" if resamples else "")


@dataclass
class MetricResult:
    """Every score of one metric on one system, with intervals, signature and an optional paired test."""

    signature: str
    primary: str
    higher_is_better: bool
    scores: dict[str, Interval]
    significance: Significance | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"signature": self.signature, "primary": self.primary,
                               "higher_is_better": self.higher_is_better,
                               "scores": {k: v.to_dict() for k, v in self.scores.items()}}
        if self.significance is not None:
            out["significance"] = self.significance.to_dict()
        return {**out, **self.extra}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MetricResult:
        """A result as results.json holds it; keys beyond the result's own (a run's ``rank``) go to ``extra``."""
        own = {"signature", "primary", "higher_is_better", "scores", "significance"}
        significance = Significance.from_dict(data["significance"]) if data.get("significance") else None
        return cls(data["signature"], data["primary"], data["higher_is_better"],
                   {k: Interval.from_dict(v) for k, v in data["scores"].items()}, significance,
                   {k: v for k, v in data.items() if k not in own})

    @property
    def score(self) -> float:
        """The primary score."""
        return self.scores[self.primary].score


def metric_result(metric: Metric, stats: np.ndarray, resamples: int, seed: int,
                  samples: np.ndarray | None = None, tick: Tick | None = None) -> MetricResult:
    """Point scores of ``stats`` (segments x sufficient statistics), with bootstrap intervals when
    ``resamples`` > 0: from ``samples`` (resampled scores, resamples x scores) when the caller drew them
    already for several systems at once, else drawn here."""
    point = metric.corpus_scores(stats)
    if samples is not None:
        scores = intervals(metric, stats, samples)
    elif resamples:
        scores = bootstrap_ci(metric, stats, resamples, seed, tick=tick)
    else:
        scores = {k: Interval(point[k], None, None) for k in metric.score_names}
    return MetricResult(signature(metric, resamples, seed), metric.primary, metric.higher_is_better, scores)


def paired_trials(test: str, resamples: int) -> int:
    """How many draws a paired test makes: ``resamples`` bootstrap draws (1,000 when 0) for 'bs', at least
    sacreBLEU's 10,000 trials for 'ar' (a progress bar's total is counted by this, too)."""
    return resamples or 1000 if test == "bs" else max(resamples, AR_TRIALS)


def paired_test(metric: Metric, baseline: np.ndarray, system: np.ndarray, test: str, resamples: int, seed: int,
                baseline_name: str | None = None, tick: Tick | None = None) -> Significance:
    """Paired bootstrap ('bs') or approximate randomization ('ar') of ``system`` against ``baseline`` on the
    primary score, with ``paired_trials`` draws."""
    trials = paired_trials(test, resamples)
    if test == "bs":
        result = paired_bootstrap(metric, baseline, system, trials, seed, tick=tick)
    else:
        result = approximate_randomization(metric, baseline, system, trials, seed, tick=tick)
    result.baseline_name = baseline_name
    return result


__all__ = ["AR_TRIALS", "MetricResult", "metric_result", "paired_test", "signature"]
