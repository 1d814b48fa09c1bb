"""The translation interface every backend implements, and the segmenting they share.

Backends translate *segments* (sentences), never whole articles: every MT system
degrades on long inputs, and sentence pairs give an alignment that lets a briefing
quote an article's original sentence instead of a round trip through another language.
Paragraph structure is kept: a document is split into paragraphs (lines), paragraphs
into sentences, and the translations are put back in the same places.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from polybrief.core.sentences import split_sentences


@dataclass
class Translation:
    """A translated document: its text, and the (original, translated) sentence pairs."""

    text: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    unknown_words: int = 0  # words the backend could not translate (Apertium marks them)
    words: int = 0

    @property
    def unknown_rate(self) -> float:
        return self.unknown_words / self.words if self.words else 0.0


class Translator(ABC):
    """A machine translation backend: translates batches of sentences between two languages."""

    name: str = "translator"

    @abstractmethod
    def supports(self, source: str, target: str) -> bool:
        """Whether this backend can translate from ``source`` to ``target`` (ISO 639-1 codes)."""

    @abstractmethod
    def check_pair(self, source: str, target: str) -> None:
        """Raise a PolybriefError saying what to install when the pair is not supported."""

    @abstractmethod
    def translate_segments(self, segments: list[str], source: str, target: str) -> list[str]:
        """One translation per segment, in order."""

    def count_unknown(self, translated: str) -> int:
        """Words the backend left untranslated in ``translated`` (0 when it cannot tell)."""
        return 0

    def translate_document(self, text: str, source: str, target: str) -> Translation:
        """Translate ``text`` sentence by sentence, keeping its paragraphs (lines) as they were."""
        return self.translate_documents([text], source, target)[0]

    def translate_documents(self, texts: list[str], source: str, target: str) -> list[Translation]:
        """translate_document for each text, with one call to the backend for all their sentences."""
        self.check_pair(source, target)
        split = [[split_sentences(p, source) for p in text.split("\n")] for text in texts]
        flat = [s for doc in split for group in doc for s in group]
        translated = self.translate_segments(flat, source, target) if flat else []
        out, k = [], 0
        for doc in split:
            size = sum(len(group) for group in doc)
            out.append(self._assemble(doc, translated[k:k + size]))
            k += size
        return out

    def _assemble(self, sentences: list[list[str]], translated: list[str]) -> Translation:
        """A document's translation from its sentences (grouped by paragraph) and theirs, in order."""
        unknown = sum(self.count_unknown(t) for t in translated)
        cleaned = [self.clean(t) for t in translated]
        out, k = [], 0
        for group in sentences:
            out.append(" ".join(cleaned[k:k + len(group)]))
            k += len(group)
        flat = [s for group in sentences for s in group]
        return Translation("\n".join(out), list(zip(flat, cleaned)), unknown, sum(len(t.split()) for t in cleaned))

    def translate_texts(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate short texts (briefing sentences) one segment each."""
        self.check_pair(source, target)
        return [self.clean(t) for t in self.translate_segments(texts, source, target)] if texts else []

    def clean(self, translated: str) -> str:
        """Backend marks removed from a translation (none by default)."""
        return translated


__all__ = ["Translation", "Translator"]
