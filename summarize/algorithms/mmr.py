"""Maximal Marginal Relevance (Carbonell & Goldstein, 1998) across documents: each step
takes the sentence most similar to the cluster centroid and least similar to what was
already taken, in embedding space."""
from __future__ import annotations

import numpy as np

from .base import Extractor, SentencePool


class MMR(Extractor):
    name = "mmr"
    reads_vectors = True

    def __init__(self, diversity: float = 0.3) -> None:
        if not 0.0 <= diversity <= 1.0:
            raise ValueError("diversity must lie in [0, 1]")
        self.diversity = diversity

    def rank(self, pool: SentencePool) -> list[int]:
        vectors = pool.embeddings
        centroid = vectors.mean(axis=0)
        relevance = vectors @ (centroid / max(float(np.linalg.norm(centroid)), 1e-12))
        similarity = vectors @ vectors.T
        redundancy = np.full(len(pool), -np.inf)
        remaining = np.ones(len(pool), dtype=bool)
        order: list[int] = []
        for _ in range(len(pool)):
            penalty = np.where(np.isfinite(redundancy), redundancy, 0.0)
            score = (1 - self.diversity) * relevance - self.diversity * penalty
            score[~remaining] = -np.inf
            best = int(np.argmax(score))  # argmax takes the first maximum: deterministic
            order.append(best)
            remaining[best] = False
            redundancy = np.maximum(redundancy, similarity[best])
        return order


__all__ = ["MMR"]
