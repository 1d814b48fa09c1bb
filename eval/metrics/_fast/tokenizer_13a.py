"""sacreBLEU's default BLEU tokenizer (``13a``, mteval-v13a): the same strings, about 3x faster.

Speed: sacreBLEU applies four regex substitutions whose ``\\1`` templates CPython 3.11 expands in
pure Python once per match. Here every rule runs in C:

- rule 1 pads each of a fixed set of ASCII punctuation characters with a space either side: a split
  on the same character class, joined by spaces;
- rule 4 (a dash after a digit) can never have a match hidden by an earlier one, so a look-behind
  with a literal replacement makes the same string;
- rules 2 and 3 (a period or comma not preceded / not followed by a digit) consume the neighbouring
  character, which can hide a match only where two periods or commas touch ("...", ".,"); lines
  without such a pair get look-around patterns with literal replacements, the rest sacreBLEU's own
  patterns.

Equal to ``Tokenizer13a`` on every line of the WMT23 dev systems and references and on generated
punctuation soup (tests/test_sacrebleu_metrics.py).
"""
from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])")  # sacreBLEU's rule 1
_TOUCHING = re.compile(r"[\.,][\.,]")
_LITERAL = [  # (pattern, replacement) of rules 2 and 3 where no period or comma touches another
    (re.compile(r"\.(?<=[^0-9]\.)"), " . "), (re.compile(r",(?<=[^0-9],)"), " , "),  # literal first: fast scan
    (re.compile(r"\.(?=[^0-9])"), " . "), (re.compile(r",(?=[^0-9])"), " , ")]
_SACREBLEU = [  # sacreBLEU's rules 2 and 3 as they are
    (re.compile(r"([^0-9])([\.,])"), lambda m: f"{m[1]} {m[2]} "),
    (re.compile(r"([\.,])([^0-9])"), lambda m: f" {m[1]} {m[2]}")]
_DASH_AFTER_DIGIT = re.compile(r"-(?<=[0-9]-)")  # rule 4: ([0-9])(-) -> \1 \2


def tokenize_13a(line: str) -> str:
    """``sacrebleu.tokenizers.tokenizer_13a.Tokenizer13a()(line)``."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = " ".join(_PUNCTUATION.split(f" {line} "))  # = sub(r" \1 "): one space either side of each
    if "." in line or "," in line:
        for pattern, replacement in (_SACREBLEU if _TOUCHING.search(line) else _LITERAL):
            line = pattern.sub(replacement, line)
    if "-" in line:
        line = _DASH_AFTER_DIGIT.sub(" - ", line)
    return " ".join(line.split())
