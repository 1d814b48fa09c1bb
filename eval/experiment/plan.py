"""What a run will do, settled before any work starts: the task, its items, its systems and their outputs.

Everything a user can get wrong (a system file one line short, two systems with one name, an unknown
language code, a translator without the language pair, an English-only encoder asked to score German)
is found here, so a bad config fails in a second with one line instead of after an hour of work.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polybrief.core.errors import InputError, PolybriefError
from polybrief.core.readers import BadRecord, read_clusters

from .schema import COLUMN_PREFIX, TRANSLATION, ExperimentConfig
from .systems import OutputsSystem
from .systemspec import SystemSpec
from .testset import TestSet, column_outputs, output_files, read_outputs, read_test_set
from .work import brief_options, metric_instance, translator_for


@dataclass
class Plan:
    """The resolved run: one spec per system (folders of outputs expanded), the given outputs by system
    and item id, the metrics' language and, for translation, the test set and its language pair."""

    task: str  # summarization or translation
    systems: list[SystemSpec]
    language: str
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    test_set: TestSet | None = None
    allow_outside: bool = False  # read files a cluster folder points to outside itself

    @property
    def pair(self) -> tuple[str, str] | None:
        return (self.test_set.source_language, self.test_set.target_language) if self.test_set else None

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.systems]


def stream_clusters(config: ExperimentConfig, bad: list[BadRecord], allow_outside: bool = False) -> Iterator[Any]:
    """The input's clusters one at a time (never all in memory); unreadable records go to ``bad``."""
    seen: set[str] = set()
    count = 0
    for result in read_clusters(config.data.path, config.data.split, allow_outside):
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


def items(plan: Plan, config: ExperimentConfig, bad: list[BadRecord]) -> Iterator[Any]:
    """The run's items in input order: clusters streamed, or the test set's segments."""
    if plan.test_set is not None:
        return iter(plan.test_set.segments)
    return stream_clusters(config, bad, plan.allow_outside)


def _system_specs(config: ExperimentConfig, test_set: TestSet | None,
                  allow_outside: bool = False) -> list[tuple[SystemSpec, Path | str | None]]:
    """(spec, where its outputs are) per system, a folder of outputs expanded into one system per file."""
    out = []
    for system in config.systems:
        spec = SystemSpec(system.display_name, system)
        source: Path | str | None = None
        if isinstance(system, OutputsSystem) and system.outputs.startswith(COLUMN_PREFIX):
            source = system.outputs
        elif isinstance(system, OutputsSystem):
            path = Path(system.outputs)
            if path.is_dir():
                suffix = f".{test_set.target_language}" if test_set and test_set.system_files else None
                files = output_files(path, suffix, allow_outside)  # (a name beside a folder: refused by the schema)
                out += [(SystemSpec(name, system.model_copy(update={"outputs": str(file)})), file)
                        for name, file in files.items()]
                continue
            source = path
        out.append((spec, source))
    return out


def _cluster_ids(config: ExperimentConfig, allow_outside: bool) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The clusters' ids in input order and their extra fields (for outputs given as a column)."""
    ids, meta = [], {}
    for cluster in stream_clusters(config, [], allow_outside):
        ids.append(cluster.cluster_id)
        meta[cluster.cluster_id] = cluster.meta
    return ids, meta


def _given_outputs(config: ExperimentConfig, specs: list[tuple[SystemSpec, Path | str | None]],
                   test_set: TestSet | None, allow_outside: bool) -> dict[str, dict[str, str]]:
    """Outputs made elsewhere, by system and item id, checked complete before any work."""
    given = [(spec, source) for spec, source in specs if source is not None]
    if not given:
        return {}
    if test_set is not None:
        ids, columns = test_set.ids, test_set.columns
    else:
        ids, meta = _cluster_ids(config, allow_outside)
        names = {k for m in meta.values() for k in m}
        columns = {k: [meta[i].get(k) for i in ids] for k in names}
    outputs = {}
    for spec, source in given:
        if isinstance(source, str) and source.startswith(COLUMN_PREFIX):
            texts = column_outputs(columns, source.removeprefix(COLUMN_PREFIX), config.data.path)
        else:
            texts = read_outputs(Path(source), ids)
        outputs[spec.name] = dict(zip(ids, texts))
    return outputs


def _check_metrics(config: ExperimentConfig, language: str, test_set: TestSet | None) -> None:
    """Every metric loads for this language, and has what it reads (references, sources)."""
    for m in config.metrics or []:
        metric = metric_instance(m.name, m.params, language)
        if metric.needs_sources and test_set is None:
            raise PolybriefError(f"metric {m.name} compares translations with their sources: it needs a "
                                 "translation test set")
        if metric.needs_references and test_set is not None and not test_set.reference_names:
            raise PolybriefError(f"metric {m.name} needs references and {config.data.path} has none; "
                                 "score without references with xling")


def _check_systems(config: ExperimentConfig, specs: list[SystemSpec], pair: tuple[str, str] | None) -> None:
    names = [s.name for s in specs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise PolybriefError(f"two systems named {repeated[0]!r}; system names must be unique")
    for spec in specs:  # a missing model, an unknown parameter or MT pair fails now, not once per item
        try:
            if spec.work == "brief":
                brief_options(spec).check("words:")
            elif spec.work == "translate" and pair:
                translator_for(spec).check_pair(*pair)
        except PolybriefError as exc:  # name the system and its entry: a grid makes many from one entry
            place = config.place(spec.config)
            raise PolybriefError(f"{place + ': ' if place else ''}system {spec.name}: {exc}") from None


def make_plan(config: ExperimentConfig, allow_outside: bool = False) -> Plan:
    """Read what must be read up front, resolve every system, and check the run can be done."""
    test_set = None
    if config.task == TRANSLATION:
        data = config.data
        test_set = read_test_set(data.path, data.columns.model_dump(), data.source_language, data.target_language,
                                 data.references, data.split, allow_outside)
        if data.limit:
            test_set.segments = test_set.segments[:data.limit]
            test_set.columns = {k: v[:data.limit] for k, v in test_set.columns.items()}
    language = config.language or (test_set.target_language if test_set else "en")
    specs = _system_specs(config, test_set, allow_outside)
    plan = Plan(config.task or "", [spec for spec, _ in specs], language, {}, test_set, allow_outside)
    _check_systems(config, plan.systems, plan.pair)
    baseline = config.statistics.baseline
    if baseline and baseline not in plan.names:
        raise InputError(f"statistics.baseline {baseline!r} is not a system; systems: {', '.join(plan.names)}")
    _check_metrics(config, language, test_set)
    plan.outputs = _given_outputs(config, specs, test_set, allow_outside)
    return plan


__all__ = ["Plan", "items", "make_plan", "stream_clusters"]
