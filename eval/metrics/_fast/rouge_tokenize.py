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
from pathlib import Path

from polybrief.core.terms import stemmer_for

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NON_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")  # rouge-score's rule, for exact compatibility
# Scripts written without spaces between words: CJK ideographs, kana, Hangul syllables, Thai, Lao,
# Khmer, Myanmar. Each character becomes a token.
_CHAR_SCRIPTS = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f\U00020000-\U0002fa1f])")


_NLTK_IMPORT = re.compile(r"^from nltk(?:\.[\w.]+)? import (.+)$", re.MULTILINE)


def _stand_in(match: re.Match[str]) -> str:
    """nltk imports in porter.py: the StemmerI base becomes an empty class; the rest (only its demo uses
    them: a regex helper, a safe print) become None."""
    names = [n.strip() for n in match.group(1).split(",")]
    return "\n".join("class StemmerI: pass" if n == "StemmerI" else f"{n} = None" for n in names)


@lru_cache(maxsize=1)
def _porter() -> Callable[[str], str]:
    """NLTK's PorterStemmer, rouge-score's stemmer, loaded from its own file: importing the nltk package
    costs a second of start-up and porter.py needs only its StemmerI base (speed; parity: test_rouge)."""
    import importlib.util
    import types

    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nltk is not installed (rouge-score depends on it)")
    path = Path(next(iter(spec.submodule_search_locations))) / "stem" / "porter.py"
    source = _NLTK_IMPORT.sub(_stand_in, path.read_text(encoding="utf-8"))
    module = types.ModuleType("polybrief_nltk_porter")
    exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - nltk's own file, one import replaced
    return lru_cache(maxsize=200_000)(module.PorterStemmer().stem)


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
