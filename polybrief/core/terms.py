"""Content terms of a sentence: Unicode words, lower-cased, stop words dropped, Snowball-stemmed.

Similarity between sentences should not hinge on "troops" vs "troop" or on "the"; the
Snowball stemmer exists for most languages polybrief meets (snowballstemmer uses the C
PyStemmer when installed, which is what makes this cheap enough for every sentence).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)

SNOWBALL_LANGUAGES = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "et": "estonian", "fa": "persian", "pl": "polish",
    "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


@cache
def stop_words(language: str | None) -> frozenset[str]:
    """Stop words where we have a list (English, scikit-learn's); none elsewhere: IDF copes."""
    if (language or "en").split("-")[0].lower() != "en":
        return frozenset()
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # lazy: sklearn is slow to import

    return frozenset(ENGLISH_STOP_WORDS)


@cache
def stemmer_for(language: str | None) -> Callable[[list[str]], list[str]] | None:
    """The Snowball ``stemWords`` for an ISO 639-1 code, or None where Snowball has none."""
    name = SNOWBALL_LANGUAGES.get((language or "en").split("-")[0].lower())
    return snowballstemmer.stemmer(name).stemWords if name else None


def tfidf_rows(texts: list[str], language: str | None):
    """L2-normalised, sublinear TF-IDF rows (scipy CSR) over stemmed content terms, IDF fitted on
    ``texts``; a single all-zero column when no text has a content word."""
    analyze = term_analyzer(language)
    return tfidf_from_terms([analyze(t) for t in texts])


def tfidf_from_terms(terms: list[list[str]]):
    """``tfidf_rows`` for texts already turned into terms (a caller that needs the terms too analyses once).

    Speed: scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` spends about 1.5 ms of set-up per call,
    more than the arithmetic on a cluster's hundred sentences, and every briefing makes one. This is the
    same matrix (sorted vocabulary, smoothed IDF, 1 + log TF, L2 rows), equal to it in
    tests/test_algorithms.py."""
    import numpy as np
    from scipy import sparse

    vocabulary = sorted({t for row in terms for t in row})
    if not vocabulary:  # every token a stop word: no vocabulary (TfidfVectorizer refuses; one empty column)
        return sparse.csr_matrix((len(terms), 1))
    column = {t: k for k, t in enumerate(vocabulary)}
    lengths = [len(row) for row in terms]
    rows = np.repeat(np.arange(len(terms)), lengths)
    columns = np.fromiter((column[t] for row in terms for t in row), np.int64, sum(lengths))
    counts = sparse.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=(len(terms), len(vocabulary)))
    counts.sum_duplicates()
    document_frequency = np.bincount(counts.indices, minlength=len(vocabulary))
    idf = np.log((1 + len(terms)) / (1 + document_frequency)) + 1
    counts.data = (np.log(counts.data) + 1) * idf[counts.indices]
    row_of = np.repeat(np.arange(len(terms)), np.diff(counts.indptr))
    counts.data /= np.sqrt(np.bincount(row_of, weights=counts.data ** 2, minlength=len(terms)))[row_of]
    return counts


def term_analyzer(language: str | None = "en") -> Callable[[str], list[str]]:
    """A function from text to its content terms, for TfidfVectorizer(analyzer=...)."""
    stem = stemmer_for(language) or (lambda words: words)
    stop = stop_words(language)

    def analyze(text: str) -> list[str]:
        return stem([w for w in WORD.findall(text.lower()) if w not in stop])

    return analyze


__all__ = ["SNOWBALL_LANGUAGES", "WORD", "stemmer_for", "stop_words", "term_analyzer", "tfidf_from_terms",
           "tfidf_rows"]
