"""A finished run as its readers see it: results.json, typed, with one way in from JSON.

The runner builds a ``RunRecord`` and writes its ``to_dict()`` as results.json; the export, the run
summary on the terminal, the leaderboard and the Python API read it back, from this run or from a run
folder an older version wrote (``clusters`` or ``segments`` for what was read, no ``system``
description). They read these fields, never keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scoring.results import MetricResult
from ..stats.ranking import PairwiseResult
from .rows import Placing

__all__ = ["LEGACY_KINDS", "RunRecord", "SystemResult"]


LEGACY_KINDS = {"brief": "briefing", "translate": "translator"}  # how results.json named kinds before the config did


@dataclass(frozen=True)
class SystemResult:
    """One system of a run: its kind, as the config names kinds (briefing, generator, translator, outputs),
    what it is, and its metrics."""

    metrics: dict[str, MetricResult]
    kind: str | None = None  # None in runs written before systems described themselves
    method: str | None = None
    words: int | None = None
    outputs: str | None = None
    translator: str | None = None

    def summary(self) -> dict[str, Any] | None:
        """What the system is, as results.json says it: a given-outputs system names its file, a translator
        its backend, a briefing method its word budget."""
        if self.kind is None:
            return None
        if self.kind == "outputs":
            return {"kind": "outputs", "method": None, "outputs": self.outputs}
        if self.kind == "translator":
            return {"kind": "translator", "method": None, "translator": self.translator}
        return {"kind": self.kind, "method": self.method, "words": self.words}

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary()
        return {**({"system": summary} if summary else {}),
                "metrics": {m: r.to_dict() for m, r in self.metrics.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SystemResult:
        """A system as results.json holds it; runs written before kinds were the config's say brief or
        translate, read as briefing and translator."""
        summary = data.get("system") or {}
        kind = summary.get("kind")
        return cls({m: MetricResult.from_dict(v) for m, v in data["metrics"].items()}, LEGACY_KINDS.get(kind, kind),
                   summary.get("method"), summary.get("words"), summary.get("outputs"), summary.get("translator"))

    def placing(self, metric: str) -> Placing | None:
        """Where the run's pairwise tests placed the system on ``metric``, when every pair was tested."""
        rank = self.metrics[metric].extra.get("rank")
        return Placing.from_dict(rank) if rank else None

    @property
    def label(self) -> str:
        """The dataset's ``method`` column: the briefing method, or what made the outputs."""
        return self.method or self.kind or ""

    @property
    def description(self) -> str:
        """A system as the dataset card names it: its method and budget, or where its outputs came from."""
        if self.kind == "outputs":
            return f"outputs from `{Path(str(self.outputs or '')).name}`"
        if self.kind == "translator":
            return f"translated by {self.translator}"
        return f"{self.method}, {self.words} words" if self.kind else "see config.yaml"


@dataclass(frozen=True)
class RunRecord:
    """results.json: the run's identity, what it read, each system's results and how they were tested."""

    name: str
    run_id: str
    config_hash: str
    dataset: str
    date: str
    systems: dict[str, SystemResult]
    task: str = "summarization"
    language: str = "en"
    pair: str | None = None  # translation: "es-en"
    references: list[str] = field(default_factory=list)  # translation: the reference names used
    read: int = 0  # clusters or segments read
    scored: int | None = None  # of those, how many had references to score against
    pairwise: dict[str, PairwiseResult] = field(default_factory=dict)  # metric -> every pair's test and ranks
    seed: int | None = None
    resamples: int = 0
    baseline: str | None = None
    new_predictions: int = 0
    failed_items: dict[str, int] = field(default_factory=dict)
    wall_time_s: float = 0.0
    environment: dict[str, Any] = field(default_factory=dict)
    input_fingerprint: str = ""  # the content hash of what the run read (part of run_id)
    skipped_records: list[str] = field(default_factory=list)  # "where: why" for each input record not read
    backend: str = "local"

    @property
    def translation(self) -> bool:
        return self.task == "translation"

    @property
    def items(self) -> str:
        """What an item of this run is: segments or clusters."""
        return "segments" if self.translation else "clusters"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        task = data.get("task") or "summarization"
        items = "segments" if task == "translation" else "clusters"
        return cls(data["name"], data["run_id"], data.get("config_hash", ""), data["dataset"], data["date"],
                   {s: SystemResult.from_dict(e) for s, e in data["systems"].items()}, task,
                   data.get("language") or "en", data.get("pair"), list(data.get("references") or []),
                   data.get(items, 0), data.get(f"scored_{items}", data.get(items)),
                   {m: PairwiseResult.from_dict(p) for m, p in (data.get("pairwise") or {}).items()},
                   data.get("seed"), data.get("resamples", 0), data.get("baseline"), data.get("new_predictions", 0),
                   dict(data.get("failed_items") or {}), data.get("wall_time_s", 0.0), data.get("environment") or {},
                   data.get("input_fingerprint", ""), list(data.get("skipped_records") or []),
                   data.get("backend", "local"))

    def to_dict(self) -> dict[str, Any]:
        """results.json: keys in the order earlier versions wrote them, so a file diffs cleanly across versions."""
        pair = {"pair": self.pair, "references": self.references} if self.pair else {}
        return {"name": self.name, "run_id": self.run_id, "config_hash": self.config_hash,
                "input_fingerprint": self.input_fingerprint, "dataset": self.dataset, "task": self.task,
                "language": self.language, **pair, self.items: self.read, "skipped_records": self.skipped_records,
                "systems": {s: r.to_dict() for s, r in self.systems.items()}, f"scored_{self.items}": self.scored,
                "pairwise": {m: p.to_dict() for m, p in self.pairwise.items()}, "failed_items": self.failed_items,
                "seed": self.seed, "resamples": self.resamples, "baseline": self.baseline,
                "new_predictions": self.new_predictions, "backend": self.backend, "date": self.date,
                "wall_time_s": self.wall_time_s, "environment": self.environment}
