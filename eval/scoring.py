"""Scoring a set of segments with several metrics: scores, intervals, signatures, significance."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from .metrics import metric_from_spec
from .metrics.base import Segments
from .stats import DEFAULT_SEED, approximate_randomization, bootstrap_ci, paired_bootstrap


def score_segments(segments: Segments, metric_names: list[str], resamples: int = 1000, seed: int = DEFAULT_SEED,
                   paired: Segments | None = None, test: str = "bs",
                   progress: Callable[[Iterable[str]], Iterable[str]] | None = None) -> dict[str, Any]:
    """Per metric: every score with its bootstrap interval, the signature, and a paired test if asked.

    ``paired`` holds the *other* system's hypotheses (same references): it is the baseline.
    """
    metrics = [metric_from_spec(spec, segments.language) for spec in metric_names]  # fail fast on a bad name
    results: dict[str, Any] = {}
    for metric in (progress(metrics) if progress else metrics):
        stats = metric.segment_stats(segments)
        intervals = bootstrap_ci(metric, stats, resamples, seed) if resamples else {
            k: None for k in metric.score_names}
        point = metric.corpus_scores(stats)
        entry: dict[str, Any] = {
            "signature": metric.signature() + (f"|bs:{resamples}|seed:{seed}" if resamples else ""),
            "primary": metric.primary, "higher_is_better": metric.higher_is_better,
            "scores": {k: (intervals[k].to_dict() if intervals[k] else {"score": point[k]}) for k in metric.score_names},
        }
        if paired is not None:
            baseline = metric.segment_stats(paired)
            run = paired_bootstrap if test == "bs" else approximate_randomization
            n = (resamples or 1000) if test == "bs" else max(resamples, 10000)  # sacreBLEU's AR default
            entry["significance"] = run(metric, baseline, stats, n, seed).to_dict()
        results[metric.name] = entry
    return results


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
