"""The scoring commands end to end, and their handling of bad input."""
from __future__ import annotations

import json

import pytest
import sacrebleu

from .conftest import SEEDS, assert_clean_failure, polybrief, write_rows

HYP = ["The cat sat on the mat.", "A quick brown fox jumps.", "Hello world"]
REF = ["The cat is on the mat.", "The quick brown fox jumped over.", "Hello, world!"]
OTHER = ["The cat sat on a mat.", "A brown fox jumps.", "Hello world!"]


@pytest.fixture()
def files(tmp_path):
    out = {}
    for name, lines in (("hyp", HYP), ("ref", REF), ("other", OTHER)):
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_score_json_equals_sacrebleu(files):
    result = polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--metrics", "bleu,chrf,rouge",
                       "--format", "json", "--resamples", "100", "--paired-with", str(files["other"]))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["results"]
    assert data["bleu"]["scores"]["score"]["score"] == pytest.approx(sacrebleu.corpus_bleu(HYP, [REF]).score)
    assert data["chrf"]["signature"].startswith("chrf|nrefs:1") and "bs:100" in data["chrf"]["signature"]
    assert 0 < data["bleu"]["significance"]["p_value"] <= 1
    assert set(data["rouge"]["scores"]) >= {"rouge1_f", "rougeLsum_p", "rouge2_r"}


def test_score_table(files):
    result = polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--metrics", "chrf,ter")
    assert result.returncode == 0, result.stderr
    assert "| chrf |" in result.stdout and "Signatures:" in result.stdout and "95% CI" in result.stdout


def test_score_bad_inputs(files, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert_clean_failure(polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(short)),
                         "reference set 1 has 1 segments, hypotheses have 3")
    assert_clean_failure(polybrief("score", "--hyp", str(empty), "--ref", str(files["ref"])), "no non-empty segment")
    assert_clean_failure(polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]),
                                   "--metrics", "rouge-l"), "did you mean 'rouge'")
    assert_clean_failure(polybrief("score", "--hyp", str(files["hyp"]), "--metrics", "bleu"),
                         "bleu needs at least one reference")
    assert_clean_failure(polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--lang",
                                   "english"), "--lang: unknown language code 'english'")  # was scored, with a warning


def test_empty_lines_are_scored_with_a_warning(files, tmp_path):
    gappy = tmp_path / "gappy.txt"
    gappy.write_text("The cat sat on the mat.\n\nHello world\n", encoding="utf-8")
    result = polybrief("score", "--hyp", str(gappy), "--ref", str(files["ref"]), "--metrics", "chrf")
    assert result.returncode == 0 and "1 empty segment" in result.stderr


def test_meta_eval_command(tmp_path):
    path = write_rows(tmp_path / "j.jsonl")
    result = polybrief("meta-eval", str(path), "--metrics", "bleu", "--resamples", "50", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["metrics"]["chrf"]["segment_grouped"]["kendall"]["value"] == pytest.approx(1.0)
    table = polybrief("meta-eval", str(path), "--metrics", "bleu", "--resamples", "50")
    assert "grouped tau - chrf" in table.stdout
    assert_clean_failure(polybrief("meta-eval", str(tmp_path / "none.jsonl")), "no such file")


@pytest.mark.slow
def test_score_docs_shows_the_translated_article_beside_native_ones():
    result = polybrief("score-docs", str(SEEDS), "--reference", str(SEEDS / "reference.md"))
    assert result.returncode == 0, result.stderr
    rows = [ln for ln in result.stdout.splitlines() if ln.startswith("| 00")]
    assert len(rows) == 5
    assert "| 001_c2ff69d04b4610b3 | en | yes (from es) |" in result.stdout
    assert "(machine-translated): ROUGE-2 recall" in result.stdout and "vs native mean" in result.stdout


def test_metric_parameters_on_the_command_line(files):
    result = polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--metrics",
                       "bleu:tokenize=intl:lowercase=true", "--format", "json", "--resamples", "0")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["results"]["bleu"]
    assert "tok:intl" in data["signature"] and "case:lc" in data["signature"]
    expected = sacrebleu.corpus_bleu(HYP, [REF], tokenize="intl", lowercase=True).score
    assert data["scores"]["score"]["score"] == pytest.approx(expected)
    assert_clean_failure(polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--metrics",
                                   "bleu:tokenize"), "parameters are written key=value")
    assert_clean_failure(polybrief("score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"]), "--metrics",
                                   "chrf:nonsense=1"), "metric chrf:")
