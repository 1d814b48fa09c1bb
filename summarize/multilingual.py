"""Clusters in several languages: translate what is not in the briefing language before
selection, and translate a finished briefing into the reader's language after it.

Selection runs in one working language (English by default: its stemmer, stop words and
encoders are the strongest), so every article competes on equal terms. A translated
article keeps its original beside the translation, is marked machine-translated, and
keeps the sentence alignment, which lets a briefing written in the original's language
quote the original sentence instead of a round trip through English.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from polybrief.core.document import Cluster, Document
from polybrief.core.errors import PolybriefError

from .briefing import Briefing
from .figures.record import FigureRecord
from .figures.wording import localized_lines, spans_years
from .translate import Translator

log = logging.getLogger(__name__)


def translate_document(doc: Document, target: str, translator: Translator) -> Document:
    """``doc`` in ``target``, marked machine-translated, with its original text kept."""
    source = doc.language or "?"
    result = translator.translate_document(doc.text, source, target)
    title = translator.translate_texts([doc.title], source, target)[0] if doc.title else None
    return replace(doc, text=result.text, title=title, language=target, source_language=source, machine_translated=True,
                   original_text=doc.text, translated_by=translator.name, sentence_pairs=result.pairs,
                   unknown_word_rate=result.unknown_rate)


def prepare_cluster(cluster: Cluster, language: str, translator: Translator | None) -> Cluster:
    """A copy of ``cluster`` with every article in ``language``.

    Articles whose language cannot be identified, or that the backend has no pair for, are
    kept as they are, with a note (short or mixed texts defeat language id, and dropping
    them would lose news; a cluster all in one such language still gets a briefing, in its
    own language). Without a translator, articles in other languages are left out, with a note.
    """
    documents, notes = [], list(cluster.notes)
    for doc in cluster.documents:
        if doc.language is None:
            notes.append(f"the language of {doc.doc_id} could not be identified; it is used as it is")
            documents.append(doc)
        elif doc.language == language:
            documents.append(doc)
        elif translator is None:
            notes.append(f"{doc.doc_id} is in {doc.language} and translation is off; it was left out")
        elif not translator.supports(doc.language, language):
            log.warning("%s: %s has no %s->%s pair; the article is used untranslated", doc.doc_id,
                        translator.name, doc.language, language)
            notes.append(f"{doc.doc_id} is in {doc.language}, which {translator.name} cannot translate into "
                         f"{language}; it is used as it is")
            documents.append(doc)
        else:
            documents.append(translate_document(doc, language, translator))
            notes.append(f"{doc.doc_id} was machine-translated from {doc.language} by {translator.name}")
    if not documents:
        raise PolybriefError(f"cluster {cluster.cluster_id}: no article in {language} and translation is off")
    return replace(cluster, documents=documents, notes=notes)


def _original_sentence(doc: Document | None, text: str, language: str) -> str | None:
    """The original sentence behind ``text`` when ``doc`` was translated from ``language``."""
    if doc is None or doc.source_language != language:
        return None
    key = " ".join(text.split())
    for original, translated in doc.sentence_pairs:
        if " ".join(translated.split()) == key:
            return original
    return None


def translate_briefing(briefing: Briefing, cluster: Cluster, target: str, translator: Translator) -> Briefing:
    """``briefing`` in ``target``: sentences quoted from an article originally in ``target`` use its
    original wording; the rest are machine-translated. A note says which is which."""
    source = briefing.language  # what selection ran in, not whichever article happens to come first
    if source == target:
        return briefing
    items = [briefing.headline] + briefing.bullets
    by_id = {d.doc_id: d for d in cluster.documents}
    originals = [_original_sentence(by_id.get(i.doc_id), i.text, target) for i in items]
    todo = [k for k, o in enumerate(originals) if o is None]
    translated = translator.translate_texts([items[k].text for k in todo], source, target) if todo else []
    texts = list(originals)
    for k, text in zip(todo, translated):
        texts[k] = text
    new_items = [replace(i, text=str(t)) for t, i in zip(texts, items)]
    notes = list(briefing.notes)
    if todo:
        notes.append(f"written in {source} and machine-translated into {target} by {translator.name} after "
                     f"selection ({len(todo)} of {len(items)} sentences)")
    if len(todo) < len(items):
        notes.append(f"{len(items) - len(todo)} sentence(s) quoted in their original {target} wording")
    return replace(briefing, headline=new_items[0], bullets=new_items[1:], notes=notes, language=target,
                   figures=localized_figures(briefing, cluster, target))


def localized_figures(briefing: Briefing, cluster: Cluster, target: str) -> list[FigureRecord]:
    """The figure records with their printed lines said in ``target`` from templates (a translator
    may drop a hedge or garble a number, and these lines are claims)."""
    span_years = spans_years(cluster)
    return [replace(record, **localized_lines(record, span_years, target)) for record in briefing.figures]


__all__ = ["localized_figures", "prepare_cluster", "translate_briefing", "translate_document"]
