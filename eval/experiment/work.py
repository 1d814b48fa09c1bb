"""The unit of work of a run: make a batch of outputs (brief, translate, or take them as given) and score each.

Pure and picklable, so the local backend calls it in-process and the Ray backend ships it to
workers. Metric objects (and through them encoders), translators and generation models are cached
per process, so a worker loads a model once, not once per item. Each record carries the output and,
per metric, the item's sufficient-statistics row: results are aggregated from these rows alone, so
they do not depend on which worker did what, in what order, or how often the run restarted.

A job is a (system spec, item, given output) triple: the item is a ``Cluster`` (summarization) or
a ``Segment`` (translation); the given output is set for systems whose outputs were made elsewhere.
"""
from __future__ import annotations

import json
from typing import Any

from polybrief.core.errors import PolybriefError
from polybrief.core.sentences import split_sentences

from ..metrics import get_metric
from ..metrics.base import Metric, Segments
from .schema import SUMMARIZATION, TRANSLATION
from .systemspec import SystemSpec

ID_KEY = {SUMMARIZATION: "cluster_id", TRANSLATION: "seg_id"}  # the item id in every record
TEXT_KEY = {SUMMARIZATION: "briefing", TRANSLATION: "output"}  # the text that is scored
Job = tuple[SystemSpec, Any, "str | None"]
_METRICS: dict[str, Metric] = {}


def metric_instance(name: str, params: dict[str, Any], language: str) -> Metric:
    """A metric object reused within this process (models load once per worker)."""
    key = json.dumps([name, params, language], sort_keys=True)
    if key not in _METRICS:
        _METRICS[key] = get_metric(name, language, **params)
    return _METRICS[key]


def item_id(task: str, item: Any) -> str:
    return item.cluster_id if task == SUMMARIZATION else item.seg_id


def brief_options(system: SystemSpec) -> Any:
    """A briefing system's settings as the ``BriefOptions`` that ``brief_cluster`` takes.
    Verdicts on translated sources are a reader's aid, not part of what is scored, so runs skip them."""
    from polybrief.summarize.pipeline import BriefOptions

    return BriefOptions.from_settings(**system.brief_settings(), verdicts=False)


def translator_for(system: SystemSpec) -> Any:
    """The MT backend a translating system names, with its model's settings (built once per process by
    ``get_translator``; never 'none', which a translator system's config refuses)."""
    from polybrief.summarize.generation import GenerationOptions
    from polybrief.summarize.translate import get_translator

    settings = system.model_options()
    return get_translator(system.translator, None if settings is None else GenerationOptions(**settings))


def brief(system: SystemSpec, cluster: Any) -> dict[str, Any]:
    """One system's briefing of one cluster, as a predictions.jsonl record (an error is recorded, not raised)."""
    from polybrief.summarize.pipeline import brief_cluster

    record: dict[str, Any] = {"system": system.name, "cluster_id": cluster.cluster_id}
    try:
        briefing = brief_cluster(cluster, brief_options(system))
    except PolybriefError as exc:
        return {**record, "error": str(exc), "briefing": "", "headline": "", "bullets": [], "cited": []}
    return {**record, "briefing": briefing.text, "headline": briefing.headline.text,
            "bullets": [b.text for b in briefing.bullets],
            "cited": [briefing.headline.cited] + [b.cited for b in briefing.bullets]}


def translate(system: SystemSpec, segments: list[Any], pair: tuple[str, str]) -> list[dict[str, Any]]:
    """One translating system's outputs for a batch of segments, in one call to its backend."""
    records = [{"system": system.name, "seg_id": s.seg_id} for s in segments]
    try:
        outputs = translator_for(system).translate_texts([s.source for s in segments], *pair)
    except PolybriefError as exc:
        return [{**r, "output": "", "error": str(exc)} for r in records]
    return [{**r, "output": text} for r, text in zip(records, outputs)]


def given(task: str, system: SystemSpec, item: Any, output: str) -> dict[str, Any]:
    """A record for an output made elsewhere (a file, a folder, a dataset column)."""
    if task == TRANSLATION:
        return {"system": system.name, "seg_id": item.seg_id, "output": output}
    return {"system": system.name, "cluster_id": item.cluster_id, "briefing": output, "headline": "",
            "bullets": [], "cited": []}


def produce(task: str, jobs: list[Job], pair: tuple[str, str] | None) -> list[dict[str, Any]]:
    """The output record of every job; a translating system's segments go to its backend in one batch."""
    records: list[dict[str, Any] | None] = [None] * len(jobs)
    batches: dict[str, list[int]] = {}
    for k, (system, item, output) in enumerate(jobs):
        if output is not None:
            records[k] = given(task, system, item, output)
        elif system.work == "translate":
            batches.setdefault(system.name, []).append(k)
        else:
            records[k] = brief(system, item)
    for indices in batches.values():
        made = translate(jobs[indices[0]][0], [jobs[k][1] for k in indices], pair or ("", ""))
        for k, record in zip(indices, made):
            records[k] = record
    return [r for r in records if r is not None]


def references(task: str, items: list[Any], language: str) -> list[list[str]]:
    """Aligned reference sets. A cluster's reference is one sentence a line (for ROUGE-Lsum); a cluster
    with fewer references repeats its first, which changes no metric here (max-F, max n-gram counts,
    closest length)."""
    if task == TRANSLATION:
        width = max(len(s.references) for s in items)
        return [[s.references[k] for s in items] for k in range(width)] if width else []
    width = max(len(c.reference_summaries) for c in items)
    return [["\n".join(split_sentences(c.reference_summaries[min(k, len(c.reference_summaries) - 1)], language))
             for c in items] for k in range(width)]


def scored_text(task: str, record: dict[str, Any], language: str) -> str:
    """The text a metric reads: a translation as it is; a summary one sentence a line (ROUGE-Lsum),
    which a briefing already is and an outside summary is made."""
    text = record[TEXT_KEY[task]]
    if task == SUMMARIZATION and "\n" not in text and text.strip():
        return "\n".join(split_sentences(text, language))
    return text


def has_references(task: str, item: Any) -> bool:
    return bool(item.references if task == TRANSLATION else item.reference_summaries)


def run_batch(task: str, jobs: list[Job], metrics: list[dict[str, Any]], language: str,
              pair: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """Records for a batch of jobs, each with a 'stats' row per metric it can be scored on."""
    records = produce(task, jobs, pair)
    for spec in metrics:
        metric = metric_instance(spec["name"], spec["params"], language)
        rows = [k for k, (_, item, _) in enumerate(jobs) if not metric.needs_references or has_references(task, item)]
        if not rows:
            continue
        items = [jobs[k][1] for k in rows]
        # references go to every metric that has them for every item: some (mqm) use them when present
        with_refs = metric.needs_references or all(has_references(task, item) for item in items)
        refs = references(task, items, language) if with_refs else []
        sources = [item.source for item in items] if task == TRANSLATION else None
        hyps = [scored_text(task, records[k], language) for k in rows]
        stats = metric.segment_stats_once(Segments(hyps, refs, sources, language))
        for k, row in zip(rows, stats):
            records[k].setdefault("stats", {})[metric.name] = [float(v) for v in row]
    for record in records:
        record.setdefault("stats", {})
    return records


__all__ = ["ID_KEY", "TEXT_KEY", "Job", "brief", "brief_options", "given", "has_references", "item_id",
           "metric_instance", "produce", "references", "run_batch", "scored_text", "translate", "translator_for"]
