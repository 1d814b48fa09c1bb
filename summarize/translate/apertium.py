"""Apertium, the rule-based MT engine Debian packages (``apertium`` plus one package per pair).

It never invents facts, which makes it the safe default for a news tool, and it runs
offline in milliseconds. It reads awkwardly and marks words it does not know with ``*``;
we count those marks (a quality signal) and then remove them.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache

from polybrief.core.errors import PolybriefError

from .base import Translator

# ISO 639-1 (what language id gives) to the ISO 639-3 codes Apertium names its modes with.
ISO3 = {"en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg",
        "eu": "eus", "ro": "ron", "oc": "oci", "an": "arg", "ast": "ast", "de": "deu", "nl": "nld",
        "tr": "tur", "ru": "rus", "uk": "ukr", "pl": "pol", "sv": "swe", "da": "dan", "nb": "nob",
        "nn": "nno", "is": "isl", "eo": "epo", "cy": "cym", "br": "bre", "ga": "gle", "mt": "mlt",
        "kk": "kaz", "tt": "tat", "hi": "hin", "ur": "urd", "ar": "ara", "he": "heb", "sq": "sqi",
        "mk": "mkd", "bg": "bul", "sr": "srp", "hr": "hrv", "bs": "bos", "sl": "slv", "cs": "ces"}
_MARKS = re.compile(r"(?<![\w*#@])[*#@]+(?=\w)")  # '*unknown', '#generation', '@untranslated' marks
_UNKNOWN = re.compile(r"(?<![\w*])\*(?=[a-zà-ÿ])")  # lower-case only: names pass through intact
SEPARATOR = "\n"  # Apertium keeps line breaks, so one call translates a batch of sentences
TIMEOUT_S = 600
CACHE_CALLS = 256  # memo bound, in calls: a call's text is a batch of sentences, so this stays megabytes


@lru_cache(maxsize=1)
def installed_modes() -> frozenset[str]:
    """The translation modes of the installed Apertium pairs (e.g. 'spa-eng')."""
    if not shutil.which("apertium"):
        return frozenset()
    result = subprocess.run(["apertium", "-l"], capture_output=True, text=True, timeout=60)
    return frozenset(line.strip() for line in result.stdout.splitlines() if line.strip())


def mode_name(source: str, target: str) -> str:
    return f"{ISO3.get(source, source)}-{ISO3.get(target, target)}"


class ApertiumTranslator(Translator):
    """Apertium as a subprocess, one call per batch of sentences."""

    name = "apertium"

    def supports(self, source: str, target: str) -> bool:
        return mode_name(source, target) in installed_modes()

    def check_pair(self, source: str, target: str) -> None:
        if not shutil.which("apertium"):
            raise PolybriefError("Apertium is not installed: run `make install` or "
                                 "`apt-get install apertium apertium-eng-spa`")
        if not self.supports(source, target):
            a, b = ISO3.get(source, source), ISO3.get(target, target)
            have = ", ".join(sorted(installed_modes())) or "none"
            raise PolybriefError(f"no Apertium pair for {source}->{target} (installed: {have}); install "
                                 f"the Debian package apertium-{a}-{b} or apertium-{b}-{a} "
                                 "(`apt-cache search apertium` lists them), or use --translator MODEL_DIR")

    def translate_segments(self, segments: list[str], source: str, target: str) -> list[str]:
        flat = [" ".join(s.split()) for s in segments]  # one sentence per line, as Apertium keeps lines
        output = _apertium(SEPARATOR.join(flat), mode_name(source, target))
        lines = output.split(SEPARATOR)
        if len(lines) < len(flat) or any(lines[len(flat):]):
            return [_apertium(s, mode_name(source, target)) for s in flat]  # misaligned: one call each
        return lines[:len(flat)]

    def count_unknown(self, translated: str) -> int:
        return len(_UNKNOWN.findall(translated))

    def clean(self, translated: str) -> str:
        return _MARKS.sub("", translated).strip()


@lru_cache(maxsize=CACHE_CALLS)
def _apertium(text: str, mode: str) -> str:
    """One Apertium call, remembered for the life of the process: its output depends only on the text and
    the installed pair, and most of a call is starting the pipeline (0.25 s), so briefing a cluster again
    (another method of a grid, the round trip of its trust signals, the API called twice) costs nothing.
    Keyed on the whole call, not per line: Apertium carries context across lines."""
    try:
        result = subprocess.run(["apertium", "-f", "txt", mode], input=text, capture_output=True,
                                text=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PolybriefError(f"apertium {mode} failed: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise PolybriefError(f"apertium {mode} failed: {detail}")
    return result.stdout.rstrip("\n")


__all__ = ["ApertiumTranslator", "CACHE_CALLS", "ISO3", "SEPARATOR", "TIMEOUT_S", "installed_modes", "mode_name"]
