"""BERTScore, embedding and cross-lingual similarity on the packaged encoders, and evaluate modules."""
from __future__ import annotations

import numpy as np
import pytest
import sacrebleu

from polybrief.core.errors import PolybriefError
from polybrief.eval.hf.module import MODULE_NAMES, polybrief_module_path
from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments

HYPS = ["The bridge collapsed on Monday morning.", "The bakery sells pumpkin bread."]
REFS = [["On Monday morning the bridge fell down.", "On Monday morning the bridge fell down."]]


def test_bertscore_equals_the_bert_score_package():
    from bert_score import score

    from polybrief.core.encoders import minilm_path

    metric = get_metric("bertscore")
    stats = metric.segment_stats(Segments(HYPS, REFS))
    p, r, f = score(HYPS, REFS[0], model_type=str(minilm_path()), num_layers=6)
    assert np.allclose(stats, np.stack([p.numpy(), r.numpy(), f.numpy()], axis=1), atol=1e-6)
    assert stats[0, 2] > stats[1, 2]
    assert "bertscore|model:minilm|layer:6" in metric.signature()


def test_bertscore_of_an_empty_segment_is_zero_and_the_rest_unchanged():
    """bert-score gives an empty side 0 (and warns); with transformers 5 it crashes on one instead."""
    metric = get_metric("bertscore")
    alone = metric.segment_stats(Segments(HYPS, REFS))
    with_empty = metric.segment_stats(Segments([*HYPS, "", "A cat."], [[*REFS[0], "A cat sat.", ""]]))
    assert np.allclose(with_empty[:len(HYPS)], alone, atol=1e-6)
    assert (with_empty[len(HYPS):] == 0).all()


def test_embedding_similarity_ranks_paraphrase_above_unrelated():
    metric = get_metric("embedding")
    cos = metric.segment_scores(metric.segment_stats(Segments(HYPS, REFS)))[:, 0]
    assert cos[0] > 0.6 > cos[1]


def test_cross_lingual_similarity_needs_sources_and_sees_drift():
    metric = get_metric("xling")
    with pytest.raises(PolybriefError, match="needs sources"):
        metric.segment_stats(Segments(HYPS, []))
    src = ["El puente se derrumbó el lunes por la mañana.", "El puente se derrumbó el lunes por la mañana."]
    cos = metric.segment_scores(metric.segment_stats(Segments(HYPS, [], src)))[:, 0]
    assert cos[0] > cos[1]


def test_evaluate_loads_local_modules_offline(monkeypatch):
    import evaluate

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rouge = evaluate.load(polybrief_module_path("rouge"))
    out = rouge.compute(predictions=HYPS, references=[r for r in REFS[0]])
    ours = get_metric("rouge")
    assert out["rouge2_f"] == pytest.approx(ours.corpus_scores(ours.segment_stats(Segments(HYPS, REFS)))["rouge2_f"])
    bleu = evaluate.load(polybrief_module_path("bleu"))
    multi = bleu.compute(predictions=HYPS, references=[[r, "A second reference."] for r in REFS[0]])
    expected = sacrebleu.corpus_bleu(HYPS, [REFS[0], ["A second reference."] * 2]).score
    assert multi["score"] == pytest.approx(expected) and multi["signature"].startswith("bleu|nrefs:2")
    assert set(MODULE_NAMES) >= {"bleu", "chrf", "chrf++", "ter", "rouge", "bertscore", "embedding", "xling"}


def test_every_module_directory_exists():
    from pathlib import Path

    for name in MODULE_NAMES:
        folder = Path(polybrief_module_path(name))
        assert (folder / f"{folder.name}.py").is_file()


def test_evaluate_modules_describe_themselves():
    """evaluate's own modules carry a description, a citation and the arguments: so do ours."""
    import evaluate

    chrf = evaluate.load(polybrief_module_path("chrf"))
    assert chrf.description.startswith("chrF (Popović, 2015)")
    assert "Popović" in chrf.citation and "word_order" in chrf.inputs_description
    assert "references: list of str" in chrf.inputs_description


@pytest.mark.parametrize("name", sorted(set(MODULE_NAMES) - {"bertscore"}))
def test_metric_docstring_examples_hold(name):
    """Each metric's docstring example runs and prints what it says (bertscore's only loads a model)."""
    import doctest

    from polybrief.eval.metrics import METRICS

    cls = METRICS[name]
    assert cls.citation and "Example:" in cls.__doc__
    finder = doctest.DocTestFinder(recurse=False)
    tests = finder.find(cls, name, globs={"get_metric": get_metric, "Segments": Segments})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0 and runner.summarize(verbose=False).attempted > 0
