"""Continuous LexRank (Erkan & Radev, 2004): PageRank over the TF-IDF cosine graph of the
cluster's sentences, computed with dense power iteration (clusters are small)."""
from __future__ import annotations

import numpy as np

from .base import Extractor, SentencePool, stable_argsort_desc


def stationary_distribution(weights: np.ndarray, damping: float = 0.85, tol: float = 1e-8,
                            max_iter: int = 200) -> np.ndarray:
    """PageRank scores of a weighted graph (rows need not be normalised)."""
    n = weights.shape[0]
    row_sums = weights.sum(axis=1, keepdims=True)
    transition = np.where(row_sums > 0, weights / np.where(row_sums > 0, row_sums, 1), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        updated = (1 - damping) / n + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < tol:
            return updated
        scores = updated
    return scores


class LexRank(Extractor):
    name = "lexrank"

    def __init__(self, threshold: float = 0.1, damping: float = 0.85) -> None:
        self.threshold, self.damping = threshold, damping

    def rank(self, pool: SentencePool) -> list[int]:
        similarity = pool.tfidf_similarity.copy()
        similarity[similarity < self.threshold] = 0.0
        np.fill_diagonal(similarity, 0.0)  # self-loops would let isolated sentences keep their mass
        return stable_argsort_desc(stationary_distribution(similarity, self.damping))


__all__ = ["LexRank", "stationary_distribution"]
