"""Scoring a set of segments with several metrics: scores, intervals, signatures, significance."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..metrics import metric_from_spec
from ..metrics.base import Segments
from ..stats.resampling import DEFAULT_SEED, Tick
from .results import metric_result, paired_test, paired_trials


def score_segments(segments: Segments, metric_names: list[str], resamples: int = 1000, seed: int = DEFAULT_SEED,
                   paired: Segments | None = None, test: str = "bs",
                   progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
                   tick: Tick | None = None) -> dict[str, Any]:
    """Per metric: every score with its bootstrap interval, the signature, and a paired test if asked.

    ``paired`` holds the *other* system's hypotheses (same references): it is the baseline. ``progress``
    wraps the metrics; ``tick`` hears of each block of resamples (``resample_total`` of them in all).
    """
    metrics = [metric_from_spec(spec, segments.language) for spec in metric_names]  # fail fast on a bad name
    results: dict[str, Any] = {}
    for metric in (progress(metrics) if progress else metrics):
        stats = metric.segment_stats(segments)
        result = metric_result(metric, stats, resamples, seed, tick=tick)
        if paired is not None:
            result.significance = paired_test(metric, metric.segment_stats(paired), stats, test, resamples, seed,
                                              tick=tick)
        results[metric.name] = result.to_dict()
    return results


def resample_total(metrics: int, resamples: int, paired: bool, test: str = "bs") -> int:
    """Every resample and paired trial ``score_segments`` draws for ``metrics`` metrics: a bar's total."""
    return metrics * (resamples + (paired_trials(test, resamples) if paired else 0))


def results_table(results: dict[str, Any]) -> str:
    """Markdown: each metric's reported scores with intervals, then the signatures."""
    lines = ["| metric | score | 95% CI | vs baseline (p) |", "|---|---|---|---|"]
    for name, entry in results.items():
        shown = [k for k in entry["scores"] if k.endswith("_f") or k == entry["primary"] or len(entry["scores"]) <= 3]
        for key in shown:
            s = entry["scores"][key]
            ci = f"[{s['low']:.4g}, {s['high']:.4g}]" if "low" in s else "-"
            label = name if key == "score" else key if key.startswith(name) else f"{name} {key}"
            sig = entry.get("significance") if key == entry["primary"] else None
            versus = (f"{sig['difference']:+.4g} (p={sig['p_value']:.4f})" if sig["p_value"] is not None
                      else f"{sig['difference']:+.4g} (p: n/a, one segment)") if sig else ""
            lines.append(f"| {label} | {s['score']:.4g} | {ci} | {versus} |")
    lines += ["", "Signatures:"] + [f"- {name}: {entry['signature']}" for name, entry in results.items()]
    return "\n".join(lines)


__all__ = ["results_table", "score_segments"]
