"""A leaderboard row as a type: what one system scored in one run, with one way to and from JSON.

Rows live in ``leaderboard.jsonl``, written by every run and read back by the views, by other runs
(to skip rows already there) and by whatever tool a user points at the file. The views read these
fields, never dict keys; rows written by earlier versions (``clusters`` for ``scored``, ``cluster``
for a significance ``group``) are read into the same fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["LeaderboardRow", "Placing", "Ranked", "scored_count"]

Scores = dict[str, dict[str, float | None]]  # score name -> {"score", "low", "high"}


def scored_count(data: dict[str, Any]) -> Any:
    """How many items (clusters or segments, as ``items`` says) a row's scores cover: ``scored``, or
    ``clusters`` in rows written before the field was named for what it holds (it held segment counts too)."""
    return data.get("scored", data.get("clusters", 0))


@dataclass(frozen=True)
class Placing:
    """Where a run's pairwise tests placed a system on one metric."""

    group: int  # significance group, 1 = best
    rank_range: tuple[int, int]
    position: int | None = None  # place in score order

    def to_dict(self) -> dict[str, Any]:
        return {"position": self.position, "group": self.group, "rank_range": list(self.rank_range)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Placing:
        group = data["group"] if "group" in data else data["cluster"]  # "cluster": rows before the rename
        low, high = data["rank_range"]
        return cls(group, (low, high), data.get("position"))


@dataclass(frozen=True)
class LeaderboardRow:
    """One system of one finished run on one dataset: every metric's scores and placings."""

    run_id: str
    name: str  # the experiment's name
    dataset: str
    system: str
    date: str  # ISO time the run finished
    metrics: dict[str, Scores]
    primary: dict[str, str]  # metric -> its primary score's name
    higher_is_better: dict[str, bool]
    task: str = "summarization"
    pair: str | None = None  # translation: "es-en"
    config_hash: str | None = None
    scored: float = 0  # how many items the scores cover
    items: str = "clusters"  # what an item is: clusters or segments
    signatures: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, Placing] = field(default_factory=dict)
    rank_method: dict[str, str] = field(default_factory=dict)  # metric -> how its placings were tested
    example: str | None = ""  # the system's first output, to see what it writes

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of leaderboard.jsonl, its keys in the order rows have always had."""
        return {"run_id": self.run_id, "name": self.name, "dataset": self.dataset, "task": self.task,
                "pair": self.pair, "system": self.system, "config_hash": self.config_hash, "date": self.date,
                "scored": self.scored, "items": self.items, "metrics": self.metrics, "primary": self.primary,
                "higher_is_better": self.higher_is_better, "signatures": self.signatures,
                "ranks": {m: p.to_dict() for m, p in self.ranks.items()}, "rank_method": self.rank_method,
                "example": self.example}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeaderboardRow:
        """A row from its JSON object (checked first by leaderboard.row_problem)."""
        return cls(data["run_id"], data["name"], data["dataset"], data["system"], data["date"], data["metrics"],
                   data["primary"], data["higher_is_better"], data.get("task") or "summarization", data.get("pair"),
                   data.get("config_hash"), scored_count(data),
                   data.get("items") or "clusters", data.get("signatures") or {},
                   {m: Placing.from_dict(p) for m, p in (data.get("ranks") or {}).items()},
                   data.get("rank_method") or {}, data.get("example"))

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes a row unique on a leaderboard: its run, system and dataset."""
        return self.run_id, self.system, self.dataset

    def score(self, metric: str) -> tuple[dict[str, float | None], bool] | None:
        """(score entry, higher is better) of 'metric' (its primary score) or 'metric.score', or None."""
        name, _, score = metric.partition(".")
        scores = self.metrics.get(name)
        if scores is None:
            return None
        key = score or self.primary[name]
        return (scores[key], self.higher_is_better[name]) if key in scores else None


@dataclass(frozen=True)
class Ranked:
    """A row in a table sorted by one metric: its value there and whether it is near the best."""

    row: LeaderboardRow
    value: float
    low: float | None
    high: float | None
    near_best: bool = False
