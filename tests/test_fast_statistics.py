"""polybrief's own BLEU tokenizer and batch statistics for BLEU and chrF equal sacreBLEU's, row for row.

They exist for speed (tokenizer_13a.py, bleu_stats.py and chrf_stats.py in eval/metrics/_fast/ say where it goes);
these tests pin them to sacreBLEU on the layouts an experiment produces: every system of a test set
against the same references in one batch, several references with gaps, batches too large for exact
keys (halved), segments that alone do not fit (sacreBLEU's own code), and repeated outputs.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics._fast import bleu_stats, chrf_stats
from polybrief.eval.metrics._fast.tokenizer_13a import tokenize_13a
from polybrief.eval.metrics.base import Segments

WMT23 = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt23"
SYSTEMS = ["The cat sat on the mat.", "The cat sat on the mat.", "A cat is sitting on a mat...", "",
           "It costs 1,000.50 dollars, i.e. 3-4 times more -- see p. 5,6.", "Grüße aus Köln, sagte er."]
REFERENCES = ["The cat is on the mat.", "The cat is on the mat.", "The cat is on the mat.", "Nothing here.",
              "It cost $1,000.50, three to four times more (see p. 5).", "Grüße aus Köln, sagte sie."]


def soup(count: int, seed: int, touching: bool) -> list[str]:
    """Random lines of digits, letters and every punctuation character the 13a rules look at."""
    rng = random.Random(seed)
    alphabet = " .,-0123456789aZé&;<>\n'\"/{}~[]`^_()*+:@\t"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(count)]
    return [line for line in lines if touching or not re.search(r"[.,][.,]", line)]


def test_tokenizer_equals_sacrebleu_13a_on_punctuation_soup():
    sacrebleu_13a = Tokenizer13a()
    edge = ["a &quot;b&quot; &amp;lt; <skipped> x-\ny", "1.5,3-4 a.b ,c..", "...", ".,.,", "9.-", "-1-2-", " , . "]
    lines = edge + soup(20000, 1, touching=True) + soup(20000, 2, touching=False)
    assert sum(not re.search(r"[.,][.,]", line) for line in lines) > 15000  # both paths are exercised
    assert [tokenize_13a(line) for line in lines] == [sacrebleu_13a(line) for line in lines]


@pytest.mark.skipif(not WMT23.is_dir(), reason=f"{WMT23} is absent: the WMT23 dev data stays outside the repository")
def test_tokenizer_equals_sacrebleu_13a_on_every_wmt23_line():
    sacrebleu_13a = Tokenizer13a()
    lines = sorted({line for path in sorted(WMT23.glob("*/*/*")) + sorted(WMT23.glob("*/reference.*"))
                    if path.is_file() and not path.name.endswith((".tsv", ".txt"))
                    for line in path.read_text(encoding="utf-8").splitlines()})  # each distinct line once
    assert len(lines) > 50000
    assert [tokenize_13a(line) for line in lines] == [sacrebleu_13a(line) for line in lines]


def sacrebleu_rows(impl, hypotheses: list[str], references: list[list[str | None]]) -> np.ndarray:
    """sacreBLEU's own statistics, one segment at a time."""
    rows = []
    for i, hyp in enumerate(hypotheses):
        refs = [r[i] for r in references if r[i] is not None]
        info = impl._extract_reference_info([impl._preprocess_segment(r) for r in refs])
        rows.append(impl._compute_segment_statistics(impl._preprocess_segment(hyp), info))
    return np.array(rows, dtype=np.float64)


def experiment_layout(systems: int = 4) -> tuple[list[str], list[list[str | None]]]:
    """Every segment once per system, side by side, as a run's batch holds them; a second reference
    missing for some segments."""
    hyps, first, second = [], [], []
    for i, ref in enumerate(REFERENCES):
        for s in range(systems):
            hyps.append(SYSTEMS[(i + s) % len(SYSTEMS)])
            first.append(ref)
            second.append(None if i % 3 == 0 else REFERENCES[(i + 1) % len(REFERENCES)])
    return hyps, [first, second]


@pytest.mark.parametrize("options", [{}, {"lowercase": True}, {"tokenize": "char"}, {"tokenize": "intl"},
                                     {"tokenize": "none"}, {"tokenize": "zh"}, {"max_ngram_order": 2}])
def test_bleu_statistics_equal_sacrebleu(options):
    hyps, refs = experiment_layout()
    impl = BLEU(**options)
    expected = sacrebleu_rows(impl, hyps, refs)
    assert np.array_equal(bleu_stats.FastBleuStats(impl).corpus(hyps, refs), expected)
    assert np.array_equal(bleu_stats.FastBleuStats(impl).corpus(hyps, refs[:1]), sacrebleu_rows(impl, hyps, refs[:1]))


def test_bleu_batches_too_large_for_exact_keys_are_halved_then_left_to_sacrebleu(monkeypatch):
    hyps, refs = experiment_layout(systems=6)
    expected = sacrebleu_rows(BLEU(), hyps, refs)
    sizes: list[int] = []
    real = bleu_stats.packing

    def tight(segments: int, base: int, orders: int):
        sizes.append(segments)
        return real(segments, base, orders) if segments <= 20 else None

    monkeypatch.setattr(bleu_stats, "packing", tight)
    assert np.array_equal(bleu_stats.FastBleuStats(BLEU()).corpus(hyps, refs), expected)
    assert max(sizes) == len(hyps) and min(sizes) <= 20  # the whole batch was tried, then halves
    monkeypatch.setattr(bleu_stats, "packing", lambda *args: None)  # nothing fits: sacreBLEU's code throughout
    assert np.array_equal(bleu_stats.FastBleuStats(BLEU()).corpus(hyps, refs), expected)


def test_closest_reference_length_is_sacrebleus_choice():
    impl = BLEU()
    hyp_len = np.array([5, 5, 5, 0, 9])
    ref_lens = np.array([[4, 6, -1], [6, 4, -1], [7, 3, 5], [2, 1, -1], [1, -1, -1]])
    expected = [impl._get_closest_ref_len(h, [r for r in row if r >= 0]) for h, row in zip(hyp_len, ref_lens)]
    assert bleu_stats.closest_lengths(hyp_len, ref_lens).tolist() == expected == [4, 4, 5, 1, 1]


def chrf_rows(impl: CHRF, hypotheses: list[str], references: list[list[str]]) -> np.ndarray:
    """sacreBLEU's chrF statistics: per segment, the references' best F."""
    rows = []
    for i, hyp in enumerate(hypotheses):
        candidates = [impl._compute_segment_statistics(impl._preprocess_segment(hyp),
                                                       impl._extract_reference_info([r[i]])) for r in references]
        rows.append(max(candidates, key=impl._compute_f_score))  # first best on a tie, as sacreBLEU
    return np.array(rows, dtype=np.float64)


def test_chrf_statistics_equal_sacrebleu_on_an_experiment_batch():
    hyps, refs = experiment_layout()
    full = [[r if r is not None else "" for r in refs[1]]]
    for references in (refs[:1], refs[:1] + full):
        expected = chrf_rows(CHRF(), hyps, references)
        assert np.array_equal(chrf_stats.FastChrfStats(CHRF()).corpus(hyps, references), expected)


def test_chrf_batches_too_large_are_halved_and_huge_alphabets_left_to_sacrebleu(monkeypatch):
    hyps, refs = experiment_layout(systems=6)
    cjk = "".join(chr(0x4E00 + k) for k in range(700))  # one segment alone too large for exact 6-gram keys
    hyps, refs = hyps + [cjk[::-1][:300]], [refs[0] + [cjk]]
    expected = chrf_rows(CHRF(), hyps, refs)
    real = chrf_stats.packing
    monkeypatch.setattr(chrf_stats, "packing", lambda n, base, orders: real(n, base, orders) if n <= 20 else None)
    assert np.array_equal(chrf_stats.FastChrfStats(CHRF()).corpus(hyps, refs), expected)


def test_repeated_segments_are_scored_once_with_the_same_rows():
    hyps, refs = experiment_layout()
    segments = Segments(hyps, [refs[0]])
    unique, where = segments.distinct()
    assert len(unique) < len(segments) and [unique.hypotheses[k] for k in where] == hyps
    for name in ("bleu", "chrf", "chrf++", "ter", "rouge"):
        metric = get_metric(name)
        assert np.array_equal(metric.segment_stats_once(segments), metric.segment_stats(segments)), name
