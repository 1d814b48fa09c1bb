"""BLEU, chrF, chrF++ and TER equal sacreBLEU, corpus and sentence level, and signatures kept."""
from __future__ import annotations

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
    assert "asian:yes" in get_metric("ter", "ja").signature()


def test_downloading_tokenizers_are_refused_clearly():
    with pytest.raises(PolybriefError, match="SentencePiece model"):
        get_metric("bleu", tokenize="flores200")


def test_mismatched_counts_are_refused():
    with pytest.raises(PolybriefError, match="reference set 1 has 2 segments, hypotheses have 3"):
        Segments(["a", "b", "c"], [["a", "b"]])
