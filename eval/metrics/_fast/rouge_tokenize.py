"""ROUGE tokenisation that is right for any language and equal to rouge-score on English.

rouge-score keeps only ``[a-z0-9]`` runs, so "Cristóbal" becomes "crist bal" and Russian or
Chinese text vanishes. Here a token is any run of Unicode letters or digits; Chinese,
Japanese and Thai (no spaces between words) are scored character by character; words are
stemmed with Porter for English (exactly rouge-score's rule: NLTK's PorterStemmer on words
longer than 3 characters) and with Snowball for other languages where one exists.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from polybrief.core.terms import stemmer_for

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NON_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")  # rouge-score's rule, for exact compatibility
# Scripts written without spaces between words: CJK ideographs, kana, Hangul syllables, Thai, Lao,
# Khmer, Myanmar. Each character becomes a token.
_CHAR_SCRIPTS = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f\U00020000-\U0002fa1f])")


@lru_cache(maxsize=1)
def _porter() -> Callable[[str], str]:
    """NLTK's PorterStemmer through its public API, built as rouge-score builds it (``PorterStemmer()``,
    NLTK_EXTENSIONS mode: ORIGINAL_ALGORITHM stems some words differently and breaks parity, see
    tests/test_rouge.py). Imported on first use: importing nltk costs about a second of start-up, paid
    only by a run that stems English."""
    from nltk.stem.porter import PorterStemmer

    return lru_cache(maxsize=200_000)(PorterStemmer().stem)


@cache
def word_stemmer(language: str | None) -> Callable[[str], str] | None:
    """The stemmer used for ``language``: rouge-score's Porter for English, else Snowball, else None."""
    lang = (language or "en").split("-")[0].lower()
    if lang == "en":
        return _porter()
    stem_words = stemmer_for(lang)
    if stem_words is None:
        return None
    return lru_cache(maxsize=200_000)(lambda word: stem_words([word])[0])


def tokenize(text: str, language: str | None = "en", stem: bool = True, ascii_only: bool = False) -> list[str]:
    """Lower-cased Unicode word tokens (characters for CJK/Thai scripts), optionally stemmed.

    ``ascii_only`` reproduces rouge-score's tokeniser exactly, non-ASCII letters dropped.
    """
    if ascii_only:
        tokens = [t for t in _NON_ASCII_ALNUM.split(text.lower()) if t]
    else:
        tokens = [t for t in _NON_WORD.split(_CHAR_SCRIPTS.sub(r" \1 ", text.lower())) if t]
    stemmer = word_stemmer(language) if stem else None
    if stemmer is None:
        return tokens
    tokens = [stemmer(t) if len(t) > 3 and not _CHAR_SCRIPTS.match(t) else t for t in tokens]
    return [t for t in tokens if _NON_ASCII_ALNUM.fullmatch(t) is None] if ascii_only else tokens
