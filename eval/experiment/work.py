"""The unit of work of a run: brief a batch of clusters with some systems and score each briefing.

Pure and picklable, so the local backend calls it in-process and the Ray backend ships it to
workers. Metric objects (and through them encoders) are cached per process, so a worker
loads a model once, not once per cluster. Each record carries the briefing and, per metric,
the cluster's sufficient-statistics row: results are aggregated from these rows alone, so
they do not depend on which worker did what, in what order, or how often the run restarted.
"""
from __future__ import annotations

import json
from typing import Any

from polybrief.core.document import Cluster
from polybrief.core.errors import PolybriefError
from polybrief.core.sentences import split_sentences

from ..metrics import get_metric
from ..metrics.base import Metric, Segments

_METRICS: dict[str, Metric] = {}


def metric_instance(name: str, params: dict[str, Any], language: str) -> Metric:
    """A metric object reused within this process (models load once per worker)."""
    key = json.dumps([name, params, language], sort_keys=True)
    if key not in _METRICS:
        _METRICS[key] = get_metric(name, language, **params)
    return _METRICS[key]


def brief_options(system: dict[str, Any]) -> Any:
    """A system spec (SystemConfig as a dict) as the ``BriefOptions`` that ``brief_cluster`` takes.
    Verdicts on translated sources are a reader's aid, not part of what is scored, so runs skip them."""
    from polybrief.summarize.pipeline import BriefOptions

    settings = {k: v for k, v in system.items() if k != "name"}
    return BriefOptions.from_settings(**settings, verdicts=False)


def predict(system: dict[str, Any], cluster: Cluster) -> dict[str, Any]:
    """One system's briefing of one cluster, as a predictions.jsonl record (an error is recorded, not raised)."""
    from polybrief.summarize.pipeline import brief_cluster

    record: dict[str, Any] = {"system": system["name"], "cluster_id": cluster.cluster_id}
    try:
        briefing = brief_cluster(cluster, brief_options(system))
    except PolybriefError as exc:
        return {**record, "error": str(exc), "briefing": "", "headline": "", "bullets": [], "cited": []}
    return {**record, "briefing": briefing.text, "headline": briefing.headline.text,
            "bullets": [b.text for b in briefing.bullets],
            "cited": [briefing.headline.cited] + [b.cited for b in briefing.bullets]}


def reference_sets(clusters: list[Cluster], language: str) -> list[list[str]]:
    """Aligned reference sets, one sentence per line (for ROUGE-Lsum). A cluster with fewer references
    repeats its first, which changes no metric here (max-F, max n-gram counts, closest length)."""
    width = max(len(c.reference_summaries) for c in clusters)
    return [["\n".join(split_sentences(c.reference_summaries[min(k, len(c.reference_summaries) - 1)], language))
             for c in clusters] for k in range(width)]


def brief_and_score(tasks: list[tuple[dict[str, Any], Cluster]], metrics: list[dict[str, Any]],
                    language: str) -> list[dict[str, Any]]:
    """Records for (system, cluster) tasks, each with a 'stats' row per metric where references exist."""
    records = [predict(system, cluster) for system, cluster in tasks]
    scored = [k for k, (_, cluster) in enumerate(tasks) if cluster.reference_summaries]
    if scored and metrics:
        clusters = [tasks[k][1] for k in scored]
        refs = reference_sets(clusters, language)
        hyps = [records[k]["briefing"] for k in scored]
        for spec in metrics:
            metric = metric_instance(spec["name"], spec["params"], language)
            rows = metric.segment_stats(Segments(hyps, refs, None, language))
            for k, row in zip(scored, rows):
                records[k].setdefault("stats", {})[metric.name] = [float(v) for v in row]
    for record in records:
        record.setdefault("stats", {})
    return records
