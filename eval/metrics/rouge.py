"""ROUGE-1/2/L/Lsum with precision, recall and F, for any language.

Scores equal Google's rouge-score on English (tested to 1e-9); the differences elsewhere are
the tokeniser's (see ``eval.rouge_tokenize``). With several references each ROUGE type takes
the reference with the best F, as rouge-score's ``score_multi`` does. ROUGE-Lsum treats
newlines as sentence boundaries. Own code rather than rouge-score for two reasons: its
ASCII-only tokeniser, and speed (LCS tables in numpy, ``eval.lcs``).
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

from ..lcs import lcs_lengths, lcs_ref_positions
from ..rouge_tokenize import tokenize, word_stemmer
from .base import MeanMetric, Segments, fmeasure

TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def _ngrams(tokens: Sequence[int], n: int) -> Counter:
    return Counter(zip(*(tokens[i:] for i in range(n)))) if n > 1 else Counter(tokens)


def _prf(hits: np.ndarray, ref_len: np.ndarray, hyp_len: np.ndarray) -> np.ndarray:
    precision = hits / np.maximum(hyp_len, 1)
    recall = hits / np.maximum(ref_len, 1)
    return np.stack([precision, recall, fmeasure(precision, recall)], axis=1)


class Rouge(MeanMetric):
    name = "rouge"
    score_names = tuple(f"{t}_{m}" for t in TYPES for m in "prf")
    primary = "rouge2_f"

    def __init__(self, language: str = "en", stem: bool = True, tokenizer: str = "unicode") -> None:
        if tokenizer not in ("unicode", "rouge-score"):
            raise ValueError("tokenizer must be 'unicode' or 'rouge-score'")
        self.language, self.stem, self.tokenizer = language, stem, tokenizer
        self._ids: dict[str, int] = {}
        self._token_cache: dict[str, list[int]] = {}

    def signature(self) -> str:
        stemmer = "none" if not self.stem else ("porter" if self.language.startswith("en") else
                                                 "snowball" if word_stemmer(self.language) else "none")
        return (f"rouge|lang:{self.language}|tok:{self.tokenizer}|stem:{stemmer}|lsum:newline|multi-ref:max-f"
                f"|polybrief")

    def _ids_of(self, text: str) -> list[int]:
        cached = self._token_cache.get(text)
        if cached is None:
            ids = self._ids
            cached = [ids.setdefault(t, len(ids)) for t in tokenize(text, self.language, self.stem,
                                                                    self.tokenizer == "rouge-score")]
            self._token_cache[text] = cached
        return cached

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        per_ref = [self._stats_one_reference(segments.hypotheses, refs) for refs in segments.references]
        if len(per_ref) == 1:
            return per_ref[0]
        out = per_ref[0].copy()
        for t in range(len(TYPES)):  # per type, the reference with the best F (first on ties)
            f = np.stack([s[:, 3 * t + 2] for s in per_ref])
            best = f.argmax(axis=0)
            for k, stats in enumerate(per_ref):
                chosen = best == k
                out[chosen, 3 * t:3 * t + 3] = stats[chosen, 3 * t:3 * t + 3]
        return out

    def _stats_one_reference(self, hypotheses: list[str], references: list[str]) -> np.ndarray:
        hyps = [self._ids_of(h) for h in hypotheses]
        refs = [self._ids_of(r) for r in references]
        blocks = [self._ngram_block(hyps, refs, n) for n in (1, 2)]
        ref_len = np.array([len(r) for r in refs], dtype=np.float64)
        hyp_len = np.array([len(h) for h in hyps], dtype=np.float64)
        blocks.append(_prf(lcs_lengths(list(zip(refs, hyps))).astype(np.float64), ref_len, hyp_len))
        blocks.append(self._lsum_block(hypotheses, references))
        return np.concatenate(blocks, axis=1)

    @staticmethod
    def _ngram_block(hyps: list[list[int]], refs: list[list[int]], n: int) -> np.ndarray:
        hits, ref_total, hyp_total = (np.zeros(len(hyps)) for _ in range(3))
        for i, (h, r) in enumerate(zip(hyps, refs)):
            ref_grams, hyp_grams = _ngrams(r, n), _ngrams(h, n)
            hits[i] = sum(min(c, hyp_grams[g]) for g, c in ref_grams.items() if g in hyp_grams)
            ref_total[i], hyp_total[i] = max(len(r) - n + 1, 0), max(len(h) - n + 1, 0)
        return _prf(hits, ref_total, hyp_total)

    def _sentences(self, text: str) -> list[list[int]]:
        return [self._ids_of(s) for s in text.split("\n") if s]

    def _lsum_block(self, hypotheses: list[str], references: list[str]) -> np.ndarray:
        """Summary-level LCS (rouge-score's ``_summary_level_lcs``) for every segment."""
        docs = [(self._sentences(r), self._sentences(h)) for h, r in zip(hypotheses, references)]
        pairs, owners = [], []
        for d, (ref_sents, hyp_sents) in enumerate(docs):
            for r, ref in enumerate(ref_sents):
                for hyp in hyp_sents:
                    pairs.append((ref, hyp))
                    owners.append((d, r))
        masks = lcs_ref_positions(pairs)
        union: dict[tuple[int, int], np.ndarray] = {}
        for owner, mask in zip(owners, masks):
            union[owner] = union[owner] | mask if owner in union else mask.copy()
        out = np.zeros((len(docs), 3))
        for d, (ref_sents, hyp_sents) in enumerate(docs):
            m, n = sum(map(len, ref_sents)), sum(map(len, hyp_sents))
            if not m or not n:
                continue
            ref_counts = Counter(t for s in ref_sents for t in s)
            hyp_counts = Counter(t for s in hyp_sents for t in s)
            hits = 0
            for r, ref in enumerate(ref_sents):
                mask = union.get((d, r))
                if mask is None:
                    continue
                for t in np.asarray(ref)[mask]:
                    if hyp_counts[t] > 0 and ref_counts[t] > 0:
                        hits += 1
                        hyp_counts[t] -= 1
                        ref_counts[t] -= 1
            out[d] = _prf(np.array([hits], float), np.array([m], float), np.array([n], float))[0]
        return out
