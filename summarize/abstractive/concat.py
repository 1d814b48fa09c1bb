"""``concat``: all documents in one input, separated, with the token budget shared fairly.

Plain concatenation truncates the last documents away when the cluster is longer than the
model's input; here every document gets a share of the budget (short ones all they need,
the rest split evenly), so every source is heard. Each share keeps a document's opening,
where news puts what matters.
"""
from __future__ import annotations

from polybrief.core.document import Cluster

from .base import DOC_SEPARATOR, Strategy, fair_shares


class Concat(Strategy):
    name = "concat"

    def build_input(self, cluster: Cluster) -> tuple[str, list[int]]:
        """The model input and the token share each document got."""
        separators = self.generator.count_tokens(DOC_SEPARATOR) * (len(cluster.documents) - 1)
        budget = max(len(cluster.documents), self.room - separators)
        lengths = [self.generator.count_tokens(d.text) for d in cluster.documents]
        shares = fair_shares(lengths, budget)
        parts = [self.generator.truncate(d.text, n) for d, n in zip(cluster.documents, shares) if n > 0]
        return self.fit(DOC_SEPARATOR.join(parts), self.room), shares

    def summarize(self, cluster: Cluster) -> str:
        text, _ = self.build_input(cluster)
        return self.generator.generate([text], self.instruction)[0]


__all__ = ["Concat"]
