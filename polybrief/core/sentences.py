"""Sentence units of a cluster: splitting (sentencex, offline, rule-based, per language)
and the facts about each sentence that the briefing algorithms need.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment

from .cleaning import ends_sentence
from .document import Cluster
from .words import count_word_tokens, count_words, split_at_spaces, unpunctuated_prose

MIN_WORDS = 5  # shorter units are fragments, bylines or datelines, never briefing material
MAX_WORDS = 80  # longer units are run-on lists or splitting failures
_INITIALISM_END = re.compile(r"(?:^|[\s(])(?:\w\.){2,}$")  # 'p.m.', 'a.m.', 'e.g.', 'U.S.' closing a piece


def split_sentences(text: str, language: str | None = "en") -> list[str]:
    """Split one paragraph into sentences with sentencex's rules for ``language``."""
    text = text.strip()
    if not text:
        return []
    sentences = rejoin_initialisms([s.strip() for s in segment(language or "en", text) if s.strip()])
    return [part for s in sentences  # Thai and Lao end a sentence with a space, which sentencex keeps
            for part in (split_at_spaces(s, MIN_WORDS) if unpunctuated_prose(s, MIN_WORDS) else [s])]


def rejoin_initialisms(pieces: list[str]) -> list[str]:
    """sentencex's pieces, with a piece that starts in lower case after one ending in an initialism put back:
    its rules for a language lack initialisms of another (Spanish from Apertium keeps '10 p.m. en ...'), and
    the cut made a briefing quote half a sentence."""
    out: list[str] = []
    for piece in pieces:
        if out and piece[:1].islower() and _INITIALISM_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def split_text(text: str, language: str | None = "en") -> list[str]:
    """Every sentence of a text, paragraph (line) by paragraph: no sentence spans a line break."""
    return [s for paragraph in text.split("\n") for s in split_sentences(paragraph, language)]


@dataclass(frozen=True)
class Sentence:
    """One sentence of one document, with its place in the document."""

    doc_index: int
    doc_id: str
    position: int  # 0-based index among the document's sentences
    n_in_doc: int
    text: str
    is_heading: bool

    @property
    def n_words(self) -> int:
        return count_words(self.text)

    @property
    def relative_position(self) -> float:
        return self.position / max(1, self.n_in_doc)

    @property
    def is_candidate(self) -> bool:
        """Whether the sentence may appear in a briefing (prose of a sensible length)."""
        return not self.is_heading and MIN_WORDS <= count_word_tokens(self.text) <= MAX_WORDS


def cluster_sentences(cluster: Cluster) -> list[Sentence]:
    """All sentences of a cluster, document by document, headings marked."""
    out: list[Sentence] = []
    for d, doc in enumerate(cluster.documents):
        pieces: list[tuple[str, bool]] = []
        for para in doc.text.split("\n"):
            prose = ends_sentence(para) or unpunctuated_prose(para, MIN_WORDS)
            heading = not prose or para.strip('"') == (doc.title or "")
            if heading:
                pieces.append((para, True))
                continue
            pieces.extend((s, False) for s in split_sentences(para, doc.language))
        out.extend(Sentence(d, doc.doc_id, i, len(pieces), text, heading)
                   for i, (text, heading) in enumerate(pieces))
    return out


__all__ = ["MAX_WORDS", "MIN_WORDS", "Sentence", "cluster_sentences", "rejoin_initialisms", "split_sentences",
           "split_text"]
