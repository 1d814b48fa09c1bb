"""What the multi-document generation strategies share: the generator, the word budget,
fair token shares, and sentence-aligned chunking.

Like the extractive algorithms, each strategy is one module behind one call,
``summarize(cluster) -> str``. Every text a strategy hands the model is measured in the
model's own tokens against ``Generator.room``, so no strategy depends on the model
truncating for it.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from polybrief.core import defaults
from polybrief.core.document import Cluster
from polybrief.core.sentences import split_text

from ..generation import Generator

DOC_SEPARATOR = "\n\n"  # between documents in one input; models trained on news read it as a break


def fair_shares(lengths: list[int], budget: int) -> list[int]:
    """Token shares that fit ``budget``: short documents keep all their tokens, and what they leave
    is split evenly among the longer ones (water-filling), so no document is truncated away."""
    shares = [0] * len(lengths)
    open_docs = [k for k, n in enumerate(lengths) if n > 0]
    remaining = budget
    while open_docs and remaining > 0:
        each = max(1, remaining // len(open_docs))
        for k in sorted(open_docs, key=lambda k: lengths[k]):
            give = min(each, lengths[k] - shares[k], remaining)
            shares[k] += give
            remaining -= give
        open_docs = [k for k in open_docs if shares[k] < lengths[k]]
    return shares


class Strategy(ABC):
    """A way to turn a cluster into one model output under the model's input limit."""

    name: str = "strategy"

    def __init__(self, generator: Generator, words: int | None = defaults.WORDS,
                 instruction: str | None = None) -> None:
        self.generator = generator
        self.words = words
        self.instruction = instruction

    @property
    def room(self) -> int:
        """Tokens of text that fit in one model input."""
        return self.generator.room(self.instruction)

    @abstractmethod
    def summarize(self, cluster: Cluster) -> str:
        """The generated briefing text for ``cluster``."""

    def chunks(self, text: str, language: str | None, limit: int) -> list[str]:
        """``text`` cut at sentence ends into pieces of at most ``limit`` tokens (a longer sentence is cut)."""
        pieces, current, used = [], [], 0
        for sentence in split_text(text, language):
            n = self.generator.count_tokens(sentence) + 1
            if n > limit:
                sentence, n = self.generator.truncate(sentence, limit - 1), limit
            if current and used + n > limit:
                pieces.append(" ".join(current))
                current, used = [], 0
            current.append(sentence)
            used += n
        if current:
            pieces.append(" ".join(current))
        return [p for p in (self.fit(p, limit) for p in pieces) if p]

    def fit(self, text: str, limit: int) -> str:
        """``text`` cut until it measures at most ``limit`` tokens (joining can merge tokens)."""
        while self.generator.count_tokens(text) > limit:
            text = self.generator.truncate(text, limit - (self.generator.count_tokens(text) - limit) - 1)
        return text


__all__ = ["DOC_SEPARATOR", "Strategy", "fair_shares"]
