"""``extract_then_generate``: the extractive selection (``support`` by default) picks the
sentences worth saying, in article order, and the model rewrites them as a briefing.

The extractor sees every document in full, so long clusters lose nothing before the
model; the model only has to fuse and shorten, which small models do far better than
reading a whole cluster.
"""
from __future__ import annotations

from polybrief.core.document import Cluster

from ..algorithms import DEFAULT_METHOD, Budget, SentencePool, get_extractor
from .base import Strategy

SELECTION_SENTENCES = 30


class ExtractThenGenerate(Strategy):
    name = "extract_then_generate"
    extractor_name = DEFAULT_METHOD

    def select(self, cluster: Cluster) -> str:
        """The extracted sentences in reading order, cut to fit the model's input."""
        pool = SentencePool(cluster, None)
        room = self.room
        words = max(20, int(room * 0.7))  # about 1.3 tokens a word for subword vocabularies
        chosen = get_extractor(self.extractor_name).select(pool, Budget(words=words, sentences=SELECTION_SENTENCES))
        chosen.sort(key=lambda i: (pool.sentences[i].relative_position, pool.sentences[i].doc_index))
        kept: list[str] = []
        for i in chosen:
            if self.generator.count_tokens(" ".join(kept + [pool.sentences[i].text])) > room:
                continue
            kept.append(pool.sentences[i].text)
        return self.fit(" ".join(kept), room)

    def summarize(self, cluster: Cluster) -> str:
        return self.generator.generate([self.select(cluster)], self.instruction)[0]


__all__ = ["ExtractThenGenerate", "SELECTION_SENTENCES"]
