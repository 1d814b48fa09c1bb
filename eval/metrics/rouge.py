"""ROUGE-1/2/L/Lsum with precision, recall and F, for any language.

Scores equal Google's rouge-score on English (tested to 1e-9); the differences elsewhere are
the tokeniser's (see ``eval.metrics._fast.rouge_tokenize``). With several references each ROUGE type takes
the reference with the best F, as rouge-score's ``score_multi`` does. ROUGE-Lsum treats
newlines as sentence boundaries. Own code rather than rouge-score for two reasons: its
ASCII-only tokeniser, and speed (LCS tables in numpy, ``eval.metrics._fast.lcs``).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from ._fast.lcs import Sequences, lcs_lengths, lcs_union
from ._fast.ngram_match import clipped_matches, ngram_keys
from ._fast.rouge_tokenize import tokenize, word_stemmer
from .base import MeanMetric, Segments, fmeasure

log = logging.getLogger(__name__)
TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
CACHE_LINES = 200_000  # token cache bound: a long-lived metric (a worker scoring batch after batch) stays flat


def _prf(hits: np.ndarray, ref_len: np.ndarray, hyp_len: np.ndarray) -> np.ndarray:
    precision = hits / np.maximum(hyp_len, 1)
    recall = hits / np.maximum(ref_len, 1)
    return np.stack([precision, recall, fmeasure(precision, recall)], axis=1)


class Rouge(MeanMetric):
    """ROUGE-1/2/L/Lsum (Lin, 2004), precision, recall and F. On English with ``tokenizer="rouge-score"``
    it equals google-research rouge-score (Porter stemming, tests/test_rouge.py); the default
    Unicode tokenizer keeps non-Latin scripts (Snowball stemming, Chinese/Japanese/Thai by
    character). With several references a segment takes the reference with the best F.
    ROUGE-Lsum reads newlines as sentence breaks.

    Args:
        language: language of the texts (tokenizer, stemmer).
        stem: stem words before matching.
        tokenizer: "unicode" (default) or "rouge-score" (its ASCII-only tokenizer).
        types: which of rouge1, rouge2, rougeL, rougeLsum.

    Scores: ``rouge1_p`` ... ``rougeLsum_f`` (0-1); primary ``rouge2_f``.

    Example:
        >>> rouge = get_metric("rouge")
        >>> stats = rouge.segment_stats(Segments(["the cat sat on the mat"], [["the cat is on the mat"]]))
        >>> rouge.corpus_scores(stats)["rouge2_f"]
        0.6
    """

    citation = ('Chin-Yew Lin. 2004. ROUGE: A Package for Automatic Evaluation of Summaries. '
                'https://aclanthology.org/W04-1013')
    name = "rouge"

    def __init__(self, language: str = "en", stem: bool = True, tokenizer: str = "unicode",
                 types: Sequence[str] = TYPES) -> None:
        if tokenizer not in ("unicode", "rouge-score"):
            raise ValueError("tokenizer must be 'unicode' or 'rouge-score'")
        unknown = [t for t in types if t not in TYPES]
        if unknown or not types:
            raise ValueError(f"ROUGE types must be among {', '.join(TYPES)}")
        self.types = tuple(t for t in TYPES if t in types)
        self.score_names = tuple(f"{t}_{m}" for t in self.types for m in "prf")
        self.primary = "rouge2_f" if "rouge2" in self.types else f"{self.types[0]}_f"
        self.language, self.stem, self.tokenizer = language, stem, tokenizer
        if stem and word_stemmer(language) is None:
            log.warning("no stemmer for language %r: ROUGE is computed without stemming", language)
        self._ids: dict[str, int] = {}
        self._token_cache: dict[str, list[int]] = {}

    def signature(self) -> str:
        stemmer = "none" if not self.stem else ("porter" if self.language.startswith("en") else
                                                 "snowball" if word_stemmer(self.language) else "none")
        return (f"rouge|lang:{self.language}|tok:{self.tokenizer}|stem:{stemmer}|lsum:newline|multi-ref:max-f"
                f"|polybrief")

    def _line_ids(self, line: str) -> list[int]:
        cached = self._token_cache.get(line)
        if cached is None:
            ids = self._ids
            cached = [ids.setdefault(t, len(ids)) for t in tokenize(line, self.language, self.stem,
                                                                    self.tokenizer == "rouge-score")]
            self._token_cache[line] = cached
        return cached

    def _sentences(self, text: str) -> list[list[int]]:
        """Token ids per non-empty line (ROUGE-Lsum's sentences)."""
        return [self._line_ids(s) for s in text.split("\n") if s]

    def _ids_of(self, text: str) -> list[int]:
        """Token ids of a whole text: a newline is a token boundary, so lines concatenate."""
        return [t for sentence in self._sentences(text) for t in sentence]

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        if len(self._token_cache) > CACHE_LINES:  # ids only need to agree within one call
            self._token_cache.clear()
            self._ids.clear()
        per_ref = [self._stats_one_reference(segments.hypotheses, refs) for refs in segments.references]
        if len(per_ref) == 1:
            return per_ref[0]
        out = per_ref[0].copy()
        for t in range(len(self.types)):  # per type, the reference with the best F (first on ties)
            f = np.stack([s[:, 3 * t + 2] for s in per_ref])
            best = f.argmax(axis=0)
            for k, stats in enumerate(per_ref):
                chosen = best == k
                out[chosen, 3 * t:3 * t + 3] = stats[chosen, 3 * t:3 * t + 3]
        return out

    def _stats_one_reference(self, hypotheses: list[str], references: list[str]) -> np.ndarray:
        hyps = [self._ids_of(h) for h in hypotheses]
        refs = [self._ids_of(r) for r in references]
        blocks = {}
        orders = [int(t[5:]) for t in self.types if t in ("rouge1", "rouge2")]
        if orders:
            blocks.update(zip((f"rouge{n}" for n in orders), self._ngram_blocks(hyps, refs, orders)))
        if "rougeL" in self.types:
            ref_len = np.array([len(r) for r in refs], dtype=np.float64)
            hyp_len = np.array([len(h) for h in hyps], dtype=np.float64)
            pairs = np.arange(len(refs))
            lengths = lcs_lengths(Sequences.from_lists(refs), Sequences.from_lists(hyps), pairs, pairs)
            blocks["rougeL"] = _prf(lengths.astype(np.float64), ref_len, hyp_len)
        if "rougeLsum" in self.types:
            blocks["rougeLsum"] = self._lsum_block(hypotheses, references)
        return np.concatenate([blocks[t] for t in self.types], axis=1)

    def _ngram_blocks(self, hyps: list[list[int]], refs: list[list[int]], orders: list[int]) -> list[np.ndarray]:
        """ROUGE-N for each n in ``orders`` (clipped n-gram matches, as rouge-score counts them)."""
        base = max(len(self._ids), 1)
        hits = np.zeros((len(hyps), max(orders)))
        for i, (h, r) in enumerate(zip(hyps, refs)):
            span = range(1, max(orders) + 1)
            hits[i] = clipped_matches(ngram_keys(np.asarray(h, dtype=np.int64), base, span),
                                      ngram_keys(np.asarray(r, dtype=np.int64), base, span), max(orders))
        out = []
        for n in orders:
            ref_total = np.array([max(len(r) - n + 1, 0) for r in refs], dtype=np.float64)
            hyp_total = np.array([max(len(h) - n + 1, 0) for h in hyps], dtype=np.float64)
            out.append(_prf(hits[:, n - 1], ref_total, hyp_total))
        return out

    def _lsum_block(self, hypotheses: list[str], references: list[str]) -> np.ndarray:
        """Summary-level LCS (rouge-score's ``_summary_level_lcs``) for every segment at once.

        rouge-score walks reference sentences in order and counts a union-LCS token as a hit
        while both its hypothesis and reference counts last. A token's union occurrences never
        exceed its reference count, so the hits of a segment are sum over tokens t of
        min(union occurrences of t, hypothesis count of t): computed here for all segments.
        """
        ref_sents, hyp_sents, ref_doc, hyp_doc = [], [], [], []
        pair_ref, pair_can = [], []
        for d, (hyp, ref) in enumerate(zip(hypotheses, references)):
            r_first, h_first = len(ref_sents), len(hyp_sents)
            ref_sents += self._sentences(ref)
            hyp_sents += self._sentences(hyp)
            ref_doc += [d] * (len(ref_sents) - r_first)
            hyp_doc += [d] * (len(hyp_sents) - h_first)
            r_idx = np.arange(r_first, len(ref_sents))
            h_idx = np.arange(h_first, len(hyp_sents))
            pair_ref.append(np.repeat(r_idx, len(h_idx)))
            pair_can.append(np.tile(h_idx, len(r_idx)))
        ref_seqs, hyp_seqs = Sequences.from_lists(ref_sents), Sequences.from_lists(hyp_sents)
        union = lcs_union(ref_seqs, hyp_seqs, np.concatenate(pair_ref), np.concatenate(pair_can))
        ref_token_doc = np.repeat(np.asarray(ref_doc, dtype=np.int64), ref_seqs.lengths)
        hyp_token_doc = np.repeat(np.asarray(hyp_doc, dtype=np.int64), hyp_seqs.lengths)
        n_docs = len(hypotheses)
        ref_len = np.bincount(ref_token_doc, minlength=n_docs).astype(np.float64)
        hyp_len = np.bincount(hyp_token_doc, minlength=n_docs).astype(np.float64)
        base = max(len(self._ids), 1)
        union_keys = ref_token_doc[union] * base + ref_seqs.ids[union]
        hyp_keys = hyp_token_doc * base + hyp_seqs.ids
        u_keys, u_count = np.unique(union_keys, return_counts=True)
        h_keys, h_count = np.unique(hyp_keys, return_counts=True)
        common, ui, hi = np.intersect1d(u_keys, h_keys, assume_unique=True, return_indices=True)
        hits = np.bincount(common // base, weights=np.minimum(u_count[ui], h_count[hi]), minlength=n_docs)
        scores = _prf(hits, ref_len, hyp_len)
        scores[(ref_len == 0) | (hyp_len == 0)] = 0.0
        return scores


__all__ = ["CACHE_LINES", "Rouge", "TYPES"]
