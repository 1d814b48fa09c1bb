"""Cleaning of scraped news text: boilerplate, repeated photo captions, whitespace and quotes.

Scraped articles carry lines no reader wants in a briefing (cookie banners, "Post a
Comment", share buttons, dataset tags such as ``mn-1-general``) and photo captions that
repeat a sentence of the article verbatim. The cleaner works line by line, because that
is how the scrapers lay such things out, and returns the article as paragraphs, one per
line.
"""
from __future__ import annotations

import re
import unicodedata

from .words import count_words

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
})
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_TAGS = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
TERMINAL = re.compile(r"[.!?;:\u3002\uff01\uff1f\u2026][\"')\]\u00bb]*$")

_BOILERPLATE = [re.compile(p, re.IGNORECASE) for p in (
    r"^[a-z]{2,4}-\d+-[a-z_]+$",                       # dataset tags, e.g. mn-1-general
    r"^[\W_]*$",                                        # lines of punctuation only
    r"^(post|add|leave|view|show|hide) (a |your |all )?comments?\b.{0,40}$",
    r"^(advertisement|advertising|sponsored( content)?|ad|story continues below.*)$",
    r"^(share|tweet|email|print|pin|whatsapp)( (this|the) (article|story|page))?( on \w+)?$",
    r"^(enlarge this image|toggle caption|hide caption|image caption|media playback is .*)$",
    r"^(related|read more|more|see also|trending( news)?|recommended)\s*:.{0,120}$",
    r"^(click here|sign up|subscribe|follow us|download our app|get the latest)\b.{0,150}$",
    r"^(image|photo|video)( copyright| credit| source)?\s*[:©].{0,120}$",
    r"^.{0,80}\b(all rights reserved|copyright ©|© \d{4})\b.{0,80}$",
    r"^.{0,200}\b(cookies?)\b.{0,200}\b(consent|accept|policy|browser|experience|agree)\b.{0,200}$",
    r"^.{0,200}\b(accept|agree|consent)\b.{0,200}\bcookies?\b.{0,200}$",
    r"^(this|the) (material|article) may not be (published|reproduced).{0,150}$",
    r"^(we've noticed|it looks like) (that )?you('re| are) using an ad ?blocker.{0,200}$",
)]
_CAPTION = re.compile(r"^pictured\b|\((pictured|photo|above|below|left|right|centre|center)\b[^)]{0,80}\)",
                      re.IGNORECASE)


def normalize_text(text: str) -> str:
    """Unicode NFC, straight quotes, no invisible or control characters, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub(" ", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def is_boilerplate(line: str) -> bool:
    """True for lines that are site furniture rather than reporting."""
    return any(p.search(line) for p in _BOILERPLATE)


def ends_sentence(line: str) -> bool:
    """True when a line ends the way a sentence does (so it is prose, not a heading or caption)."""
    return bool(TERMINAL.search(line))


def _key(line: str) -> str:
    """A comparison key that ignores case, trailing punctuation and spacing."""
    return re.sub(r"[\W_]+", " ", line.casefold()).strip()


def _is_caption(line: str, keys: list[str], index: int) -> bool:
    """A caption repeats (or truncates) another line verbatim, or is marked '(pictured ...)'."""
    if _CAPTION.search(line):
        return True
    if ends_sentence(line):
        return False
    key = keys[index]
    if len(key.split()) < 6:
        return False
    return any(j != index and len(other) > len(key) * 0.9 and other.startswith(key)
               for j, other in enumerate(keys))


def clean_lines(text: str) -> list[str]:
    """Return the article's paragraphs with boilerplate, captions and repeats removed."""
    lines = _attach_stray_stops([ln for ln in normalize_text(_TAGS.sub(" ", text)).split("\n") if ln])
    lines = [ln for ln in lines if not is_boilerplate(ln)]
    keys = [_key(ln) for ln in lines]
    kept: list[str] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if keys[i] in seen or _is_caption(line, keys, i):
            continue
        seen.add(keys[i])
        kept.append(line)
    return _join_broken_lines(kept)


def _attach_stray_stops(lines: list[str]) -> list[str]:
    """A line holding only a full stop closes the unfinished line before it (an MT artefact)."""
    out: list[str] = []
    for line in lines:
        if out and re.fullmatch(r"[.!?]+", line) and not ends_sentence(out[-1]):
            out[-1] += line
        else:
            out.append(line)
    return out


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Re-join prose that a scraper or MT system broke mid-sentence (next line starts lower-case)."""
    out: list[str] = []
    for line in lines:
        if out and not ends_sentence(out[-1]) and (line[0].islower() or line[0] in ".,;:)"):
            sep = "" if line[0] in ".,;:)" else " "
            out[-1] = out[-1] + sep + line
        else:
            out.append(line)
    return out


MAX_TITLE_CHARS = 200  # headlines run to ~100 characters; word counts say nothing in Thai or Chinese


def guess_title(lines: list[str]) -> str | None:
    """The first line when it reads as a headline (short, no closing full stop) and something follows it:
    in scripts written without spaces a whole article is "a few words" with no full stop."""
    if len(lines) < 2:
        return None
    first = lines[0]
    short = count_words(first) <= 25 and len(first) <= MAX_TITLE_CHARS
    if short and (not ends_sentence(first) or first.startswith('"') and first.endswith('"')):
        return first.strip('"').strip() or None
    return None


__all__ = ["MAX_TITLE_CHARS", "TERMINAL", "clean_lines", "ends_sentence", "guess_title", "is_boilerplate",
           "normalize_text"]
