"""Longest common subsequences for many token-id pairs at once, in numpy.

rouge-score fills one Python-list DP table per pair, which makes ROUGE-L/Lsum the slow
part of scoring a corpus. Here the pairs are bucketed by length, left-padded with ids that
never match, and the DP runs row by row for a whole bucket: with ``U = max(T[i-1][j],
T[i-1][j-1] + match)`` each row is ``T[i] = cummax(U)``. The read-out walks all tables of
a bucket in lock-step with rouge-score's tie-breaking, so the LCS chosen is the same one
(tested for parity against rouge-score).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import numpy as np

MAX_CELLS = 8_000_000  # DP cells per bucket pass: bounds memory at ~16 MB of int16


def _buckets(pairs: Sequence[tuple[Sequence[int], Sequence[int]]]) -> dict[tuple[int, int], list[int]]:
    """Pair indices grouped by (ref length, candidate length) rounded up to a multiple of 8."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, (ref, can) in enumerate(pairs):
        if ref and can:
            groups[(-(-len(ref) // 8) * 8, -(-len(can) // 8) * 8)].append(k)
    return groups


def _padded(seqs: list[Sequence[int]], width: int, pad: int) -> np.ndarray:
    out = np.full((len(seqs), width), pad, dtype=np.int64)
    for row, seq in enumerate(seqs):
        if seq:
            out[row, width - len(seq):] = seq
    return out


def _tables(ref: np.ndarray, can: np.ndarray) -> np.ndarray:
    """DP tables (pairs, m + 1, n + 1) for left-padded id arrays."""
    p, m = ref.shape
    n = can.shape[1]
    table = np.zeros((p, m + 1, n + 1), dtype=np.int16)
    for i in range(1, m + 1):
        match = ref[:, i - 1:i] == can
        upper = np.maximum(table[:, i - 1, 1:], table[:, i - 1, :-1] + match)
        table[:, i, 1:] = np.maximum.accumulate(upper, axis=1)
    return table


def lcs_lengths(pairs: Sequence[tuple[Sequence[int], Sequence[int]]]) -> np.ndarray:
    """Length of the LCS of every (ref, candidate) pair of id sequences."""
    out = np.zeros(len(pairs), dtype=np.int64)
    for (m, n), members in _buckets(pairs).items():
        step = max(1, MAX_CELLS // ((m + 1) * (n + 1)))
        for start in range(0, len(members), step):
            chunk = members[start:start + step]
            table = _tables(_padded([pairs[k][0] for k in chunk], m, -1),
                            _padded([pairs[k][1] for k in chunk], n, -2))
            out[chunk] = table[:, m, n]
    return out


def lcs_ref_positions(pairs: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[np.ndarray]:
    """For every pair, a boolean mask over the reference marking the tokens of rouge-score's LCS."""
    masks = [np.zeros(len(ref), dtype=bool) for ref, _ in pairs]
    for (m, n), members in _buckets(pairs).items():
        step = max(1, MAX_CELLS // ((m + 1) * (n + 1)))
        for start in range(0, len(members), step):
            chunk = members[start:start + step]
            ref = _padded([pairs[k][0] for k in chunk], m, -1)
            can = _padded([pairs[k][1] for k in chunk], n, -2)
            in_lcs = _backtrack(_tables(ref, can), ref, can)
            for row, k in enumerate(chunk):
                masks[k] = in_lcs[row, m - len(pairs[k][0]):]
    return masks


def _backtrack(table: np.ndarray, ref: np.ndarray, can: np.ndarray) -> np.ndarray:
    """rouge-score's ``_backtrack_norec`` on every table at once; returns ref positions used."""
    p, m = ref.shape
    n = can.shape[1]
    rows = np.arange(p)
    i = np.full(p, m)
    j = np.full(p, n)
    in_lcs = np.zeros((p, m), dtype=bool)
    active = (i > 0) & (j > 0)
    while active.any():
        a = rows[active]
        ia, ja = i[active], j[active]
        match = ref[a, ia - 1] == can[a, ja - 1]
        left = table[a, ia, ja - 1] > table[a, ia - 1, ja]
        in_lcs[a[match], ia[match] - 1] = True
        i[a] = np.where(match | ~left, ia - 1, ia)
        j[a] = np.where(match | left, ja - 1, ja)
        active = (i > 0) & (j > 0)
    return in_lcs
