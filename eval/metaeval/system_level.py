"""System-level meta-evaluation as WMT does it: does a metric order the systems as the human scores do?

Input: a WMT-style test folder (every system's outputs) and the organisers' human ranking file
(``official_human_ranking.txt``: each system's human score; ``Human-*`` rows are human translations
and are left out, as are systems the folder has no outputs for). For each metric:

- pairwise accuracy (Kocmi et al., 2021): the share of system pairs the metric orders as the
  humans do;
- Kendall's tau between metric and human system scores;

each with a 95% bootstrap interval over segments: every resample rescores every system on the same
drawn segments (corpus-level scores from summed statistics, as BLEU and chrF are defined).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats as sps

from polybrief.core.errors import InputError
from polybrief.core.readers import read_file_bytes

from ..experiment.testset import read_outputs, read_wmt_folder
from ..metrics import metric_from_spec
from ..metrics.base import Segments
from ..stats.resampling import DEFAULT_SEED, resampled_scores

# "88.96 ('GPT4-5shot', 1094, 0.2855866399424109, 88.9611414693382, 3.9799635701275045)"
_SCORE_LINE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+\('([^']+)',\s*\d+,\s*(-?[\d.eE+-]+),\s*(-?[\d.eE+-]+)", re.M)


def read_human_ranking(path: str | Path) -> dict[str, float]:
    """System -> human score (the organisers' average score) from a WMT ``official_human_ranking.txt``,
    human translations (``Human-*``) left out."""
    path = Path(path)
    try:
        text = read_file_bytes(path).decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                         "expected a WMT official_human_ranking.txt") from None
    scores = {name: float(raw) for _, name, _, raw in _SCORE_LINE.findall(text) if not name.startswith("Human-")}
    if len(scores) < 2:
        raise InputError(f"{path}: found {len(scores)} system score line(s) like "
                         "\"88.96 ('NAME', ID, Z, SCORE, ...)\"; expected a WMT official_human_ranking.txt")
    if len(set(scores.values())) == 1:
        raise InputError(f"{path}: every system has the human score {next(iter(scores.values()))}: "
                         "tied scores give no order to agree with")
    return scores


def pairwise_accuracy(metric: np.ndarray, human: np.ndarray) -> float:
    """Share of system pairs whose order the metric and the humans agree on (a tie agrees only with a tie)."""
    i, j = np.triu_indices(len(human), k=1)
    return float(np.mean(np.sign(metric[i] - metric[j]) == np.sign(human[i] - human[j])))


def _kendall(metric: np.ndarray, human: np.ndarray) -> float:
    return float(sps.kendalltau(metric, human)[0]) if np.ptp(metric) > 0 else float("nan")


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.nanpercentile(values, [2.5, 97.5])
    return float(low), float(high)


def system_meta_evaluate(folder: str | Path, ranking: str | Path, metrics: list[str], resamples: int = 1000,
                         seed: int = DEFAULT_SEED, keep: list[int] | None = None) -> dict[str, Any]:
    """Per metric: pairwise accuracy and Kendall tau of its system scores against the human ones;
    ``keep``: only these segments (by position), for metrics too slow for a whole test set."""
    test_set = read_wmt_folder(Path(folder))
    human_scores = read_human_ranking(ranking)
    systems = sorted(set(human_scores) & set(test_set.system_files))
    if len(systems) < 3:
        raise InputError(f"{folder}: only {len(systems)} system(s) have both outputs and a human score")
    ids = test_set.ids
    outputs = {s: read_outputs(test_set.system_files[s], ids) for s in systems}
    if keep is not None:
        test_set.segments = [test_set.segments[i] for i in keep]
        outputs = {s: [lines[i] for i in keep] for s, lines in outputs.items()}
        ids = test_set.ids
    refs = [[seg.references[k] for seg in test_set.segments] for k in range(len(test_set.reference_names))]
    sources = [seg.source for seg in test_set.segments]
    human = np.array([human_scores[s] for s in systems])
    report: dict[str, Any] = {"pair": test_set.pair, "systems": systems, "segments": len(ids),
                              "resamples": resamples, "seed": seed, "metrics": {}}
    for spec in metrics:
        metric = metric_from_spec(spec, test_set.target_language)
        column = metric.primary_index()
        stats = [metric.segment_stats(Segments(outputs[s], refs, sources, test_set.target_language)) for s in systems]
        sign = 1.0 if metric.higher_is_better else -1.0
        point = sign * np.array([metric.corpus_scores(m)[metric.primary] for m in stats])
        scores = sign * np.stack([s[:, column] for s in resampled_scores(metric, stats, resamples, seed)], axis=1)
        accuracy = [pairwise_accuracy(row, human) for row in scores]
        kendall = [_kendall(row, human) for row in scores]
        report["metrics"][spec] = {
            "pairwise_accuracy": {"value": pairwise_accuracy(point, human), "interval": _interval(np.array(accuracy))},
            "kendall": {"value": _kendall(point, human), "interval": _interval(np.array(kendall))},
            "system_scores": dict(zip(systems, (sign * point).tolist()))}
    return report


def system_table(report: dict[str, Any]) -> str:
    """Markdown: per metric, pairwise accuracy and Kendall tau against the human system scores."""
    lines = [f"{report['pair']}: {len(report['systems'])} systems with outputs and human scores, "
             f"{report['segments']} segments; {report['resamples']} bootstrap resamples over segments "
             f"(seed {report['seed']}); 95% intervals", "",
             "| metric | pairwise accuracy | Kendall tau |", "|---|---|---|"]
    for name, m in report["metrics"].items():
        acc, tau = m["pairwise_accuracy"], m["kendall"]
        lines.append(f"| {name} | {acc['value']:.3f} [{acc['interval'][0]:.3f}, {acc['interval'][1]:.3f}] "
                     f"| {tau['value']:.3f} [{tau['interval'][0]:.3f}, {tau['interval'][1]:.3f}] |")
    return "\n".join(lines)


__all__ = ["pairwise_accuracy", "read_human_ranking", "system_meta_evaluate", "system_table"]
