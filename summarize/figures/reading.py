"""Reading counts of people from a sentence: the number, what it counts, and the scope it counts in.

Real news is full of numbers that sit near a death word and count nothing of the kind: clock
times ("10:07"), ages, dates and years, aircraft models and flight numbers, money, percentages,
scores, background totals ("since 2014", "in the 2004 tsunami"), boats and houses. Each is refused
here, because a figure line built on one is a false claim. A figure is a count OF something: its
kind (deaths, injured, missing, displaced, arrested) named in the number's own clause, its scope
(the names, groups and adjectives attached to it in that clause: "Dutch passengers", "in Honduras"),
and the hedge it was written with ("more than 4,000"), which later decides what agrees.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from polybrief.core.dates import MONTHS, WEEKDAYS

__all__ = ["KINDS", "Count", "counts_in", "is_background"]

KINDS = {  # a kind of count and the word stems that name it
    "deaths": ("dead", "die", "died", "dying", "kill", "death", "toll", "fatalit", "bodies", "lives", "drown"),
    "injured": ("injur", "wound", "hurt"),
    "missing": ("missing",),
    "displaced": ("evacuat", "displac", "homeless", "fled", "refugee"),
    "arrested": ("arrest", "detain"),
}
HEDGES = {  # hedge -> (low, high) as multiples of the written number
    "at least": (1.0, math.inf), "more than": (1.0001, math.inf), "over": (1.0001, math.inf),
    "as many as": (0.0, 1.0), "up to": (0.0, 1.0), "fewer than": (0.0, 0.9999), "less than": (0.0, 0.9999),
    "nearly": (0.9, 1.0), "almost": (0.9, 1.0), "close to": (0.9, 1.0),
    "about": (0.9, 1.1), "around": (0.9, 1.1), "some": (0.9, 1.1), "roughly": (0.9, 1.1),
    "approximately": (0.9, 1.1), "an estimated": (0.9, 1.1), "estimated": (0.9, 1.1),
}
WORD_NUMBERS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split()) if n >= 2}  # "one" names a person far more often than a count
WORD_NUMBERS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                 "a dozen": 12, "half a dozen": 6, "two dozen": 24, "three dozen": 36}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_hedge = "|".join(sorted(HEDGES, key=len, reverse=True))
_word = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
NUMBER = re.compile(
    rf"(?<![\w$£€¥#:/.,-])(?:(?P<hedge>{_hedge})\s+)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d+(?:\.\d+)?|(?:{_word})\b)"
    r"(?:\s?[-–]\s?(?P<high>\d{1,3}(?:,\d{3})+|\d+)\b)?"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion)\b)?"
    r"(?![\w:/%$]|[.,]\d|-year|\s*(?:percent|per cent|a\.m|p\.m|o'clock|years? old|st\b|nd\b|rd\b|th\b))",
    re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][\w'-]*")
_starts_clause = rf"\d|(?:{_word}|{_hedge}|left|another|more)\b|\w+(?:ing|ed)\b"
# "and" ends a clause only where another statement starts ("killed two and wounded 21"), not in a list
# of names ("in Kenya and Tanzania")
CLAUSE_END = re.compile(rf"[,;:()\"“”]|\s(?:while|but|whereas|including|among them|of whom)\s|"
                        rf"\sand\s(?={_starts_clause})", re.IGNORECASE)
INTRODUCTION = re.compile(r"\s*(?:In|At|On|After|During|Near|Across|Throughout|Along)\b")
NEAR = 5  # words either side of the number whose names scope it ("killed 231 people in Honduras")
# the word right before a number that makes it a label, not a count ("flight 17", "Boeing 777")
LABEL_BEFORE = {"flight", "route", "model", "case", "no", "number", "bus", "highway", "page", "article",
                "chapter", "room", "platform", "gate", "channel", "version", "resolution", "section", "apartment",
                "aged", "age", "ages", "year", "years", "score", "scored", "beat", "win", "won", "lost", "seat",
                "seats", "votes", "vote", "rank", "ranked", "top", "km", "mile", "day", "week", "month", "hour",
                "minute"}
# what a count of people may be followed by: people nouns, verbs and function words
PEOPLE = {"people", "persons", "person", "civilians", "soldiers", "troops", "police", "policemen", "officers",
          "children", "women", "men", "students", "passengers", "crew", "members", "sailors", "miners",
          "workers", "villagers", "residents", "pilgrims", "tourists", "protesters", "demonstrators", "rebels",
          "militants", "fighters", "others", "victims", "inmates", "prisoners", "migrants", "refugees",
          "bodies", "lives", "casualties", "fatalities", "deaths", "suspects", "activists", "journalists",
          "patients", "climbers", "fishermen", "guards", "guerrillas", "gunmen", "attackers", "americans",
          "foreigners", "bystanders", "occupants", "supporters", "teenagers", "girls", "boys", "infants",
          "babies", "adults", "staff", "employees", "firefighters", "rescuers", "hostages", "detainees"}
GENERIC_PEOPLE = {"people", "persons", "person", "others", "victims", "lives", "bodies", "casualties",
                  "fatalities", "deaths", "refugees"}
LINKING = {"were", "was", "are", "is", "have", "has", "had", "been", "in", "on", "at", "and", "as", "after",
           "when", "by", "since", "during", "from", "of", "more", "other", "others", "so", "far", "to", "with",
           "who", "that", "reported", "confirmed", "believed", "feared", "said", "people", "remain", "remained",
           "still", "now", "being", "also", "there", "here", "overall", "total", "in all", "or", "the",
           "died", "dead", "killed", "injured", "wounded", "missing", "hurt", "arrested", "detained", "evacuated"}
QUALIFIERS = {"yacht", "foreign", "local", "ethnic", "unarmed", "innocent", "young", "elderly", "armed", "british",
              "american"}  # words that narrow a group
NOT_NAMES = set(MONTHS.split("|")) | set(WEEKDAYS) | {"the", "a", "an", "in", "on", "at", "but", "and", "it",
                                                      "he", "she", "they", "we", "i", "mr", "mrs", "ms", "dr"}
BACKGROUND_YEAR = re.compile(r"\b(?:since|in|during|of|from|before)\s+(?:the\s+|\w+\s+)?(1[89]\d\d|20\d\d)(s?)\b|"
                             r"\b(1[89]\d\d|20\d\d)\s*[-–]\s*(?:\d\d|\d{4})\b", re.IGNORECASE)
BACKGROUND = re.compile(r"\byears ago\b|\b(?:last|previous) (?:year|month|week)\b|\bearlier this (?:year|month)\b|"
                        r"\ba (?:year|month) ago\b|\byears of (?:fighting|war|conflict|violence|rule)\b|\blasted for\b|"
                        r"\bdecades?\b|\bin history\b|\ball[- ]time\b|\bat the time\b|"
                        r"\b\d+-year[- ](?:rule|regime|dictatorship|reign|war|conflict|insurgency)\b|"
                        r"\b(?:during|under)\s+(?:his|her|their|its|the)\s+(?:[\w-]+\s+)?(?:rule|regime|dictatorship|"
                        r"reign)\b|"
                        r"\b(?:past|last) (?:\w+ )?years\b|\bsince (?:the )?(?:war|conflict|start)\b", re.IGNORECASE)
MONTH_NAMES = set(MONTHS.split("|"))
AFTER, BEFORE = 5, 8  # words after / before the number, within its clause, where the kind may be named
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


@dataclass(frozen=True)
class Count:
    """A count as one sentence writes it: kind, the number, the range its hedge allows, and its scope."""

    kind: str
    value: float
    low: float
    high: float
    written: str  # "more than 10,000"
    names: frozenset[str]  # lower-cased names near it ("honduras", "cedar falls")
    group: frozenset[str]  # who is counted, when narrower than people ("dutch", "passengers")

    @property
    def scope(self) -> frozenset[str]:
        return self.names | self.group


def is_background(sentence: str, year: int | None = None) -> bool:
    """A sentence about the past ("since 2014", "in the 2004 tsunami", "years ago", "1975-79") gives
    background totals, never this story's figures; a year is the past when it is not the article's own
    year (an undated article's every named year is)."""
    if BACKGROUND.search(sentence):
        return True
    for match in BACKGROUND_YEAR.finditer(sentence):
        named = int(match[1] or match[3])
        if year is None or named != year or match[2] or match[3]:
            return True
    return False


def counts_in(sentence: str, year: int | None = None) -> list[Count]:
    """Every count of people the sentence states, with the noise above refused; ``year`` is the
    article's, when known (see is_background)."""
    lower = sentence.lower()
    if not any(c.isdigit() for c in sentence) and not any(w in lower for w in WORD_NUMBERS):
        return []
    if is_background(sentence, year):
        return []
    found = []
    for match in NUMBER.finditer(sentence):
        count = _count(sentence, match)
        if count is not None:
            found.append(count)
    return found


def _number(match: re.Match) -> float | None:
    text = match["num"].lower().replace(",", "")
    value = float(WORD_NUMBERS[text]) if text in WORD_NUMBERS else float(text)
    if "." in text and not match["scale"]:
        return None  # "5.5 magnitude", "1.5 metres": decimals count people only with a scale word
    if YEAR.match(text) and not match["hedge"] and not match["scale"]:
        return None  # a year
    return value * SCALES.get((match["scale"] or "").lower(), 1)


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The text of the number's clause before and after it (cuts found in the whole sentence, so an
    "and" is judged by what follows it). An opening phrase ("In Dar es Salaam, 11 people were
    killed") belongs to the clause it introduces."""
    cuts = list(CLAUSE_END.finditer(sentence))
    left = max((c.end() for c in cuts if c.end() <= start), default=0)
    opening = [c for c in cuts if c.end() <= start]
    if len(opening) == 1 and INTRODUCTION.match(sentence):
        left = 0
    right = min((c.start() for c in cuts if c.start() >= end), default=len(sentence))
    return sentence[left:start], sentence[end:right]


def _count(sentence: str, match: re.Match) -> Count | None:
    value = _number(match)
    if value is None or value < 2:
        return None
    before, after = _clause(sentence, match.start(), match.end())
    words_before, words_after = WORD.findall(before), WORD.findall(after)
    if _is_label(sentence, match, words_before, words_after):
        return None
    head = _head(words_after)
    if head is None:
        return None
    kind = _kind([w.lower() for w in words_before], [w.lower() for w in words_after])
    if kind is None:
        return None
    high = float(match["high"].replace(",", "")) * SCALES.get((match["scale"] or "").lower(), 1) if match[
        "high"] else None
    low_factor, high_factor = HEDGES.get((match["hedge"] or "").lower(), (1.0, 1.0))
    low, top = (value, high) if high and high > value else (value * low_factor, value * high_factor)
    if match["high"] and not (high and high > value):
        return None  # "3-1": a score, not a range
    number = match["num"].lower() if not match["num"][0].isdigit() else match["num"]
    written = " ".join(p for p in ((match["hedge"] or "").lower(), number + (
        f"-{match['high']}" if match["high"] else ""), (match["scale"] or "").lower()) if p)
    names = _scope(sentence, match, words_before, words_after)
    return Count(kind, value, low, top, written, frozenset(names - head), frozenset(head))


def _is_label(sentence: str, match: re.Match, words_before: list[str], words_after: list[str]) -> bool:
    """A model, flight or route number, a date, an age, money: a number that names, not counts."""
    previous = words_before[-1] if words_before else ""
    if match["hedge"] is None and previous.lower() in LABEL_BEFORE:
        return True
    sentence_start = len(words_before) == 1 and sentence.lstrip().startswith(previous)
    if match["num"][0].isdigit() and previous[:1].isupper() and previous.lower() not in NOT_NAMES \
            and match["hedge"] is None and not sentence_start:
        return True  # "Boeing 777", "Apollo 13", "Route 66"
    following = words_after[0] if words_after else ""
    if any(w[:1].isupper() and w.lower().rstrip(".") in MONTH_NAMES for w in (previous, following)):
        return True  # the day of a date
    text_before = sentence[:match.start()].rstrip()
    if text_before.endswith((",",)) and re.search(r"[A-Z][a-z]+,$", text_before) and \
            sentence[match.end():].lstrip().startswith(","):
        return True  # "Glyn Charles, 33, ...": an age
    return False


def _head(words_after: list[str]) -> set[str] | None:
    """What the number counts: None when it counts things, not people ("three yachts", "40 houses");
    else the qualifiers that narrow it ("Dutch passengers" -> {'dutch', 'passengers'}; "nearly 100 of
    Ranariddh's supporters" -> {"ranariddh's", 'supporters'})."""
    if words_after and words_after[0].lower() == "of":
        group = [w.lower() for w in words_after[1:4] if w.lower() not in {"the", "his", "her", "their", "its"}]
        return set(group[:2]) - {"them", "those", "whom"}
    qualifiers: set[str] = set()
    for k, word in enumerate(words_after[:3]):
        lower = word.lower()
        if lower in GENERIC_PEOPLE:
            return qualifiers
        if lower in PEOPLE:
            return qualifiers | {lower}
        if word[0].isupper() and lower not in NOT_NAMES:
            qualifiers.add(lower)  # "21 Israelis", "27 Dutch passengers"
            if k + 1 == len(words_after[:3]) or words_after[k + 1].lower() in LINKING:
                return qualifiers
            continue
        if _kind_of(lower) and k + 1 < len(words_after) and _counts_things(words_after[k + 1]):
            return None  # "the three missing yachts"
        if lower in LINKING or lower in NOT_NAMES or _kind_of(lower):
            return qualifiers if k == 0 or qualifiers else set()
        if k == 0 and lower in QUALIFIERS:
            qualifiers.add(lower)
            continue
        return None
    return qualifiers if not words_after else None


def _counts_things(word: str) -> bool:
    """Whether a noun after "missing" or "dead" names things, not people ("missing yachts")."""
    lower = word.lower()
    return not (word[:1].isupper() or lower in PEOPLE or lower in LINKING or lower in NOT_NAMES)


def _kind(words_before: list[str], words_after: list[str]) -> str | None:
    """The kind named nearest the number in its clause (after it first on a tie)."""
    best: tuple[int, str] | None = None
    for distance, word in enumerate(words_after[:AFTER]):
        kind = _kind_of(word)
        if kind:
            best = (distance, kind)
            break
    for distance, word in enumerate(reversed(words_before[-BEFORE:])):
        kind = _kind_of(word)
        if kind and (best is None or distance < best[0]):
            return kind
        if kind:
            break
    return best[1] if best else None


def _kind_of(word: str) -> str | None:
    for kind, stems in KINDS.items():
        if word.startswith(stems):
            return kind
    return None


def _scope(sentence: str, match: re.Match, words_before: list[str], words_after: list[str]) -> set[str]:
    """Names within NEAR words of the number in its clause ("in Honduras", "from Cedar Falls"), each
    whole ("cedar falls", even where the window cuts it), lower-cased; the sentence's first word and
    calendar words are not names."""
    sentence_first = bool(words_before) and len(WORD.findall(sentence[:match.start()])) == len(words_before)
    before = [(w, len(words_before) - k <= NEAR and not (k == 0 and sentence_first)) for k, w in
              enumerate(words_before)]
    after = [(w, k < NEAR) for k, w in enumerate(words_after)]
    names, phrase, near = set(), [], False
    for word, close in before + [("", False)] + after + [("", False)]:
        if word[:1].isupper() and word.lower() not in NOT_NAMES:
            phrase.append(word.lower())
            near = near or close
            continue
        if phrase and near:
            names.add(" ".join(phrase))
        phrase, near = [], False
    return names
