"""The data model: a Document is one article, a Cluster is the articles about one event.

Both keep the raw text beside the cleaned text so nothing the reader gave us is lost.
"""
from __future__ import annotations

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

    @property
    def n_words(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "language": self.language,
            "source_language": self.source_language,
            "machine_translated": self.machine_translated,
            "text": self.text,
            "raw_text": self.raw_text,
            "meta": self.meta,
            "original_text": self.original_text,
            "translated_by": self.translated_by,
        }


@dataclass
class Cluster:
    """The articles about one event, with optional reference summaries for scoring."""

    cluster_id: str
    documents: list[Document]
    topic: str | None = None
    reference_summaries: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was done to the cluster that a reader should know

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        raise KeyError(doc_id)
