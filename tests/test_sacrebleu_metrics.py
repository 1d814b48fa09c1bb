"""BLEU, chrF, chrF++ and TER equal sacreBLEU, corpus and sentence level, and signatures kept."""
from __future__ import annotations

import numpy as np
import pytest
import sacrebleu

from polybrief.core.errors import PolybriefError
from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments

HYPS = ["The cat sat on the mat.", "A quick brown fox jumps over the dog.", "Hello world", ""]
REFS = [["The cat is on the mat.", "The quick brown fox jumped over the lazy dog.", "Hello, world!", "Nothing."],
        ["A cat sat on a mat.", "A fast brown fox jumps over a dog.", "Hi world", "Empty."]]


@pytest.mark.parametrize("name, corpus_fn, sentence_fn", [
    ("bleu", sacrebleu.corpus_bleu, sacrebleu.sentence_bleu),
    ("chrf", sacrebleu.corpus_chrf, sacrebleu.sentence_chrf),
    ("ter", sacrebleu.corpus_ter, sacrebleu.sentence_ter),
])
def test_equal_to_sacrebleu(name, corpus_fn, sentence_fn):
    metric = get_metric(name)
    stats = metric.segment_stats(Segments(HYPS, REFS))
    assert metric.corpus_scores(stats)["score"] == pytest.approx(corpus_fn(HYPS, REFS).score, abs=1e-9)
    segment = metric.segment_scores(stats)[:, 0]
    for i, hyp in enumerate(HYPS):
        assert segment[i] == pytest.approx(sentence_fn(hyp, [r[i] for r in REFS]).score, abs=1e-9)


def test_chrf_plus_plus():
    metric = get_metric("chrf++")
    score = metric.corpus_scores(metric.segment_stats(Segments(HYPS, REFS)))["score"]
    assert score == pytest.approx(sacrebleu.corpus_chrf(HYPS, REFS, word_order=2).score, abs=1e-9)
    assert "nw:2" in metric.signature() and metric.signature().startswith("chrf++|nrefs:2")


def test_tokenizer_follows_target_language():
    zh = get_metric("bleu", "zh")
    hyps, refs = ["我爱北京天安门"], [["我爱北京"]]
    assert "tok:zh" in zh.signature()
    expected = sacrebleu.corpus_bleu(hyps, refs, tokenize="zh").score
    assert zh.corpus_scores(zh.segment_stats(Segments(hyps, refs)))["score"] == pytest.approx(expected)
    assert "tok:13a" in get_metric("bleu", "de").signature()
    for language, tokenizer, hyps, refs in (("ja", "ja-mecab", ["私は猫が好きです。"], [["私は犬が好きです。"]]),
                                            ("ko", "ko-mecab", ["나는 고양이를 좋아한다"], [["나는 개를 좋아한다"]])):
        bleu = get_metric("bleu", language)  # MeCab installs with polybrief: no fallback to character BLEU
        assert f"tok:{tokenizer}" in bleu.signature()
        expected = sacrebleu.corpus_bleu(hyps, refs, tokenize=tokenizer).score
        assert bleu.corpus_scores(bleu.segment_stats(Segments(hyps, refs)))["score"] == pytest.approx(expected)
    assert "asian:yes" in get_metric("ter", "ja").signature()


def test_downloading_tokenizers_are_refused_clearly():
    with pytest.raises(PolybriefError, match="SentencePiece model"):
        get_metric("bleu", tokenize="flores200")


def test_mismatched_counts_are_refused():
    with pytest.raises(PolybriefError, match="reference set 1 has 2 segments, hypotheses have 3"):
        Segments(["a", "b", "c"], [["a", "b"]])


@pytest.mark.parametrize("smooth", ["exp", "none", "floor"])
@pytest.mark.parametrize("effective", [False, True])
def test_vectorized_bleu_equals_compute_bleu(smooth, effective):
    """bleu_scores is sacreBLEU's compute_bleu on many rows at once: random rows plus the edge cases
    (no matches, zero totals, empty hypothesis, hypothesis longer than reference)."""
    from sacrebleu.metrics import BLEU

    from polybrief.eval.metrics.vectorized import bleu_scores

    rng = np.random.default_rng(3)
    total = rng.integers(0, 30, size=(400, 4))
    correct = np.minimum(total, rng.integers(0, 12, size=(400, 4)))
    rows = np.column_stack([total[:, 0], rng.integers(0, 40, 400), correct, total]).astype(float)
    rows[:5] = [[0, 5, 0, 0, 0, 0, 0, 0, 0, 0], [3, 3, 0, 0, 0, 0, 3, 2, 1, 0], [9, 4, 4, 3, 0, 0, 9, 8, 7, 6],
                [2, 7, 2, 1, 0, 0, 2, 1, 0, 0], [5, 5, 5, 4, 3, 2, 5, 4, 3, 2]]
    impl = BLEU(smooth_method=smooth, effective_order=effective)
    expected = [impl._compute_score_from_stats(list(r)).score for r in rows]
    got = bleu_scores(rows, 4, smooth, BLEU.SMOOTH_DEFAULTS[smooth], effective)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_vectorized_chrf_equals_compute_f_score():
    from sacrebleu.metrics import CHRF

    from polybrief.eval.metrics.vectorized import chrf_scores

    rng = np.random.default_rng(4)
    hyp, ref = rng.integers(0, 40, size=(500, 6)), rng.integers(0, 40, size=(500, 6))
    match = np.minimum(np.minimum(hyp, ref), rng.integers(0, 30, size=(500, 6)))
    rows = np.stack([hyp, ref, match], axis=2).reshape(500, 18).astype(float)
    rows[0] = 0
    rows[1, 1::3] = 0  # no reference n-grams
    for word_order in (0, 2):
        impl = CHRF(word_order=word_order)
        wide = np.column_stack([rows] + [rows[:, :6]] * (word_order > 0)) if word_order else rows
        expected = [impl._compute_f_score(list(r)) for r in wide]
        assert chrf_scores(wide, impl.order, impl.beta) == pytest.approx(expected, rel=1e-13, abs=1e-13)
