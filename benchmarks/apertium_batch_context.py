"""How often Apertium translates a sentence differently in a batch than alone (real Multi-News sentences).

    python benchmarks/apertium_batch_context.py [--sentences 200] [--mode eng-spa]

polybrief sends a batch of sentences to Apertium in one call, one per line (``SEPARATOR``), because
starting the pipeline is most of a call. Apertium is not line-independent: a line after one without
final punctuation loses its capital, and the part-of-speech tagger carries its state across lines. This
counts the sentences whose batched translation differs from their translation alone, for a newline
between sentences (what polybrief does) and for a blank line. It takes about a minute: one call per
sentence for the "alone" side.
"""
from __future__ import annotations

import argparse
import json
import subprocess

from common import MULTINEWS

from polybrief.core.sentences import split_sentences


def apertium(text: str, mode: str) -> str:
    return subprocess.run(["apertium", "-f", "txt", mode], input=text, capture_output=True, text=True,
                          check=True).stdout.rstrip("\n")


def sentences(count: int) -> list[str]:
    """The first five sentences of the first article of each dev cluster, until ``count``."""
    out: list[str] = []
    with MULTINEWS.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line)["documents"][0]["text"]
            found = [" ".join(s.split()) for p in text.split("\n") for s in split_sentences(p, "en")]
            out += [s for s in found if s][:5]
            if len(out) >= count:
                return out[:count]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--mode", default="eng-spa")
    args = parser.parse_args()
    segments = sentences(args.sentences)
    alone = [apertium(s, args.mode) for s in segments]
    print(f"{len(segments)} Multi-News sentences, Apertium {args.mode}\n")
    print("| between sentences | differ from alone |\n|---|---|")
    for name, separator in (("newline (polybrief)", "\n"), ("blank line", "\n\n")):
        batched = apertium(separator.join(segments), args.mode).split(separator)
        assert len(batched) == len(segments), f"{name}: lines misaligned"
        print(f"| {name} | {sum(a != b for a, b in zip(alone, batched))} |")


if __name__ == "__main__":
    main()
