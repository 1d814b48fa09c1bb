"""The data model: a Document is one article, a Cluster is the articles about one event.

Both keep the raw text beside the cleaned text so nothing the reader gave us is lost.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Document:
    """One news article.

    ``text`` is the cleaned text the algorithms read; ``raw_text`` is exactly what the
    input held. ``language`` is an ISO 639-1 code or ``None`` while unknown.
    """

    doc_id: str
    text: str
    raw_text: str = ""
    title: str | None = None
    language: str | None = None
    source_language: str | None = None
    machine_translated: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    # Set when polybrief translated the article itself: the original stays beside the translation.
    original_text: str | None = None
    translated_by: str | None = None
    sentence_pairs: list[tuple[str, str]] = field(default_factory=list)  # (original, translation)
    unknown_word_rate: float | None = None  # share of words the MT backend could not translate
    date: dt.date | None = None  # when it was published, as stated or (date_from_text) read from its dateline
    date_from_text: bool = False

    @property
    def n_words(self) -> int:
        """Words, counted so that Thai or Chinese (no spaces) is not "2 words" (``core.words``)."""
        from .words import count_words

        return count_words(self.text)


@dataclass
class Cluster:
    """The articles about one event, with optional reference summaries for scoring."""

    cluster_id: str
    documents: list[Document]
    topic: str | None = None
    reference_summaries: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was done to the cluster that a reader should know

    def main_language(self, unknown: str) -> str:
        """The language with the most words (ties: the first in alphabetical order); an article whose
        language is unknown counts as ``unknown``."""
        words: dict[str, int] = {}
        for doc in self.documents:
            words[doc.language or unknown] = words.get(doc.language or unknown, 0) + doc.n_words
        return max(sorted(words), key=words.__getitem__) if words else unknown

    def to_record(self, raw_text: bool = False) -> dict[str, Any]:
        """The one JSON form of a cluster (run folders, ``polybrief cluster`` output, exports), which
        ``polybrief.core.readers.cluster_from_record`` reads back. ``raw_text`` keeps each article as
        the input held it, so a reader cleans it again exactly as the first time."""
        return {"cluster_id": self.cluster_id, "topic": self.topic, "reference_summaries": self.reference_summaries,
                "documents": [{"doc_id": d.doc_id, "title": d.title,
                               "text": (d.raw_text or d.text) if raw_text else d.text, "language": d.language,
                               "source_language": d.source_language, "machine_translated": d.machine_translated,
                               "date": d.date.isoformat() if d.date else None}
                              for d in self.documents]}

    def dates(self) -> list[dt.date]:
        """The distinct known publication dates, earliest first."""
        return sorted({d.date for d in self.documents if d.date})

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        raise KeyError(doc_id)


__all__ = ["Cluster", "Document"]
