"""Centroid: sentences closest to the mean embedding of the cluster (Radev et al., 2004,
with sentence embeddings in place of TF-IDF centroids)."""
from __future__ import annotations

import numpy as np

from .base import Extractor, SentencePool, stable_argsort_desc


class Centroid(Extractor):
    name = "centroid"
    reads_vectors = True

    def rank(self, pool: SentencePool) -> list[int]:
        vectors = pool.embeddings
        centroid = vectors.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        return stable_argsort_desc(vectors @ centroid)


__all__ = ["Centroid"]
