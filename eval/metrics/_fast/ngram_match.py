"""Clipped n-gram match counts from exact int64 n-gram keys, for BLEU, chrF and ROUGE-N.

All three need, per order, sum over n-grams of min(hypothesis count, reference count).
With every n-gram of every order encoded as one int64 (order tag in the top bits, ids below:
``key = key * base + id``), one sort per side and one intersection give all orders at once,
instead of one Counter of tuples or slices per order.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

ORDER_SHIFT = 56  # bits 56.. hold the order slot; keys below must stay under 2**56


def fits(base: int, order: int) -> bool:
    """Whether ``order``-grams over an alphabet of ``base`` symbols fit below the tag bits."""
    return order == 0 or max(base, 1) ** order < 2 ** ORDER_SHIFT


def ngram_keys(ids: np.ndarray, base: int, orders: range, slot_offset: int = 0) -> np.ndarray:
    """Keys of all n-grams for n in ``orders`` (consecutive from 1), tagged with slot offset + n - 1."""
    parts = []
    key = ids.astype(np.int64)
    for n in orders:
        if n > 1:
            key = key[:-1] * base + ids[n - 1:]
        parts.append(key + ((slot_offset + n - 1) << ORDER_SHIFT))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def clipped_matches(hyp_keys: np.ndarray, ref_keys: np.ndarray, slots: int) -> np.ndarray:
    """Per slot, sum of min(hyp count, ref count) over shared keys."""
    h_unique, h_count = np.unique(hyp_keys, return_counts=True)
    r_unique, r_count = np.unique(ref_keys, return_counts=True)
    common, hi, ri = np.intersect1d(h_unique, r_unique, assume_unique=True, return_indices=True)
    return np.bincount(common >> ORDER_SHIFT, weights=np.minimum(h_count[hi], r_count[ri]), minlength=slots)


# Whole batches at once (chrF, BLEU): keys carry the segment too, ``(segment, order slot, n-gram)``.
Packing = tuple[int, int]  # (bits for the n-gram code, bits for the order slot); the segment sits above both


def packing(segments: int, base: int, orders: int) -> Packing | None:
    """Bit widths when segment, order slot and any n-gram up to ``orders`` over ``base`` symbols fit
    exactly in one non-negative int64, else None."""
    gram_bits = int(np.ceil(orders * np.log2(max(base, 2))))
    slot_bits = max(1, int(np.ceil(np.log2(orders + 1))))
    seg_bits = max(1, int(np.ceil(np.log2(max(segments, 2)))))
    return (gram_bits, slot_bits) if gram_bits + slot_bits + seg_bits <= 62 else None


def batch_ngrams(flat: np.ndarray, lengths: np.ndarray, base: int, orders: int,
                 bits: Packing) -> tuple[np.ndarray, np.ndarray]:
    """Every segment's distinct n-grams (n = 1..orders) as sorted exact keys ``(segment, order, n-gram)``
    and their counts, from all segments' symbol ids end to end (``flat``) and each one's length;
    windows never cross segments."""
    gram_bits, slot_bits = bits
    flat = flat.astype(np.int64, copy=False)
    starts = np.cumsum(lengths) - lengths
    left = np.repeat(lengths, lengths) - (np.arange(len(flat)) - np.repeat(starts, lengths))  # to segment end
    segment = np.repeat(np.arange(len(lengths), dtype=np.int64) << (slot_bits + gram_bits), lengths)
    packed = []
    key = flat
    for n in range(1, orders + 1):
        if n > 1:
            key = key[:-1] * base + flat[n - 1:]
        valid = left[:len(key)] >= n
        packed.append((segment[:len(key)] + (key + ((n - 1) << gram_bits)))[valid])
    return np.unique(np.concatenate(packed), return_counts=True)


def retag_max(keys: np.ndarray, counts: np.ndarray, segment_of: np.ndarray, bits: Packing) -> tuple[np.ndarray, ...]:
    """Keys moved to other segment numbers (``segment_of[old]``), merged by the largest count: several
    references of one segment as one clipping set (BLEU's max count over references)."""
    if np.array_equal(segment_of, np.arange(len(segment_of))):
        return keys, counts  # one reference per segment: nothing moves
    shift = sum(bits)
    moved = (segment_of[keys >> shift] << shift) | (keys & ((1 << shift) - 1))
    order = np.argsort(moved, kind="stable")
    moved, counts = moved[order], counts[order]
    starts = np.flatnonzero(np.r_[True, moved[1:] != moved[:-1]]) if len(moved) else np.zeros(0, dtype=np.int64)
    return moved[starts], (np.maximum.reduceat(counts, starts) if len(moved) else counts)


def lookup_matches(hyp: tuple[np.ndarray, np.ndarray], ref: tuple[np.ndarray, np.ndarray], ref_of_hyp: np.ndarray,
                   bits: Packing, orders: int, segments: int) -> np.ndarray:
    """(segments, orders): per hypothesis segment and order, the sum over its n-grams of min(its count, the
    count in reference segment ``ref_of_hyp[segment]``). A reference side shared by many hypotheses (every
    system scored on one test set) is counted once and looked up, not intersected once per hypothesis."""
    (h_keys, h_counts), (r_keys, r_counts) = hyp, ref
    gram_bits, slot_bits = bits
    shift = gram_bits + slot_bits
    if not len(r_keys):
        return np.zeros((segments, orders))
    # keys are sorted by segment: each segment's run moves to its reference's number in one addition
    bounds = np.searchsorted(h_keys, np.arange(segments + 1, dtype=np.int64) << shift)
    wanted = h_keys + np.repeat((ref_of_hyp - np.arange(segments, dtype=np.int64)) << shift, np.diff(bounds))
    at = np.searchsorted(r_keys, wanted)
    at[at == len(r_keys)] = 0
    found = np.flatnonzero(r_keys[at] == wanted)
    clipped = np.minimum(h_counts[found], r_counts[at[found]])
    cell = h_keys[found] >> gram_bits  # (segment << slot_bits) + order slot
    matches = np.bincount(cell, weights=clipped, minlength=segments << slot_bits)
    return matches.reshape(segments, 1 << slot_bits)[:, :orders]


def distinct(values: Iterable[K]) -> tuple[list[K], np.ndarray]:
    """The distinct values in first-seen order and each input's index among them."""
    index: dict[K, int] = {}
    where = np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)
    return list(index), where


def in_fitting_batches(size: int, batch: Callable[[slice], np.ndarray | None],
                       per_segment: Callable[[slice], np.ndarray], min_batch: int = 16,  # smaller: not worth halving
                       part: slice | None = None) -> np.ndarray:
    """Statistics of segments ``0..size`` from ``batch(part)``; where a batch's keys do not fit in an int64
    (None), each half the same way (fewer segments, a smaller alphabet: halves fit sooner), and below
    ``min_batch`` segments ``per_segment(part)``."""
    part = part or slice(0, size)
    out = batch(part)
    if out is not None:
        return out
    if part.stop - part.start < min_batch:
        return per_segment(part)
    middle = (part.start + part.stop) // 2
    return np.vstack([in_fitting_batches(size, batch, per_segment, min_batch, slice(part.start, middle)),
                      in_fitting_batches(size, batch, per_segment, min_batch, slice(middle, part.stop))])


class BoundedMemo(Generic[T]):
    """``make(text)`` remembered per text, forgotten all at once past ``limit`` texts: references recur
    across every system of a run, and a worker scoring batch after batch stays flat in memory."""

    def __init__(self, make: Callable[[str], T], limit: int = 50_000) -> None:
        self.make, self.limit = make, limit
        self._memo: dict[str, T] = {}

    def __call__(self, text: str) -> T:
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) > self.limit:
                self._memo.clear()
            found = self._memo[text] = self.make(text)
        return found
