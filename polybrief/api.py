"""The public Python API: what a script or a notebook calls, the way sacreBLEU and rouge-score are used.

Everything else in the package is private by convention. The functions here are thin: each does what
the matching command does (``brief``, ``run``, ``score``), through the same code, so the Python and
command-line numbers are one and the same. Scoring never imports the briefing code: ``brief`` imports
it when called.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybrief.core.document import Cluster
from polybrief.core.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - for type checkers only; importing summarize here would load it eagerly
    from polybrief.eval.experiment.runrecord import RunRecord
    from polybrief.eval.scoring.results import MetricResult
    from polybrief.summarize.briefing import Briefing

__all__ = ["RunResults", "brief", "briefing_markdown", "read_clusters", "run"]


def read_clusters(path: str | Path, allow_outside: bool = False) -> list[Cluster]:
    """Every cluster in ``path`` (a folder of articles, a JSONL file of clusters, or a dataset); a record
    that cannot be read raises with its place and reason, as ``polybrief brief`` reports it."""
    from polybrief.core.readers import BadRecord
    from polybrief.core.readers import read_clusters as read

    clusters = []
    for result in read(path, allow_outside=allow_outside):
        if isinstance(result, BadRecord):
            raise InputError(f"{result.where}: {result.reason}")
        clusters.append(result)
    return clusters


def _one_cluster(source: str | Path | Cluster | Iterable[str]) -> Cluster:
    if isinstance(source, Cluster):
        return source
    if isinstance(source, (str, Path)):
        clusters = read_clusters(source)
        if len(clusters) != 1:
            raise InputError(f"{source}: {len(clusters)} clusters; brief one: polybrief.brief(cluster) for each of "
                             "polybrief.read_clusters(path)")
        return clusters[0]
    from polybrief.core.readers import make_document

    texts = list(source)
    if not texts or not all(isinstance(t, str) for t in texts):
        raise InputError("brief() takes a path, a Cluster, or a list of article texts")
    return Cluster("texts", [make_document(f"article-{i}", text) for i, text in enumerate(texts, 1)])


def brief(source: str | Path | Cluster | Iterable[str], method: str = "support", words: int | None = None,
          language: str | None = None, **settings: Any) -> Briefing:
    """The briefing of one event: ``source`` is a folder of articles, a one-cluster JSONL file, a
    ``Cluster`` or a list of article texts. ``settings`` are ``polybrief brief``'s options by their
    Python names (``encoder``, ``translator``, ``sentences``, ``params``, ``model`` ...)."""
    from polybrief.core import defaults
    from polybrief.summarize.pipeline import BriefOptions, brief_cluster

    options = BriefOptions.from_settings(method=method, words=words or defaults.WORDS, language=language, **settings)
    options.check()
    return brief_cluster(_one_cluster(source), options)


def briefing_markdown(briefing: Briefing) -> str:
    """A briefing as the Markdown ``polybrief brief`` prints."""
    from polybrief.summarize.render import to_markdown

    return to_markdown(briefing)


@dataclass(frozen=True)
class RunResults:
    """A finished experiment: where its run folder is, and its results.json typed (each system's scores
    with their intervals, significance and placing; what the run read; how it was tested)."""

    folder: Path
    record: RunRecord

    @property
    def systems(self) -> list[str]:
        return list(self.record.systems)

    def metric(self, system: str, metric: str) -> MetricResult:
        """One system's result on one metric: every score with its interval, the signature, the placing."""
        return self.record.systems[system].metrics[metric]

    def score(self, system: str, metric: str, name: str | None = None) -> float:
        """One corpus score: ``name`` defaults to the metric's primary score (ROUGE's rouge2_f, BLEU's score)."""
        result = self.metric(system, metric)
        return float(result.scores[name or result.primary].score)


def run(config: str | Path, progress: bool = False, **overrides: Any) -> RunResults:
    """Run an experiment YAML as ``polybrief run`` does (resuming a run folder that exists);
    ``overrides`` are ``--set`` pairs with dots as double underscores: ``statistics__resamples=200``."""
    from polybrief.eval.experiment.config import load_config
    from polybrief.eval.experiment.runner import run_experiment

    pairs = [f"{key.replace('__', '.')}={value}" for key, value in overrides.items()]
    paths, record = run_experiment(load_config(config, pairs), progress=progress)
    return RunResults(paths.root, record)
