"""Meta-evaluation on synthetic judgements whose answers are known."""
from __future__ import annotations

import json

import pytest

from polybrief.core.errors import InputError, PolybriefError
from polybrief.eval.metaeval.correlation import combination_parts, meta_evaluate, read_judgements

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


def test_system_level_pairwise_accuracy_follows_the_system_order(tmp_path):
    """chrF orders the five systems as the humans do (accuracy 1); flipped judgements give 0."""
    agree = meta_evaluate(read_judgements(write_rows(tmp_path / "a.jsonl")), ["chrf"], baseline=None, resamples=50)
    accuracy = agree["metrics"]["chrf"]["system_pairwise"]["accuracy"]
    assert accuracy["value"] == pytest.approx(1.0) and accuracy["low"] <= 1.0
    flipped = meta_evaluate(read_judgements(write_rows(tmp_path / "b.jsonl", flip=True)), ["chrf"], baseline=None,
                            resamples=50)
    assert flipped["metrics"]["chrf"]["system_pairwise"]["accuracy"]["value"] == pytest.approx(0.0)


def documents_rows(path, documents: int = 6):
    """``write_rows`` spread over several documents, with a 'noise' system scored at random by humans."""
    rows = [json.loads(line) for line in write_rows(path).read_text().splitlines()]
    for row in rows:
        row["doc"] = f"doc{row['seg_id'] % documents}"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_selection_split_keeps_documents_whole_and_reports_on_the_rest(tmp_path):
    from polybrief.eval.metaeval.selection import select_and_report, split_documents

    rows = read_judgements(documents_rows(tmp_path / "a.jsonl"))
    keep = split_documents(rows, 0.5, seed=3)
    chosen_docs = {d for d, k in zip(rows.document, keep) if k}
    other_docs = {d for d, k in zip(rows.document, keep) if not k}
    assert len(chosen_docs) == 3 and not chosen_docs & other_docs
    report = select_and_report(rows, ["chrf", "ter"], baseline="bleu", splits=3, seed=3, resamples=50)
    assert report["chosen_counts"] == {"chrf": 3}  # chrF tracks the humans exactly here; TER does not
    run = report["runs"][0]
    assert run["seed"] == 3 and set(run["selection_documents"]) == chosen_docs
    assert run["report_rows"] == int((~keep).sum())
    assert run["report"]["chosen"]["segment_grouped"]["kendall"]["value"] == pytest.approx(1.0)
    assert [r["seed"] for r in report["runs"]] == [3, 4, 5]


def test_selection_fits_combination_weights_on_the_selection_part(tmp_path):
    """chrf+ter with fitted weights leans on chrF (which agrees with the humans) more than on TER."""
    from polybrief.eval.metaeval.selection import select_and_report

    rows = read_judgements(documents_rows(tmp_path / "a.jsonl"))
    fitted = select_and_report(rows, ["chrf+ter"], baseline="chrf", resamples=20)
    equal = select_and_report(rows, ["chrf+ter"], baseline="chrf", resamples=20, fit=False)
    assert equal["runs"][0]["weights"] == [0.5, 0.5]
    assert fitted["runs"][0]["weights"] != [0.5, 0.5]
    assert sum(abs(w) for w in fitted["runs"][0]["weights"]) == pytest.approx(1.0, abs=1e-3)


def test_selection_needs_two_documents_and_a_sane_share(tmp_path):
    from polybrief.eval.metaeval.selection import select_and_report

    rows = read_judgements(write_rows(tmp_path / "a.jsonl"))  # one document
    with pytest.raises(PolybriefError, match="at least two documents"):
        select_and_report(rows, ["chrf"], resamples=10)
    with pytest.raises(PolybriefError, match="between 0 and 1"):
        select_and_report(rows, ["chrf"], selection_share=1.5, resamples=10)


def test_meta_eval_select_from_the_command_line(tmp_path):
    from .conftest import polybrief

    data = documents_rows(tmp_path / "a.jsonl")
    result = polybrief("meta-eval", str(data), "--metrics", "chrf,bleu", "--baseline", "bleu", "--select",
                       "--splits", "2", "--resamples", "20", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["splits"] == 2 and report["split_by"] == "document"
    assert set(report["runs"][0]["selection_grouped_kendall"]) == {"chrf", "bleu"}
