"""Choosing a metric without fooling yourself: choose on one part of the judgements, report on the other.

A metric (or a combination's weights) picked because it topped a table scores well on that table
partly by luck; the same table cannot say how much. So the rows are split by document (a document's
segments share topic, style and references, and would leak across a split by segment), the
candidates are ranked on the selection part only (grouped segment Kendall tau, combination weights
fitted there), and only the winner and the baseline are measured on the report part, with bootstrap
intervals. Repeating with other splits shows how much the answer depends on the split.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from polybrief.core.errors import PolybriefError

from .correlation import JudgedRows, MetaEvaluator, SegmentScorer, combination_parts, compare, summarise


def split_documents(rows: JudgedRows, selection_share: float, seed: int) -> np.ndarray:
    """A boolean mask of the selection rows: a random ``selection_share`` of the documents, whole."""
    documents = sorted(set(rows.document))
    if len(documents) < 2:
        raise PolybriefError("a selection split needs judgements of at least two documents (rows name a 'doc')")
    order = np.random.default_rng(seed).permutation(len(documents))
    chosen = max(1, min(len(documents) - 1, round(selection_share * len(documents))))
    picked = {documents[i] for i in order[:chosen]}
    return np.array([d in picked for d in rows.document])


def grouped_kendall(scores: np.ndarray, rows: JudgedRows) -> float:
    """Grouped segment Kendall tau (point value only): what the selection part ranks candidates by."""
    return float(MetaEvaluator(rows, resamples=0).levels(scores)["segment_grouped"][0, 2])


def centred_by_item(values: np.ndarray, items: list[str]) -> np.ndarray:
    """Each row minus its item's mean: grouped correlation only sees differences within an item."""
    _, index = np.unique(items, return_inverse=True)
    means = np.zeros((index.max() + 1,) + values.shape[1:])
    np.add.at(means, index, values)
    counts = np.bincount(index).reshape((-1,) + (1,) * (values.ndim - 1))
    return values - (means / counts)[index]


def fit_weights(parts: np.ndarray, rows: JudgedRows) -> np.ndarray:
    """Least-squares weights of z-scored parts predicting human scores within items (ridge, tiny penalty)."""
    x, y = centred_by_item(parts, rows.item), centred_by_item(rows.human, rows.item)
    weights = np.linalg.solve(x.T @ x + 1e-3 * len(x) * np.eye(x.shape[1]), x.T @ y)
    return weights / (np.abs(weights).sum() or 1.0)


class Candidate:
    """One metric or combination, scored on all rows once; z-scoring and weights come from the selection part."""

    def __init__(self, name: str, scorer: SegmentScorer, fitted: bool) -> None:
        self.name, self.fitted = name, fitted
        self.parts = np.column_stack([scorer.scores(part) for part in combination_parts(name)])

    def scores(self, selection: np.ndarray, rows: JudgedRows) -> tuple[np.ndarray, list[float]]:
        """Every row's score, normalised and weighted as learnt on the ``selection`` rows, and the weights."""
        if self.parts.shape[1] == 1:
            return self.parts[:, 0], [1.0]
        mean, std = self.parts[selection].mean(0), self.parts[selection].std(0)
        z = (self.parts - mean) / np.where(std > 0, std, 1.0)
        if self.fitted:
            weights = fit_weights(z[selection], rows.subset(selection))
        else:
            weights = np.full(z.shape[1], 1.0 / z.shape[1])
        return z @ weights, [round(float(w), 4) for w in weights]


def one_split(rows: JudgedRows, candidates: list[Candidate], baseline: Candidate, selection_share: float,
              seed: int, resamples: int) -> dict[str, Any]:
    """Choose on the selection part of one split, report the choice and the baseline on the rest."""
    selection = split_documents(rows, selection_share, seed)
    report_rows, selection_rows = rows.subset(~selection), rows.subset(selection)
    fitted = {c.name: c.scores(selection, rows) for c in [*candidates, baseline]}  # each fitted once per split
    table = {c.name: round(grouped_kendall(fitted[c.name][0][selection], selection_rows), 4) for c in candidates}
    chosen = max(candidates, key=lambda c: table[c.name])
    evaluator = MetaEvaluator(report_rows, resamples, seed)
    chosen_samples = evaluator.levels(fitted[chosen.name][0][~selection])
    baseline_samples = evaluator.levels(fitted[baseline.name][0][~selection])
    return {"seed": seed, "selection_documents": sorted(set(selection_rows.document)),
            "report_documents": len(set(report_rows.document)), "report_rows": len(report_rows),
            "selection_grouped_kendall": table, "chosen": chosen.name, "weights": fitted[chosen.name][1],
            "report": {"chosen": summarise(chosen_samples), "baseline": summarise(baseline_samples),
                       "chosen_minus_baseline_grouped_kendall": compare(chosen_samples, baseline_samples)}}


def select_and_report(rows: JudgedRows, metrics: list[str], baseline: str = "chrf", selection_share: float = 0.5,
                      splits: int = 1, seed: int = 12345, resamples: int = 1000, fit: bool = True,
                      language: str = "en", progress: Any = None) -> dict[str, Any]:
    """Every split's choice and report-part numbers, and their spread over splits."""
    if not 0 < selection_share < 1:
        raise PolybriefError("--selection-share must be between 0 and 1 (exclusive)")
    if len(set(rows.system)) < 2:
        raise PolybriefError("meta-evaluation needs judgements of at least two systems")
    scorer = SegmentScorer(rows, language)
    names = list(dict.fromkeys(metrics))
    candidates = [Candidate(name, scorer, fit) for name in (progress(names) if progress else names)]
    base = Candidate(baseline, scorer, fit)
    runs = [one_split(rows, candidates, base, selection_share, seed + k, resamples) for k in range(splits)]
    deltas = np.array([r["report"]["chosen_minus_baseline_grouped_kendall"]["value"] for r in runs])
    return {"rows": len(rows), "documents": len(set(rows.document)), "selection_share": selection_share,
            "split_by": "document", "splits": splits, "seed": seed, "resamples": resamples, "baseline": baseline,
            "candidates": names, "weights": "fitted on the selection part" if fit else "equal",
            "chosen_counts": dict(Counter(r["chosen"] for r in runs)),
            "report_delta_grouped_kendall": {"mean": float(deltas.mean()), "min": float(deltas.min()),
                                             "max": float(deltas.max())},
            "runs": runs}


def selection_table(report: dict[str, Any]) -> str:
    """One line per split: what was chosen and what it scored on the report part, then the spread."""
    lines = [f"{report['rows']} rows, {report['documents']} documents; each split chooses among "
             f"{', '.join(report['candidates'])} on {report['selection_share']:.0%} of the documents (grouped "
             f"segment Kendall tau; combination weights {report['weights']}) and reports on the rest; "
             f"{report['resamples']} bootstrap resamples, 95% intervals", "",
             f"| split seed | chosen | weights | selection tau | report tau | report {report['baseline']} "
             f"| difference |", "|---|---|---|---|---|---|---|"]

    def cell(d: dict[str, float], sign: str = "") -> str:
        return f"{d['value']:{sign}.3f} [{d['low']:{sign}.3f}, {d['high']:{sign}.3f}]"

    for run in report["runs"]:
        chosen, base = run["report"]["chosen"], run["report"]["baseline"]
        lines.append(f"| {run['seed']} | {run['chosen']} | {run['weights']} "
                     f"| {run['selection_grouped_kendall'][run['chosen']]:.3f} "
                     f"| {cell(chosen['segment_grouped']['kendall'])} | {cell(base['segment_grouped']['kendall'])} "
                     f"| {cell(run['report']['chosen_minus_baseline_grouped_kendall'], '+')} |")
    spread = report["report_delta_grouped_kendall"]
    lines += ["", f"Report-part difference over {report['splits']} split(s): mean {spread['mean']:+.3f}, "
                  f"min {spread['min']:+.3f}, max {spread['max']:+.3f}; chosen: "
                  + ", ".join(f"{name} x{count}" for name, count in report["chosen_counts"].items())]
    return "\n".join(lines)


__all__ = ["Candidate", "centred_by_item", "fit_weights", "grouped_kendall", "one_split", "select_and_report",
           "selection_table", "split_documents"]
