"""BLEU sufficient statistics, exactly as sacreBLEU computes them, for whole batches at once.

Speed: sacreBLEU tokenizes with per-match regex templates and counts each segment's n-grams in a
Counter of tuples; on an experiment (every system of a test set against the same references)
that is most of the run. Here the default tokenizer is ``tokenizer_13a.tokenize_13a`` (same
strings), tokens get ids from the references' vocabulary (a hypothesis word no reference has
matches nothing, so all such words share one id), every n-gram of every segment is one exact
int64 key, and each distinct reference set is counted once and looked up by every hypothesis
aligned to it. A batch whose keys do not fit in an int64 is halved until it does; a segment
that alone does not fit goes to sacreBLEU's own code. Parity with ``BLEU`` is tested.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain, repeat

import numpy as np

from . import sacrebleu_api
from .ngram_match import BoundedMemo, batch_ngrams, distinct, in_fitting_batches, lookup_matches, packing, retag_max
from .sacrebleu_api import BLEU
from .tokenizer_13a import tokenize_13a


def closest_lengths(hyp_len: np.ndarray, ref_lens: np.ndarray) -> np.ndarray:
    """sacreBLEU's ``_get_closest_ref_len`` per row: the reference length nearest the hypothesis length,
    the shorter on a tie; ``ref_lens`` (segments, references) holds -1 where a segment has fewer."""
    missing = ref_lens < 0
    far = int(max(hyp_len.max(initial=0), ref_lens.max(initial=0))) + 1  # beyond any real difference
    diff = np.where(missing, far, np.abs(hyp_len[:, None] - ref_lens))
    rank = diff * (far + 1) + np.where(missing, 0, ref_lens)  # nearest first, then shorter
    return ref_lens[np.arange(len(ref_lens)), np.argmin(rank, axis=1)]


class FastBleuStats:
    """Segment statistics ``[hyp_len, ref_len, correct_1..N, total_1..N]`` for one sacreBLEU ``BLEU``."""

    def __init__(self, impl: BLEU) -> None:
        self.impl = impl
        self.order = impl.max_ngram_order
        self.tokenizer: Callable[[str], str] = (tokenize_13a if impl.tokenizer.signature() == "13a"
                                                else impl.tokenizer)
        self._reference_tokens = BoundedMemo(self.tokens)

    def tokens(self, text: str) -> list[str]:
        """sacreBLEU's ``_preprocess_segment`` (lowercase, tokenize the right-stripped line), split."""
        return self.tokenizer((text.lower() if self.impl.lowercase else text).rstrip()).split()

    def corpus(self, hypotheses: Sequence[str], references: Sequence[Sequence[str | None]]) -> np.ndarray:
        """Statistics (segments, 2 + 2 * order); a segment's missing references (None) are left out. Sets
        ``num_refs`` on the sacreBLEU object, as its own ``_extract_corpus_statistics`` does (its signature)."""
        sets = [tuple(r for r in refs if r is not None) for refs in zip(*references)]
        counts = {len(s) for s in sets}
        sacrebleu_api.set_reference_count(self.impl, counts.pop() if len(counts) == 1 else -1)
        if not hypotheses:
            return np.zeros((0, 2 + 2 * self.order))

        def per_segment(part: slice) -> np.ndarray:
            return np.array([self._sacrebleu(h, s) for h, s in zip(hypotheses[part], sets[part])], dtype=np.float64)

        if not all(sets):  # a segment without any reference: sacreBLEU's own code, whatever it makes of it
            return per_segment(slice(0, len(sets)))
        return in_fitting_batches(len(sets), lambda p: self._batch(hypotheses[p], sets[p]), per_segment)

    def _sacrebleu(self, hypothesis: str, references: tuple[str, ...]) -> list[int]:
        info = sacrebleu_api.reference_info(self.impl, references)
        return sacrebleu_api.segment_statistics(self.impl, hypothesis, info)

    def _batch(self, hypotheses: Sequence[str], sets: list[tuple[str, ...]]) -> np.ndarray | None:
        """The whole batch in one pass; None when its keys do not fit in an int64."""
        unique_sets, set_of_hyp = distinct(sets)
        entries = [(j, text) for j, s in enumerate(unique_sets) for text in s]  # (reference set, reference text)
        vocab: dict[str, int] = {}
        ref_ids = [[vocab.setdefault(t, len(vocab)) for t in self._reference_tokens(text)] for _, text in entries]
        base = len(vocab) + 1  # the last id: any word no reference has
        bits = packing(max(len(hypotheses), len(entries)), base, self.order)
        if bits is None:
            return None
        hyp_tokens = [self.tokens(h) for h in hypotheses]
        unknown = len(vocab)
        hyp_len = np.array([len(t) for t in hyp_tokens], dtype=np.int64)
        hyp_flat = np.fromiter(map(vocab.get, chain.from_iterable(hyp_tokens), repeat(unknown)), np.int64,
                               int(hyp_len.sum()))
        ref_len = np.array([len(ids) for ids in ref_ids], dtype=np.int64)
        ref_flat = np.fromiter(chain.from_iterable(ref_ids), np.int64, int(ref_len.sum()))
        ref_side = retag_max(*batch_ngrams(ref_flat, ref_len, base, self.order, bits),
                             np.array([j for j, _ in entries], dtype=np.int64), bits)
        hyp_side = batch_ngrams(hyp_flat, hyp_len, base, self.order, bits)
        correct = lookup_matches(hyp_side, ref_side, set_of_hyp, bits, self.order, len(hypotheses))
        total = np.maximum(hyp_len[:, None] - np.arange(self.order), 0)  # every n-gram counts
        width = max(len(s) for s in unique_sets)
        lens = np.full((len(unique_sets), width), -1, dtype=np.int64)
        for (j, _), length in zip(entries, ref_len):
            lens[j, np.argmax(lens[j] < 0)] = length
        out = np.empty((len(hypotheses), 2 + 2 * self.order))
        out[:, 0] = hyp_len
        out[:, 1] = closest_lengths(hyp_len, lens[set_of_hyp])
        out[:, 2:2 + self.order] = correct
        out[:, 2 + self.order:] = total
        return out
