"""Significance like WMT: every system on the same bootstrap resamples, a paired test for every pair,
a multiple-comparison correction, and from those significance groups and rank ranges.

Each system's resampled scores are computed once on one shared set of draws (``resampling.resampled_scores``,
the draws ``paired_bootstrap`` makes for the same seed), so the test for any pair is array arithmetic
and equals ``paired_bootstrap`` run on that pair alone (tested). With N systems that is N resampled
score vectors instead of N(N-1)/2 bootstrap runs.

- Rank range of a system: from 1 + (systems significantly better) to N - (systems significantly worse).
- Significance groups: systems in score order, a new group starting where every system above is
  significantly better than every system from there down (what WMT calls "clusters" of tied systems;
  here "cluster" means a news cluster only).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..metrics.base import Metric
from .resampling import _p_value


def paired_p_value(points: tuple[float, float], samples: tuple[np.ndarray, np.ndarray],
                   segments: int) -> float | None:
    """sacreBLEU's paired bootstrap p-value from two systems' scores on the same resamples; None with
    fewer than two segments, where every resample is the same (as ``paired_bootstrap``)."""
    if segments < 2 or len(samples[0]) < 1:
        return None
    diffs = np.abs(samples[0] - samples[1])
    return _p_value(diffs - diffs.mean(), abs(points[0] - points[1]))


def adjust(p_values: list[float], method: str) -> list[float]:
    """Adjusted p-values: Benjamini-Hochberg ('bh', false discovery rate), Holm ('holm', family-wise
    error) or none."""
    p = np.asarray(p_values, dtype=np.float64)
    m = len(p)
    if method == "none" or m == 0:
        return p.tolist()
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "holm":
        adjusted = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * ranked))
    elif method == "bh":
        adjusted = np.minimum.accumulate(m / np.arange(m, 0, -1) * ranked[::-1])[::-1]
        adjusted = np.minimum(1.0, adjusted)
    else:
        raise ValueError(f"unknown correction {method!r}")
    out = np.empty(m)
    out[order] = adjusted
    return out.tolist()


@dataclass
class PairwiseResult:
    """Every pair's test on one metric, and the significance groups and rank ranges they imply."""

    test: str
    correction: str
    alpha: float
    resamples: int
    pairs: list[dict[str, Any]]
    ranks: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"test": self.test, "correction": self.correction, "alpha": self.alpha,
                "resamples": self.resamples, "pairs": self.pairs, "ranks": self.ranks}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PairwiseResult:
        return cls(data["test"], data["correction"], data["alpha"], data["resamples"], data["pairs"], data["ranks"])

    @property
    def method(self) -> str:
        """How the groups were found, as the leaderboard notes it."""
        return f"{self.test}, {self.resamples} resamples, {self.correction} correction, alpha {self.alpha}"


def rank_systems(points: dict[str, float], higher_is_better: bool,
                 better: dict[tuple[str, str], bool]) -> dict[str, dict[str, Any]]:
    """Score order, rank ranges and significance groups from which pairs are significantly different.

    ``better[(a, b)]`` is True when a is significantly better than b."""
    order = sorted(points, key=lambda s: (-points[s] if higher_is_better else points[s], s))
    n = len(order)
    ranks: dict[str, dict[str, Any]] = {}
    group = 1
    for position, system in enumerate(order):
        if position and all(better.get((a, b), False) for a in order[:position] for b in order[position:]):
            group += 1
        above = sum(better.get((other, system), False) for other in order)
        below = sum(better.get((system, other), False) for other in order)
        ranks[system] = {"position": position + 1, "group": group, "rank_range": [1 + above, n - below]}
    return ranks


def pairwise(metric: Metric, points: dict[str, float], samples: dict[str, np.ndarray], resamples: int,
             segments: int, correction: str = "bh", alpha: float = 0.05) -> PairwiseResult:
    """A paired bootstrap test on the primary score for every pair of systems, corrected over the pairs."""
    names = sorted(points)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    raw = [paired_p_value((points[a], points[b]), (samples[a], samples[b]), segments) for a, b in pairs]
    usable = [p for p in raw if p is not None]
    adjusted = iter(adjust(usable, correction))
    rows, better = [], {}
    for (a, b), p in zip(pairs, raw):
        p_adj = next(adjusted) if p is not None else None
        significant = p_adj is not None and p_adj < alpha
        difference = points[a] - points[b]
        rows.append({"a": a, "b": b, "difference": difference, "p_value": p, "p_adjusted": p_adj,
                     "significant": significant})
        if significant:
            a_ahead = difference > 0 if metric.higher_is_better else difference < 0
            better[(a, b) if a_ahead else (b, a)] = True
    return PairwiseResult("paired-bs", correction, alpha, resamples, rows,
                          rank_systems(points, metric.higher_is_better, better))


__all__ = ["PairwiseResult", "adjust", "paired_p_value", "pairwise", "rank_systems"]
