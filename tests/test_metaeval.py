"""Meta-evaluation on synthetic judgements whose answers are known."""
from __future__ import annotations

import json

import pytest

from polybrief.core.errors import InputError, PolybriefError
from polybrief.eval.metaeval import combination_parts, meta_evaluate, read_judgements

from .conftest import write_rows


def test_perfect_agreement(tmp_path):
    report = meta_evaluate(read_judgements(write_rows(tmp_path / "a.jsonl")), ["chrf"], baseline=None,
                           resamples=100)
    chrf = report["metrics"]["chrf"]
    assert chrf["segment_grouped"]["kendall"]["value"] == pytest.approx(1.0)
    assert chrf["system"]["spearman"]["value"] == pytest.approx(1.0)
    assert chrf["segment_pooled"]["pearson"]["value"] > 0.9


def test_inverse_agreement_and_baseline_difference(tmp_path):
    report = meta_evaluate(read_judgements(write_rows(tmp_path / "a.jsonl", flip=True)), ["bleu"],
                           baseline="chrf", resamples=100)
    assert report["metrics"]["chrf"]["segment_grouped"]["kendall"]["value"] == pytest.approx(-1.0)
    diff = report["metrics"]["bleu"]["vs_baseline_grouped_kendall"]
    assert diff["low"] <= diff["value"] <= diff["high"]


def test_rows_skipped_and_counted(tmp_path):
    extra = [{"mt": "x", "system": "human", "seg_id": 0, "human_score": 0.0, "is_human_translation": True},
             {"mt": "y", "system": "sys0", "seg_id": 99, "human_score": None},
             {"mt": "z", "system": "sys0", "seg_id": 98, "human_score": float("nan")}]
    path = write_rows(tmp_path / "a.jsonl", extra=extra)
    path.write_text(path.read_text().replace("NaN", "NaN"), encoding="utf-8")
    rows = read_judgements(path)
    assert len(rows) == 60 and rows.skipped == {"human_translation": 1, "no_score": 2}
    assert len(read_judgements(path, include_human=True)) == 61


def test_bad_files(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"mt": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="missing field"):
        read_judgements(bad)
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"mt": "a b c", "ref": "a b", "system": "s", "seg_id": 1, "human_score": 1}) + "\n")
    with pytest.raises(PolybriefError, match="at least two systems"):
        meta_evaluate(read_judgements(one), ["chrf"])


def test_combinations_and_score_selectors():
    assert combination_parts("chrf+embedding") == ["chrf", "embedding"]
    assert combination_parts("chrf++") == ["chrf++"]
    assert combination_parts("chrf+++bleu") == ["chrf++", "bleu"]


def test_score_selector_and_combination_run(tmp_path):
    rows = read_judgements(write_rows(tmp_path / "a.jsonl"))
    report = meta_evaluate(rows, ["rouge.rouge1_r", "chrf+bleu"], baseline="chrf", resamples=50)
    assert set(report["metrics"]) == {"rouge.rouge1_r", "chrf+bleu", "chrf"}
    with pytest.raises(PolybriefError, match="has no score"):
        meta_evaluate(rows, ["rouge.nope"], baseline=None, resamples=10)
