"""Confidence intervals and significance, vectorised over per-segment statistics.

A bootstrap resample of n segments is a vector of draw counts; the column sums of the
resampled statistics are ``counts @ stats``. So 1,000 resamples of 10,000 segments are one
(1000 x 10000) @ (10000 x k) product instead of 1,000 gathered copies of the data.

``paired_bootstrap`` and ``approximate_randomization`` follow sacreBLEU's
``_paired_bs_test`` and ``_paired_ar_test`` step by step (same RNG, same draws, same
p-value formula), so with the same seed they give sacreBLEU's p-values.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from polybrief.core import defaults

from ..metrics.base import Metric

DEFAULT_SEED = defaults.SEED
BLOCK_CELLS = 1_000_000  # resample rows x segments handled at once: ~25 MB of temporaries for any corpus
Tick = Callable[[int], None]  # told how many resamples or trials a block just finished: a progress bar's update


@dataclass
class Interval:
    """A point score with a bootstrap confidence interval (``low``/``high`` None when not resampled)."""

    score: float
    low: float | None
    high: float | None
    level: float = 0.95

    def to_dict(self) -> dict[str, float]:
        if self.low is None or self.high is None:
            return {"score": self.score}
        return {"score": self.score, "low": self.low, "high": self.high, "level": self.level}

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> Interval:
        return cls(data["score"], data.get("low"), data.get("high"), data.get("level", 0.95))


@dataclass
class Significance:
    """A paired test of a system against a baseline on one score."""

    test: str
    baseline: float
    system: float
    p_value: float | None  # None where there are too few segments to resample (fewer than 2)
    resamples: int
    baseline_name: str | None = None  # the baseline system's name, where it has one

    @property
    def difference(self) -> float:
        return self.system - self.baseline

    def to_dict(self) -> dict[str, float | str | int | None]:
        named = {"baseline": self.baseline_name} if self.baseline_name is not None else {}
        return {**named, "test": self.test, "baseline_score": self.baseline, "system_score": self.system,
                "difference": self.difference, "p_value": self.p_value, "resamples": self.resamples}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Significance:
        return cls(data["test"], data["baseline_score"], data["system_score"], data["p_value"], data["resamples"],
                   data.get("baseline"))


def draw_counts(indices: np.ndarray, n: int) -> np.ndarray:
    """Per-resample draw counts (R, n) from drawn indices (R, n)."""
    r = indices.shape[0]
    flat = (indices + np.arange(r)[:, None] * n).ravel()
    return np.bincount(flat, minlength=r * n).reshape(r, n).astype(np.float64)


def resample_counts(n: int, resamples: int, seed: int | None = DEFAULT_SEED,
                    tick: Tick | None = None) -> Iterator[np.ndarray]:
    """Bootstrap draw counts in blocks of rows, drawn exactly as sacreBLEU draws its indices.

    Drawing (R, n) indices in row blocks consumes the generator exactly as one (R, n) call
    does (tested), so the resamples are sacreBLEU's while memory stays O(block x n). ``tick`` hears of
    each block once the caller is done with it: blocks cost about the same time on any corpus.
    """
    rng = np.random.default_rng(seed)
    block = max(1, BLOCK_CELLS // max(n, 1))
    for start in range(0, resamples, block):
        rows = min(block, resamples - start)
        yield draw_counts(rng.choice(n, size=(rows, n), replace=True), n)
        if tick:
            tick(rows)


def bootstrap_scores(metric: Metric, stats: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The metric's scores (R, scores) on each resample given by ``counts``."""
    return metric.scores_from_sums(counts @ stats, stats.shape[0])


def _resampled(metric: Metric, blocks: Iterator[np.ndarray], *stats: np.ndarray) -> list[np.ndarray]:
    """Scores of each statistics matrix on the same resamples, concatenated over blocks."""
    out: list[list[np.ndarray]] = [[] for _ in stats]
    for counts in blocks:
        for k, matrix in enumerate(stats):
            out[k].append(bootstrap_scores(metric, matrix, counts))
    return [np.concatenate(parts) for parts in out]


def resampled_scores(metric: Metric, matrices: list[np.ndarray], resamples: int,
                     seed: int | None = DEFAULT_SEED, tick: Tick | None = None) -> list[np.ndarray]:
    """Each statistics matrix's scores (resamples, scores) on one shared set of bootstrap draws: several
    systems resampled together are paired, which every paired test and WMT-style ranking relies on."""
    return _resampled(metric, resample_counts(len(matrices[0]), resamples, seed, tick), *matrices)


def intervals(metric: Metric, stats: np.ndarray, samples: np.ndarray, level: float = 0.95) -> dict[str, Interval]:
    """Percentile intervals of every score from its resampled values (resamples, scores)."""
    point = metric.corpus_scores(stats)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail], axis=0)
    return {name: Interval(point[name], float(low[k]), float(high[k]), level)
            for k, name in enumerate(metric.score_names)}


def bootstrap_ci(metric: Metric, stats: np.ndarray, resamples: int = 1000, seed: int | None = DEFAULT_SEED,
                 level: float = 0.95, tick: Tick | None = None) -> dict[str, Interval]:
    """Percentile bootstrap interval for every score the metric reports."""
    (samples,) = resampled_scores(metric, [stats], resamples, seed, tick)
    return intervals(metric, stats, samples, level)


def _p_value(sample_stats: np.ndarray, observed: float) -> float:
    """(count of samples above the observed statistic + 1) / (samples + 1), as sacreBLEU, except that
    no observed difference at all gives p = 1: sacreBLEU's +1 makes two identical systems come out at
    p = 1/(R+1), "significant", and a system would be ranked apart from its own copy."""
    if observed == 0:
        return 1.0
    return (int(np.sum(sample_stats > observed)) + 1) / (len(sample_stats) + 1)


def paired_bootstrap(metric: Metric, baseline: np.ndarray, system: np.ndarray, resamples: int = 1000,
                     seed: int | None = DEFAULT_SEED, score: str | None = None,
                     tick: Tick | None = None) -> Significance:
    """Paired bootstrap resampling test (Koehn 2004; sacreBLEU's --paired-bs).

    With one segment every resample is the same and sacreBLEU would report p = 1/(R+1),
    i.e. "significant"; we report no p-value instead.
    """
    k = metric.score_names.index(score or metric.primary)
    base_point = metric.corpus_scores(baseline)[metric.score_names[k]]
    sys_point = metric.corpus_scores(system)[metric.score_names[k]]
    sys_scores, base_scores = _resampled(metric, resample_counts(len(system), resamples, seed, tick), system,
                                        baseline)
    diffs = np.abs(sys_scores[:, k] - base_scores[:, k])
    p = _p_value(diffs - diffs.mean(), abs(base_point - sys_point)) if len(system) > 1 else None
    return Significance("paired-bs", base_point, sys_point, p, resamples)


def approximate_randomization(metric: Metric, baseline: np.ndarray, system: np.ndarray, trials: int = 10000,
                              seed: int | None = DEFAULT_SEED, score: str | None = None,
                              tick: Tick | None = None) -> Significance:
    """Paired approximate randomization test (Riezler & Maxwell 2005; sacreBLEU's --paired-ar)."""
    k = metric.score_names.index(score or metric.primary)
    n = len(system)
    # one bool draw of (trials, n), as sacreBLEU makes it (bool draws are not split-invariant); the
    # float products then go block by block
    swap_all = np.random.default_rng(seed).integers(2, size=(trials, n), dtype=bool)
    base_point = metric.corpus_scores(baseline)[metric.score_names[k]]
    sys_point = metric.corpus_scores(system)[metric.score_names[k]]
    block = max(1, BLOCK_CELLS // max(n, 1))
    diffs = []
    for start in range(0, trials, block):
        swap = swap_all[start:start + block].astype(np.float64)
        keep = 1.0 - swap
        shuffled_a = metric.scores_from_sums(swap @ baseline + keep @ system, n)[:, k]
        shuffled_b = metric.scores_from_sums(keep @ baseline + swap @ system, n)[:, k]
        diffs.append(np.abs(shuffled_a - shuffled_b))
        if tick:
            tick(len(swap))
    diffs = np.concatenate(diffs)
    p = _p_value(diffs, abs(base_point - sys_point)) if n > 1 else None
    return Significance("paired-ar", base_point, sys_point, p, trials)


__all__ = ["BLOCK_CELLS", "DEFAULT_SEED", "Interval", "Significance", "approximate_randomization", "bootstrap_ci",
           "bootstrap_scores", "draw_counts", "intervals", "paired_bootstrap", "resample_counts", "resampled_scores"]
