"""``map_reduce``: summarise each document (or each chunk of a long one), then summarise the
summaries, in as many rounds as it takes to fit the model's input.

Every input is cut at sentence ends to at most ``room`` tokens before it reaches the
model, so no document is ever truncated by the model and no input ever exceeds its limit.
"""
from __future__ import annotations

from polybrief.core.document import Cluster

from .base import DOC_SEPARATOR, Strategy

MAX_ROUNDS = 8  # each round at least halves the text for any model that summarises at all


class MapReduce(Strategy):
    name = "map_reduce"

    def summarize(self, cluster: Cluster) -> str:
        room = self.room
        pieces = [c for d in cluster.documents for c in self.chunks(d.text, d.language, room)]
        summaries = self.generator.generate(pieces, self.instruction)  # map
        for _ in range(MAX_ROUNDS):  # reduce
            groups = self.group(summaries, room)
            if len(groups) == 1:
                break
            summaries = self.generator.generate(groups, self.instruction)
        else:
            groups = [self.fit(DOC_SEPARATOR.join(summaries), room)]
        return self.generator.generate(groups, self.instruction)[0]

    def group(self, summaries: list[str], room: int) -> list[str]:
        """Consecutive summaries joined into inputs of at most ``room`` tokens each."""
        groups: list[list[str]] = [[]]
        for summary in (self.fit(s, room) for s in summaries if s.strip()):
            if groups[-1] and self.generator.count_tokens(DOC_SEPARATOR.join(groups[-1] + [summary])) > room:
                groups.append([])
            groups[-1].append(summary)
        return [self.fit(DOC_SEPARATOR.join(g), room) for g in groups if g] or [""]


__all__ = ["MAX_ROUNDS", "MapReduce"]
