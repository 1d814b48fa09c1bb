"""Word counts and sentence breaks that hold in scripts written without spaces between words.

Counting words by white space made a Thai article "2 words" and let a whole Thai paragraph pass as
one sentence of a few words (a headline hundreds of characters long). No word segmenter for Thai or
Chinese is among the dependencies (ICU, PyThaiNLP, jieba), so a run of letters in such a script counts
as its letters over the script's mean word length: 1.5 characters for Chinese and Japanese (Han and
kana), 4 spacing letters for Thai, Lao, Khmer and Burmese (their vowel and tone marks do not count).
That is an estimate (within about a quarter of a hand count on Thai news prose), which is what
budgets and length limits need. Text in spaced scripts counts exactly as before.
"""
from __future__ import annotations

import re
import unicodedata

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana, Han
_SOUTHEAST = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Burmese, Khmer
# (letters of a script written without spaces, its mean letters per word)
_SCRIPTS = ((re.compile(f"[{_CJK}]"), 1.5), (re.compile(f"[{_SOUTHEAST}]"), 4.0))
_CJK_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20"  # 。，、！？ and kin: part of a run, not words
_UNSPACED = re.compile(f"[{_CJK}{_SOUTHEAST}{_CJK_PUNCTUATION}]+")
_NO_FULL_STOP = re.compile(r"[\u0e00-\u0eff]")  # Thai and Lao end sentences with a space, not a mark
_WORD = re.compile(r"\w+", re.UNICODE)


def unspaced_words(text: str) -> int:
    """The estimated words in the runs of ``text`` written in a script without spaces (0 when none)."""
    total = 0.0
    for pattern, per_word in _SCRIPTS:
        letters = [c for c in pattern.findall(text) if unicodedata.category(c) != "Mn"]
        total += len(letters) / per_word
    return max(1, round(total)) if total else 0


def count_words(text: str) -> int:
    """White-space words, with each run of an unspaced script counted by ``unspaced_words``."""
    return len(_UNSPACED.sub(" ", text).split()) + unspaced_words(text)


def count_word_tokens(text: str) -> int:
    """Runs of word characters (``\\w+``: "U.S." is two), with unspaced scripts counted as above: the
    measure sentence-length limits use."""
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + unspaced_words(text)


def unpunctuated_prose(line: str, min_words: int) -> bool:
    """A line in a script that ends sentences with a space rather than a full stop (Thai, Lao), long
    enough to be prose: without this every Thai paragraph read as a heading and nothing was briefed."""
    letters = len(_NO_FULL_STOP.findall(line))
    return letters > len(line) / 2 and count_words(line) >= min_words


_THAI_SPACE = re.compile(r"(?<=[\u0e00-\u0eff])\s+(?=[\u0e00-\u0eff])")


def split_at_spaces(text: str, min_words: int) -> list[str]:
    """Sentences of Thai or Lao prose: a space between two Thai or Lao letters ends a sentence or clause
    (one beside a number or a Latin name does not), and a piece shorter than ``min_words`` stays joined
    to its neighbour."""
    out: list[str] = []
    for piece in _THAI_SPACE.split(text.strip()):
        if out and (count_words(piece) < min_words or count_words(out[-1]) < min_words):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


__all__ = ["count_word_tokens", "count_words", "split_at_spaces", "unpunctuated_prose", "unspaced_words"]
