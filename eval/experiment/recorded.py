"""The statistics predictions.jsonl holds, kept in memory as the run reads and writes it, so that
scoring does not parse the whole file a second time (on a WMT pair that re-read was a tenth of the run).

Per batch of records: the (system, item id) pairs in file order and, per metric, one float matrix with
a NaN row where a record has no statistics for that metric: about as compact as the final matrices.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .runlog import read_records


class Recorded:
    """Every prediction's (system, item id) and statistics rows, in the order of predictions.jsonl."""

    def __init__(self, key: str) -> None:
        self.key = key  # the item id field: cluster_id or seg_id
        self.pairs: list[tuple[str, str]] = []
        self._chunks: dict[str, list[tuple[int, np.ndarray]]] = {}  # metric -> (first position, matrix)
        self.failed: dict[str, list[str]] = {}  # system -> the error of each item it could not make

    def failures(self) -> tuple[list[str], dict[str, list[str]]]:
        """(systems that failed on every item, systems that failed on some), so a run never scores an
        empty output as a system's work, nor loses a partial failure in silence."""
        made: dict[str, int] = {}
        for system, _ in self.pairs:
            made[system] = made.get(system, 0) + 1
        whole = sorted(s for s, errors in self.failed.items() if len(errors) >= made.get(s, 0))
        return whole, {s: e for s, e in self.failed.items() if s not in whole}

    @classmethod
    def from_file(cls, path: Any, key: str, chunk: int = 4096) -> Recorded:
        """What an existing predictions.jsonl already holds (an interrupted run's work)."""
        recorded, pending = cls(key), []
        for record in read_records(path):
            pending.append(record)
            if len(pending) >= chunk:
                recorded.add(pending)
                pending = []
        recorded.add(pending)
        return recorded

    def add(self, records: Iterable[dict[str, Any]]) -> None:
        records = list(records)
        first = len(self.pairs)
        self.pairs.extend((r["system"], r[self.key]) for r in records)
        for r in records:
            if r.get("error"):
                self.failed.setdefault(r["system"], []).append(str(r["error"]))
        widths: dict[str, int] = {}
        for r in records:
            for name, row in r.get("stats", {}).items():
                widths.setdefault(name, len(row))
        for name, width in widths.items():
            missing = [float("nan")] * width
            rows = [r["stats"].get(name, missing) if "stats" in r else missing for r in records]
            self._chunks.setdefault(name, []).append((first, np.array(rows, dtype=np.float64)))

    def chunks(self, metric: str) -> Iterator[tuple[list[tuple[str, str]], np.ndarray]]:
        """Per batch: its (system, item id) pairs and its statistics on ``metric`` (NaN rows: not scored)."""
        for first, matrix in self._chunks.get(metric, []):
            yield self.pairs[first:first + len(matrix)], matrix


__all__ = ["Recorded"]
