"""Longest common subsequences for many token-id sequence pairs at once, in numpy.

rouge-score fills one Python-list DP table per pair, which makes ROUGE-L/Lsum the slow
part of scoring a corpus. Here sequences live in one flat id array with offsets; pairs
are bucketed by length, left-padded with ids that never match, and the DP runs row by row
for a whole bucket: with ``U = max(T[i-1][j], T[i-1][j-1] + match)`` each row is
``T[i] = cummax(U)``. The read-out walks all tables of a bucket in lock-step with
rouge-score's tie-breaking (``_backtrack_norec``), so the LCS chosen is the same one
(tested for parity against rouge-score).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

MAX_CELLS = 6_000_000  # DP cells per bucket pass: bounds memory to tens of MB
GRANULARITY = 8  # bucket lengths are rounded up to a multiple of this


@dataclass
class Sequences:
    """Many id sequences in one flat array: sequence k is ``ids[starts[k]:starts[k] + lengths[k]]``."""

    ids: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def from_lists(cls, seqs: Sequence[Sequence[int]]) -> Sequences:
        lengths = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        flat = np.fromiter((t for s in seqs for t in s), dtype=np.int64, count=int(lengths.sum()))
        return cls(flat, starts, lengths)

    def padded(self, which: np.ndarray, width: int, pad: int) -> np.ndarray:
        """Sequences ``which`` as rows of a (len(which), width) array, left-padded with ``pad``."""
        lengths = self.lengths[which]
        out = np.full((len(which), width), pad, dtype=np.int64)
        rows = np.repeat(np.arange(len(which)), lengths)
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        out[rows, width - lengths[rows] + within] = self.ids[np.repeat(self.starts[which], lengths) + within]
        return out


def _chunks(ref: Sequences, can: Sequences, pair_ref: np.ndarray, pair_can: np.ndarray
            ) -> Iterator[tuple[np.ndarray, int, int]]:
    """(pair indices, padded ref width, padded candidate width) for buckets of similar shape."""
    m = -(-ref.lengths[pair_ref] // GRANULARITY) * GRANULARITY
    n = -(-can.lengths[pair_can] // GRANULARITY) * GRANULARITY
    usable = (ref.lengths[pair_ref] > 0) & (can.lengths[pair_can] > 0)
    shape_key = m * 1_000_003 + n
    order = np.argsort(np.where(usable, shape_key, -1), kind="stable")
    order = order[usable[order]]
    keys = shape_key[order]
    bounds = np.flatnonzero(np.diff(keys)) + 1
    for group in np.split(order, bounds):
        if not len(group):
            continue
        width_m, width_n = int(m[group[0]]), int(n[group[0]])
        step = max(1, MAX_CELLS // ((width_m + 1) * (width_n + 1)))
        for start in range(0, len(group), step):
            yield group[start:start + step], width_m, width_n


def _tables(ref: np.ndarray, can: np.ndarray) -> np.ndarray:
    """DP tables (pairs, m + 1, n + 1) for left-padded id arrays."""
    p, m = ref.shape
    n = can.shape[1]
    dtype = np.uint8 if min(m, n) < 255 else np.int32
    table = np.zeros((p, m + 1, n + 1), dtype=dtype)
    for i in range(1, m + 1):
        upper = np.maximum(table[:, i - 1, 1:], table[:, i - 1, :-1] + (ref[:, i - 1:i] == can))
        np.maximum.accumulate(upper, axis=1, out=table[:, i, 1:])
    return table


def lcs_lengths(ref: Sequences, can: Sequences, pair_ref: np.ndarray, pair_can: np.ndarray) -> np.ndarray:
    """LCS length of ref sequence ``pair_ref[k]`` and candidate ``pair_can[k]`` for every k."""
    out = np.zeros(len(pair_ref), dtype=np.int64)
    for chunk, m, n in _chunks(ref, can, pair_ref, pair_can):
        table = _tables(ref.padded(pair_ref[chunk], m, -1), can.padded(pair_can[chunk], n, -2))
        out[chunk] = table[:, m, n]
    return out


def lcs_union(ref: Sequences, can: Sequences, pair_ref: np.ndarray, pair_can: np.ndarray) -> np.ndarray:
    """Flat positions in ``ref.ids`` that lie on rouge-score's LCS of at least one pair."""
    on_lcs = np.zeros(len(ref.ids), dtype=bool)
    for chunk, m, n in _chunks(ref, can, pair_ref, pair_can):
        ref_rows = ref.padded(pair_ref[chunk], m, -1)
        can_rows = can.padded(pair_can[chunk], n, -2)
        rows, cols = _backtrack(_tables(ref_rows, can_rows), ref_rows, can_rows)
        which = pair_ref[chunk][rows]
        on_lcs[ref.starts[which] + cols - (m - ref.lengths[which])] = True
    return np.flatnonzero(on_lcs)


def _backtrack(table: np.ndarray, ref: np.ndarray, can: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rouge-score's ``_backtrack_norec`` on every table at once: (table row, ref column) of LCS tokens."""
    p, m = ref.shape
    n = can.shape[1]
    active = np.arange(p)
    i = np.full(p, m)
    j = np.full(p, n)
    found_rows, found_cols = [], []
    while len(active):
        ia, ja = i[active], j[active]
        match = ref[active, ia - 1] == can[active, ja - 1]
        left = table[active, ia, ja - 1] > table[active, ia - 1, ja]
        found_rows.append(active[match])
        found_cols.append(ia[match] - 1)
        i[active] = np.where(match | ~left, ia - 1, ia)
        j[active] = np.where(match | left, ja - 1, ja)
        ia, ja = i[active], j[active]
        # a table cell of 0 means no match remains up-left of it: that walk is over
        active = active[(ia > 0) & (ja > 0) & (table[active, ia, ja] > 0)]
    if not found_rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_rows), np.concatenate(found_cols)
