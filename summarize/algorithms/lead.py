"""Lead: the first sentence of every article, then the second of every article, and so on.

Round-robin over documents is the multi-document form of the lead baseline: news puts
the most important facts first, and each article gets a say.
"""
from __future__ import annotations

import numpy as np

from .base import Extractor, SentencePool


class Lead(Extractor):
    name = "lead"

    def rank(self, pool: SentencePool) -> list[int]:
        rank_in_doc = np.zeros(len(pool), dtype=np.int64)
        for d in np.unique(pool.doc_index):
            members = np.flatnonzero(pool.doc_index == d)
            rank_in_doc[members] = np.arange(len(members))
        return [int(i) for i in np.lexsort((pool.doc_index, rank_in_doc))]


__all__ = ["Lead"]
