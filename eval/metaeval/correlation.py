"""Meta-evaluation: how well does a metric agree with human judgements?

Reads rows with ``src, mt, ref, system, seg_id, human_score`` (the WMT MQM layout) and
reports, per metric, Pearson, Spearman and Kendall correlation at three levels, each with
a bootstrap 95% interval over segments (items):

- segment level, pooled: all (system, segment) rows together ("no grouping");
- segment level, grouped by item: correlation across systems within each source segment,
  averaged over segments (WMT metrics task "group by item");
- system level: per-system mean metric score vs mean human score, and the pairwise accuracy of
  the system order (WMT's measure since Kocmi et al. 2021).

Every metric is resampled on the same items, so the difference between two metrics has
an interval of its own: the evidence that one metric really agrees better than another.
Metrics joined with "+" (``chrf+xling``) are combined as the mean of their z-scored
segment scores; ``metric.score`` picks one of a metric's scores (``bertscore.recall``).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats as sps

from polybrief.core import jsonline
from polybrief.core.errors import InputError, PolybriefError
from polybrief.core.readers import read_file_bytes

from ..metrics import metric_from_spec
from ..metrics.base import Metric, Segments
from ..stats.resampling import DEFAULT_SEED

CORRELATIONS = ("pearson", "spearman", "kendall")
MEASURES = {"segment_pooled": CORRELATIONS, "segment_grouped": CORRELATIONS, "system": CORRELATIONS,
            "system_pairwise": ("accuracy",)}
REQUIRED = ("mt", "system", "seg_id", "human_score")


@dataclass
class JudgedRows:
    """Human-judged MT output, one row per (system, segment)."""

    src: list[str]
    mt: list[str]
    ref: list[str]
    system: list[str]
    item: list[str]
    human: np.ndarray
    skipped: dict[str, int] = field(default_factory=dict)
    document: list[str] = field(default_factory=list)  # the split unit; the item where rows name no doc

    def __len__(self) -> int:
        return len(self.mt)

    def subset(self, keep: np.ndarray) -> JudgedRows:
        """The rows where ``keep`` is true (a selection or report part of a split)."""
        index = np.flatnonzero(keep)

        def pick(values: list[str]) -> list[str]:
            return [values[i] for i in index]

        return JudgedRows(pick(self.src), pick(self.mt), pick(self.ref), pick(self.system), pick(self.item),
                          self.human[index], dict(self.skipped), pick(self.document))


def read_judgements(path: str | Path, include_human: bool = False, strict_scores: bool = False) -> JudgedRows:
    """Rows from JSONL; human translations and rows with no usable score are skipped and counted
    (``strict_scores``: a row with no usable score is an error, as training data must be whole)."""
    path = Path(path)
    if not path.is_file():
        read_file_bytes(path)  # says what the path is instead (a folder, a pipe, nothing)
    cols: dict[str, list] = {k: [] for k in ("src", "mt", "ref", "system", "item", "human", "document")}
    skipped = {"human_translation": 0, "no_score": 0}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = jsonline.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
            missing = [k for k in REQUIRED if k not in row]
            if missing:
                raise InputError(f"{path}:{lineno}: missing field(s) {', '.join(missing)}")
            if row.get("is_human_translation") and not include_human:
                skipped["human_translation"] += 1
                continue
            if not isinstance(row["mt"], str):
                if strict_scores:
                    raise InputError(f"{path}:{lineno}: mt is {row['mt']!r}, not text")
                skipped["no_mt"] = skipped.get("no_mt", 0) + 1  # scoring nothing as "" would invent a score
                continue
            score = row["human_score"]
            if not isinstance(score, (int, float)) or isinstance(score, bool) or not math.isfinite(score):
                if strict_scores:
                    raise InputError(f"{path}:{lineno}: human_score is {score!r}, not a finite number")
                skipped["no_score"] += 1
                continue
            cols["src"].append(str(row.get("src") or ""))
            cols["mt"].append(row["mt"])
            cols["ref"].append(str(row.get("ref") or ""))
            cols["system"].append(str(row["system"]))
            cols["item"].append(f"{row.get('doc', '')}#{row['seg_id']}")
            cols["document"].append(str(row["doc"]) if row.get("doc") not in (None, "") else cols["item"][-1])
            cols["human"].append(float(score))
    if not cols["mt"]:
        raise InputError(f"{path}: no judged rows left to meta-evaluate")
    return JudgedRows(cols["src"], cols["mt"], cols["ref"], cols["system"], cols["item"],
                      np.array(cols["human"]), skipped, cols["document"])


def combination_parts(name: str) -> list[str]:
    """'chrf+xling' -> ['chrf', 'xling']; 'chrf++' stays whole."""
    return re.findall(r"chrf\+\+|[^+]+", name)


class SegmentScorer:
    """Segment scores of metrics on one set of rows, each metric's statistics computed once.

    Several names may share a metric ("bertscore", "bertscore.recall", "chrf+bertscore.recall"):
    the statistics are cached by metric so the neural ones run once per meta-evaluation.
    """

    def __init__(self, rows: JudgedRows, language: str = "en") -> None:
        self.rows, self.language = rows, language
        self._stats: dict[str, tuple[Metric, np.ndarray]] = {}

    def _metric_stats(self, base: str) -> tuple[Metric, np.ndarray]:
        if base not in self._stats:
            metric = metric_from_spec(base, self.language)
            rows = self.rows
            segments = Segments(rows.mt, [rows.ref] if any(rows.ref) else [],
                                rows.src if any(rows.src) else None, self.language)
            self._stats[base] = (metric, metric.segment_stats(segments))
        return self._stats[base]

    def scores(self, name: str) -> np.ndarray:
        """Segment scores oriented so that higher is better; 'a+b' is a mean of z-scores."""
        parts_of = combination_parts(name)
        if len(parts_of) > 1:
            parts = [self.scores(part) for part in parts_of]
            return np.mean([(p - p.mean()) / (p.std() or 1.0) for p in parts], axis=0)
        head, colon, params = name.partition(":")  # "mqm:model=DIR" or "bertscore.recall:model=DIR"
        base, _, score = head.partition(".")
        metric, stats = self._metric_stats(base + colon + params)
        if score and score not in metric.score_names:
            raise PolybriefError(f"metric {base} has no score {score!r}; it has {', '.join(metric.score_names)}")
        column = metric.score_names.index(score) if score else metric.primary_index()
        values = metric.segment_scores(stats)[:, column]
        return values if metric.higher_is_better else -values


def _pairwise_accuracy(metric: np.ndarray, human: np.ndarray) -> np.ndarray:
    """System-level pairwise accuracy as a one-element row (the shape ``levels`` stacks)."""
    from .system_level import pairwise_accuracy

    return np.array([pairwise_accuracy(metric, human)])


def _correlations(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.full(3, np.nan)
    return np.array([sps.pearsonr(x, y)[0], sps.spearmanr(x, y)[0], sps.kendalltau(x, y)[0]])


class MetaEvaluator:
    """Correlations of several metrics on the same rows and the same bootstrap resamples."""

    def __init__(self, rows: JudgedRows, resamples: int = 1000, seed: int = DEFAULT_SEED) -> None:
        self.rows = rows
        self.items, self.item_index = np.unique(rows.item, return_inverse=True)
        self.systems, self.system_index = np.unique(rows.system, return_inverse=True)
        rng = np.random.default_rng(seed)
        n_items = len(self.items)
        self.draws = rng.integers(0, n_items, size=(resamples, n_items))
        self.members = [np.flatnonzero(self.item_index == k) for k in range(n_items)]

    def levels(self, scores: np.ndarray, progress: Any = None) -> dict[str, np.ndarray]:
        """Point values and the per-resample ones, by level: arrays (1 + R, len(MEASURES[level])); ``progress``
        wraps the resamples (a bar: 1,000 of them take minutes on WMT-sized data)."""
        human = self.rows.human
        per_item = np.array([_correlations(scores[m], human[m]) for m in self.members])
        # system level: per-item per-system sums, so a resample is a weighted sum of items
        n_items, n_sys = len(self.items), len(self.systems)
        metric_sum = np.zeros((n_items, n_sys))
        human_sum = np.zeros((n_items, n_sys))
        count = np.zeros((n_items, n_sys))
        np.add.at(metric_sum, (self.item_index, self.system_index), scores)
        np.add.at(human_sum, (self.item_index, self.system_index), human)
        np.add.at(count, (self.item_index, self.system_index), 1)
        out: dict[str, list[np.ndarray]] = {level: [] for level in MEASURES}
        draws = [np.arange(n_items), *self.draws]
        for draw in (progress(draws, "resamples", "resample") if progress else draws):
            rows_of = np.concatenate([self.members[k] for k in draw])
            out["segment_pooled"].append(_correlations(scores[rows_of], human[rows_of]))
            out["segment_grouped"].append(np.nanmean(per_item[draw], axis=0))
            weights = np.bincount(draw, minlength=n_items)
            totals = np.maximum(weights @ count, 1)
            system_metric, system_human = (weights @ metric_sum) / totals, (weights @ human_sum) / totals
            out["system"].append(_correlations(system_metric, system_human))
            out["system_pairwise"].append(_pairwise_accuracy(system_metric, system_human))
        return {level: np.array(values) for level, values in out.items()}


def summarise(samples: dict[str, np.ndarray]) -> dict[str, dict[str, dict[str, float]]]:
    """Point value and 95% interval for each level and measure."""
    report: dict[str, dict[str, dict[str, float]]] = {}
    for level, values in samples.items():
        report[level] = {}
        for c, corr in enumerate(MEASURES[level]):
            low, high = np.nanpercentile(values[1:, c], [2.5, 97.5])
            report[level][corr] = {"value": float(values[0, c]), "low": float(low), "high": float(high)}
    return report


def compare(samples: dict[str, np.ndarray], baseline: dict[str, np.ndarray], level: str = "segment_grouped",
            corr: str = "kendall") -> dict[str, float]:
    """Difference metric - baseline on one level and correlation, with its paired 95% interval."""
    c = CORRELATIONS.index(corr)
    diffs = samples[level][:, c] - baseline[level][:, c]
    low, high = np.nanpercentile(diffs[1:], [2.5, 97.5])
    return {"value": float(diffs[0]), "low": float(low), "high": float(high)}


def meta_evaluate(rows: JudgedRows, metrics: list[str], baseline: str | None = "chrf", resamples: int = 1000,
                  seed: int = DEFAULT_SEED, language: str = "en", progress: Any = None) -> dict[str, Any]:
    """The full report: per metric, all levels and correlations, and the difference to ``baseline``."""
    if len(set(rows.system)) < 2:
        raise PolybriefError("meta-evaluation needs judgements of at least two systems")
    if np.ptp(rows.human) == 0:  # every correlation would be NaN and every pairwise accuracy 0
        raise PolybriefError(f"every human_score is {rows.human[0]:g}: tied scores give nothing to correlate with")
    evaluator = MetaEvaluator(rows, resamples, seed)
    scorer = SegmentScorer(rows, language)
    names = list(dict.fromkeys(metrics + ([baseline] if baseline else [])))
    samples = {}
    for name in (progress(names) if progress else names):
        samples[name] = evaluator.levels(scorer.scores(name), progress)
    report: dict[str, Any] = {"rows": len(rows), "systems": len(evaluator.systems), "items": len(evaluator.items),
                              "skipped": rows.skipped, "resamples": resamples, "seed": seed,
                              "baseline": baseline, "metrics": {}}
    for name in names:
        entry: dict[str, Any] = summarise(samples[name])
        if baseline and name != baseline:
            entry["vs_baseline_grouped_kendall"] = compare(samples[name], samples[baseline])
        report["metrics"][name] = entry
    return report


def to_table(report: dict[str, Any]) -> str:
    """A Markdown table: one row per metric, Kendall at each level plus Pearson at system level."""
    lines = [f"{report['rows']} rows, {report['systems']} systems, {report['items']} segments; "
             f"{report['resamples']} bootstrap resamples over segments (seed {report['seed']}); 95% intervals",
             "", "| metric | segment tau (grouped) | segment tau (pooled) | system tau | system Pearson "
             f"| system pairwise accuracy | grouped tau - {report['baseline']} |", "|---|---|---|---|---|---|---|"]

    def cell(d: dict[str, float]) -> str:
        return f"{d['value']:.3f} [{d['low']:.3f}, {d['high']:.3f}]"

    for name, m in report["metrics"].items():
        delta = m.get("vs_baseline_grouped_kendall")
        versus = f"{delta['value']:+.3f} [{delta['low']:+.3f}, {delta['high']:+.3f}]" if delta else "-"
        lines.append(f"| {name} | {cell(m['segment_grouped']['kendall'])} | {cell(m['segment_pooled']['kendall'])} "
                     f"| {cell(m['system']['kendall'])} | {cell(m['system']['pearson'])} "
                     f"| {cell(m['system_pairwise']['accuracy'])} | {versus} |")
    return "\n".join(lines)


__all__ = ["CORRELATIONS", "JudgedRows", "MEASURES", "MetaEvaluator", "REQUIRED", "SegmentScorer",
           "combination_parts", "compare", "meta_evaluate", "read_judgements", "summarise", "to_table"]
