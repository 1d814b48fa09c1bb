"""What every briefing algorithm shares: the sentence pool of a cluster, the length budget,
and the greedy budget fill that turns a ranking into a selection.

Like sumy's summarizers, each algorithm lives in its own module and only says how to
rank a cluster's candidate sentences; selection under a budget, near-duplicate removal
and determinism are handled here once.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from polybrief.core import defaults
from polybrief.core.document import Cluster
from polybrief.core.encoders import Encoder, get_encoder
from polybrief.core.sentences import Sentence, cluster_sentences
from polybrief.core.terms import tfidf_from_terms

DUPLICATE_COSINE = 0.4  # stemmed TF-IDF cosine above which two sentences say the same thing
# A sentence that repeats a clause of an earlier one (this many content words in the same order, and
# this share of its own content words) restates it, however different the rest of its words are:
# "Blinken is preparing to meet with Russian Foreign Minister Sergey Lavrov" after a headline saying so.
RESTATED_RUN, RESTATED_SHARE = 5, 0.4
RESTATED_GATE = 0.1  # TF-IDF cosine below which the (slower) clause test is not run
# Restated in other words ("Russian soldiers are coming to Belarus for a joint exercise" / "Russia sent
# troops to Belarus for joint military exercises"): a short sentence (at most PARAPHRASE_TERMS content
# words) sharing half of them, at least three, by their first letters (so Russia/Russian meet). Words,
# not the encoder: loading MiniLM for it made a whole briefing several times slower.
PARAPHRASE_SHARE, PARAPHRASE_MIN_SHARED, PARAPHRASE_TERMS, PREFIX = 0.5, 3, 12, 5

def longest_common_run(a: list[str], b: list[str]) -> int:
    """Length of the longest run of terms that ``a`` and ``b`` share in the same order, back to back."""
    best, previous = 0, [0] * (len(b) + 1)
    for term in a:
        current = [0] * (len(b) + 1)
        for k, other in enumerate(b, 1):
            if term == other:
                current[k] = previous[k - 1] + 1
                best = max(best, current[k])
        previous = current
    return best


@dataclass(frozen=True)
class Budget:
    """Length of a briefing: at most ``words`` words and at most ``sentences`` sentences."""

    words: int | None = defaults.WORDS
    sentences: int | None = None

    def __post_init__(self) -> None:
        if self.words is None and self.sentences is None:
            raise ValueError("a budget needs words or sentences")
        for value in (self.words, self.sentences):
            if value is not None and value < 1:
                raise ValueError("budget values must be positive")


class SentencePool:
    """A cluster's sentences with lazily computed shared features (TF-IDF, embeddings)."""

    def __init__(self, cluster: Cluster, encoder: Encoder | str | None = "minilm") -> None:
        self.cluster = cluster
        self.all_sentences: list[Sentence] = cluster_sentences(cluster)
        self.sentences: list[Sentence] = [s for s in self.all_sentences if s.is_candidate]
        self._encoder = encoder

    def __len__(self) -> int:
        return len(self.sentences)

    @cached_property
    def encoder(self) -> Encoder:
        enc = self._encoder
        return get_encoder(enc or "minilm") if enc is None or isinstance(enc, str) else enc

    @cached_property
    def language(self) -> str:
        """The cluster's main language (most words), which picks stemmer and stop words."""
        return self.cluster.main_language(unknown="en")

    @cached_property
    def doc_index(self) -> np.ndarray:
        return np.array([s.doc_index for s in self.sentences], dtype=np.int64)

    @cached_property
    def positions(self) -> np.ndarray:
        return np.array([s.position for s in self.sentences], dtype=np.float64)

    @cached_property
    def n_words(self) -> np.ndarray:
        return np.array([s.n_words for s in self.sentences], dtype=np.float64)

    @cached_property
    def all_terms(self) -> list[list[str]]:
        """Each candidate's stemmed content words, in order: TF-IDF's input and the restatement test's."""
        from polybrief.core.terms import term_analyzer

        analyze = term_analyzer(self.language)
        return [analyze(s.text) for s in self.sentences]

    @cached_property
    def tfidf(self) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows over stemmed content words, IDF fitted on this cluster."""
        return tfidf_from_terms(self.all_terms)

    @cached_property
    def tfidf_similarity(self) -> np.ndarray:
        """Dense sentence-by-sentence TF-IDF cosine."""
        return np.asarray((self.tfidf @ self.tfidf.T).todense())

    def restates(self, index: int, earlier: list[int]) -> bool:
        """Whether candidate ``index`` repeats a clause of one of the ``earlier`` ones."""
        similarity = self.tfidf_similarity[index]
        for other in earlier:
            if similarity[other] < RESTATED_GATE:  # five shared content words never leave the cosine this low
                continue
            terms = self.all_terms[index]
            run = longest_common_run(terms, self.all_terms[other])
            if run >= RESTATED_RUN and run >= RESTATED_SHARE * len(terms):
                return True
            if self.paraphrases(index, other):
                return True
        return False

    def paraphrases(self, a: int, b: int) -> bool:
        """Whether candidates ``a`` and ``b`` say one thing in other words (see PARAPHRASE_SHARE)."""
        words_a = {t[:PREFIX] for t in self.all_terms[a]}
        words_b = {t[:PREFIX] for t in self.all_terms[b]}
        shared = len(words_a & words_b)
        shorter = min(len(words_a), len(words_b))
        return 0 < shorter <= PARAPHRASE_TERMS and shared >= max(PARAPHRASE_MIN_SHARED, PARAPHRASE_SHARE * shorter)

    @cached_property
    def embeddings(self) -> np.ndarray:
        """Unit vectors of the candidate sentences under the pool's encoder."""
        return self.encoder.encode([s.text for s in self.sentences])


class Extractor(ABC):
    """A briefing algorithm: ranks a pool's candidates, the base class selects under a budget."""

    name: str = "extractor"
    reads_vectors: bool = False  # whether it ranks by the pool's sentence vectors (its encoder's)

    @abstractmethod
    def rank(self, pool: SentencePool) -> list[int]:
        """Candidate indices, best first (deterministic for a given pool)."""

    def select(self, pool: SentencePool, budget: Budget, first: int | None = None,
               excluded: frozenset[int] = frozenset()) -> list[int]:
        """Indices chosen greedily in rank order: skip near-duplicates, restatements and what would overflow.
        ``first`` leads whatever its rank (the latest figure of a story that moved); ``excluded`` never
        appear (sentences carrying figures the story has moved past)."""
        if not len(pool):
            return []
        chosen: list[int] = []
        words = 0
        similarity = pool.tfidf_similarity
        order = [i for i in self.rank(pool) if i not in excluded and i != first]
        for i in ([first] if first is not None else []) + order:
            if budget.sentences is not None and len(chosen) >= budget.sentences:
                break
            n = int(pool.n_words[i])
            if budget.words is not None and words + n > budget.words:
                continue
            if chosen and (similarity[i, chosen].max() > DUPLICATE_COSINE or pool.restates(i, chosen)):
                continue
            chosen.append(i)
            words += n
        return chosen or [self.rank(pool)[0]]


def stable_argsort_desc(scores: np.ndarray) -> list[int]:
    """Indices by descending score; ties keep document order, so rankings are deterministic."""
    return [int(i) for i in np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")]


__all__ = ["Budget", "DUPLICATE_COSINE", "Extractor", "RESTATED_GATE", "SentencePool", "longest_common_run",
           "stable_argsort_desc"]
