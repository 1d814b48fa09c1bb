"""Clipped n-gram match counts from exact int64 n-gram keys, for chrF and ROUGE-N.

Both metrics need, per order, sum over n-grams of min(hypothesis count, reference count).
With every n-gram of every order encoded as one int64 (order tag in the top bits, ids below:
``key = key * base + id``), one sort per side and one intersection give all orders at once,
instead of one Counter of tuples or slices per order.
"""
from __future__ import annotations

import numpy as np

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
