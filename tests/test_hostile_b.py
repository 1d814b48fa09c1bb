"""Hostile and faulty inputs, round two (issue 20, part B): wrong numbers said with confidence,
crashes and misleading messages. Every case is a one-line error or a right number, in-process."""
from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from polybrief.eval.experiment.runrecord import RunRecord
from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments
from polybrief.eval.stats.resampling import approximate_randomization, paired_bootstrap

from .conftest import ROOT, assert_clean_failure, polybrief

EXAMPLES = ROOT / "docs" / "examples"
SAMPLE = EXAMPLES / "es-en"


# 8. identical systems are never "significant"

@pytest.mark.parametrize("test", [paired_bootstrap, approximate_randomization])
def test_identical_systems_get_p_one(test):
    metric = get_metric("chrf")
    refs = (EXAMPLES / "ref.txt").read_text(encoding="utf-8").splitlines()
    hyps = (EXAMPLES / "system_a.txt").read_text(encoding="utf-8").splitlines()
    stats = metric.segment_stats(Segments(hyps, [refs]))
    assert test(metric, stats, stats.copy(), 200, 7).p_value == 1.0


@pytest.mark.parametrize("kind", ["bs", "ar"])
def test_score_paired_with_the_same_file_is_p_one(kind):
    hyp = EXAMPLES / "system_a.txt"
    result = polybrief("score", "--hyp", hyp, "--ref", EXAMPLES / "ref.txt", "--metrics", "bleu,chrf",
                       "--paired-with", hyp, "--paired-test", kind, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    values = [s["p_value"] for s in _find(report, "p_value")]
    assert values and all(p == 1.0 for p in values), report


def _find(node, key):
    """Every dict in a JSON tree that holds ``key``."""
    if isinstance(node, dict):
        if key in node:
            yield node
        for value in node.values():
            yield from _find(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _find(value, key)


def test_a_run_ranks_a_system_with_its_copy(tmp_path):
    folder = tmp_path / "es-en"
    shutil.copytree(SAMPLE, folder)
    systems = sorted((folder / "systems").iterdir())
    shutil.copy(systems[0], systems[0].with_name("copy" + systems[0].suffix))
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"name": "mt", "data": {"path": str(folder)},
                                      "systems": [{"outputs": f"{folder}/systems"}], "metrics": ["chrf"],
                                      "statistics": {"resamples": 100}, "output": {"dir": str(tmp_path / "out")}}))
    result = polybrief("run", config)
    assert result.returncode == 0, result.stderr
    results = RunRecord.from_dict(json.loads(next((tmp_path / "out").rglob("results.json")).read_text()))
    chrf = results.pairwise["chrf"]
    pair = next(p for p in chrf.pairs if {p["a"], p["b"]} == {systems[0].stem, "copy"})
    assert pair["p_value"] == 1.0 and not pair["significant"]
    ranks = chrf.ranks
    assert ranks[systems[0].stem]["rank_range"] == ranks["copy"]["rank_range"]
    assert ranks[systems[0].stem]["group"] == ranks["copy"]["group"]


# 9. unknown system parameters are refused up front; a system that made nothing is an error

def _clusters_config(tmp_path, **extra):
    from .conftest import seed_clusters_jsonl, write_config

    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    return write_config(tmp_path / "c.yaml", data, tmp_path / "out", **extra)


def test_an_unknown_system_parameter_fails_check_and_run(tmp_path):
    systems = [{"name": "lead", "method": "lead", "words": 120},
               {"name": "odd", "method": "support", "words": 120, "params": {"bogus": 1}}]
    config = _clusters_config(tmp_path, systems=systems)
    for args in (("run", config, "--check"), ("run", config)):
        assert_clean_failure(polybrief(*args), "systems.1.params: method support has no parameter 'bogus'")
    assert not (tmp_path / "out").exists()


def test_a_small_word_budget_in_a_config_names_the_config_key(tmp_path):
    config = _clusters_config(tmp_path, systems=[{"name": "lead", "method": "lead", "words": 40}])
    result = polybrief("run", config, "--check")
    assert_clean_failure(result, "give words: 80 or more")
    assert "--words" not in result.stderr


def test_a_system_that_fails_on_every_cluster_is_an_error(tmp_path, monkeypatch):
    from polybrief.core.errors import PolybriefError
    from polybrief.summarize import pipeline

    real = pipeline.brief_cluster

    def broken(cluster, options):
        if options.method == "lexrank":
            raise PolybriefError("lexrank exploded")
        return real(cluster, options)

    monkeypatch.setattr(pipeline, "brief_cluster", broken)
    config = _clusters_config(tmp_path, statistics={"resamples": 50, "baseline": "lead"})
    result = polybrief("run", config)
    assert_clean_failure(result, "system lexrank: every cluster failed (first: lexrank exploded)")
    board = tmp_path / "out" / "leaderboard.jsonl"
    assert not board.exists() or "lexrank" not in board.read_text()


# 12. metric parameters are checked; NaN is never ranked

@pytest.mark.parametrize("spec, phrase", [("chrf:beta=nan", "beta must be a finite number"),
                                          ("chrf:char_order=-1", "char_order must be a whole number >= 1"),
                                          ("chrf:char_order=0", "char_order must be a whole number >= 1"),
                                          ("chrf++:word_order=-2", "word_order must be a whole number >= 0")])
def test_bad_chrf_parameters_are_one_line(spec, phrase):
    result = polybrief("score", "--hyp", EXAMPLES / "system_a.txt", "--ref", EXAMPLES / "ref.txt", "--metrics", spec)
    assert_clean_failure(result, phrase)


def test_check_refuses_a_metric_parameter_at_its_config_line(tmp_path):
    config = _clusters_config(tmp_path, metrics=[{"name": "chrf", "params": {"char_order": 0}}])
    result = polybrief("run", config, "--check")
    assert_clean_failure(result, "char_order must be a whole number")
    assert f"{config}:" in result.stderr.splitlines()[0]
    unknown = polybrief("run", config, "--check", "--set", "metrics.0.params={nope: 1}")
    assert_clean_failure(unknown, "--set metrics.0.params={nope: 1}: metric chrf: no parameter 'nope'")


def test_set_errors_are_blamed_on_the_set(tmp_path):
    config = _clusters_config(tmp_path)
    result = polybrief("run", config, "--check", "--set", "statistics.baseline=nobody")
    assert_clean_failure(result, "--set statistics.baseline=nobody:")
    nested = polybrief("run", config, "--check", "--set", "statistics={resamples: -1}")
    assert_clean_failure(nested, "--set statistics={resamples: -1}:")


def _row(system: str, score: float, low: float, high: float, **extra) -> dict:
    row = {"run_id": "r1", "name": "t", "dataset": "d", "system": system, "date": "2026-11-30T00:00:00",
           "clusters": 3, "metrics": {"chrf": {"score": {"score": score, "low": low, "high": high}}},
           "primary": {"chrf": "score"}, "higher_is_better": {"chrf": True}}
    return {**row, **extra}


DAMAGED = [
    {"metrics": {"chrf": {"score": {"score": "high"}}}},         # a score that is text
    {"primary": {}},                                              # primary without the metric
    {"metrics": {"chrf": []}},                                    # scores that are not a mapping
    {"ranks": {"chrf": {"cluster": 1}}},                          # a rank without its range
    {"date": 20261130},                                           # a date that is a number
    {"example": ["<b>"]},                                         # an example that is a list
    {"higher_is_better": None},                                   # direction missing
]


@pytest.mark.parametrize("damage", DAMAGED)
def test_one_hand_edited_row_is_skipped_with_its_line(tmp_path, damage):
    board = tmp_path / "leaderboard.jsonl"
    rows = [_row("good", 50.0, 45.0, 55.0), _row("bad", 40.0, 35.0, 45.0, **damage), _row("fine", 30, 25, 35)]
    board.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = polybrief("leaderboard", "--file", board)
    assert result.returncode == 0, result.stderr
    assert "| good" in result.stdout and "| fine" in result.stdout and "| bad" not in result.stdout
    assert f"{board}:2: not a leaderboard row" in result.stderr and "Traceback" not in result.stderr


def test_nan_is_never_ranked_and_the_best_row_is_not_starred(tmp_path):
    board = tmp_path / "leaderboard.jsonl"
    rows = [_row("good", 50.0, 45.0, 55.0), _row("nan", float("nan"), 0.0, 1.0), _row("near", 48.0, 44.0, 52.0),
            _row("far", 10.0, 8.0, 12.0)]
    board.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = polybrief("leaderboard", "--file", board)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("| ") and "rank" not in line]
    assert [line.split(" | ")[1] for line in lines] == ["good", "near *", "far"]
    assert "nan" in result.stderr and "not ranked" in result.stderr
    page = (tmp_path / "leaderboard.html").read_text()
    assert page.count('fill="#2a6"') == 2 and page.count('fill="#999"') == 1


# 10. meta-eval: dropped rows counted aloud, ties refused, --human-ranking never ignored

def test_meta_eval_says_how_many_rows_it_left_out(tmp_path):
    from .conftest import write_rows

    extra = [{"mt": "y", "system": "sys0", "seg_id": 99, "human_score": None},
             {"mt": None, "system": "sys1", "seg_id": 98, "human_score": 0.5}]
    data = write_rows(tmp_path / "j.jsonl", extra=extra)
    result = polybrief("meta-eval", data, "--metrics", "chrf", "--resamples", "20")
    assert result.returncode == 0, result.stderr
    assert "left out 1 row(s) without a numeric human_score and 1 row(s) without an mt text; 60 row(s) used" \
        in result.stderr


def test_meta_eval_refuses_tied_human_scores(tmp_path):
    from .conftest import write_rows

    data = write_rows(tmp_path / "j.jsonl")
    rows = [{**json.loads(line), "human_score": -1.0} for line in data.read_text().splitlines()]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = polybrief("meta-eval", data, "--metrics", "chrf", "--resamples", "20")
    assert_clean_failure(result, "every human_score is -1: tied scores give nothing to correlate with")
    assert "nan" not in result.stdout and "0.000" not in result.stdout


def test_meta_eval_human_ranking_with_judgements_is_refused(tmp_path):
    from .conftest import write_rows

    data = write_rows(tmp_path / "j.jsonl")
    ranking = tmp_path / "ranking.txt"
    ranking.write_text("88.96 ('a', 1, 0.28, 88.96, 3.9)\n")
    result = polybrief("meta-eval", data, "--human-ranking", ranking, "--metrics", "chrf")
    assert_clean_failure(result, "--human-ranking goes with a WMT-style test folder")


@pytest.mark.parametrize("content, phrase", [
    (b"88.96 ('literal', 1, 0.28, 88.96, 3.9)\n\xff\xfe 70.1 ('terse', 2, 0.1, 70.1, 3.0)\n", "not UTF-8 text"),
    (b"80 ('literal', 1, 0.28, 80, 3.9)\n80 ('terse', 2, 0.1, 80, 3.0)\n", "tied scores give no order"),
])
def test_a_bad_human_ranking_is_one_line(tmp_path, content, phrase):
    ranking = tmp_path / "ranking.txt"
    ranking.write_bytes(content)
    result = polybrief("meta-eval", SAMPLE, "--human-ranking", ranking, "--metrics", "chrf")
    assert_clean_failure(result, phrase)


# 11. train-metric refuses what cannot teach it anything

def _training_rows(path, **override):
    rows = [{"lang_pair": "xx-en", "src": f"s{seg}", "mt": mt, "ref": f"the reference {seg}", "system": system,
             "seg_id": seg, "doc": "d", "human_score": score, **override}
            for seg in range(4) for system, mt, score in (("a", f"the reference {seg}", 0.0), ("b", "other", -5.0))]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


@pytest.mark.parametrize("override, phrase", [({"human_score": -3.0}, "no segment has two different human scores"),
                                              ({"mt": None}, "mt is None, not text")])
def test_train_metric_refuses_constant_labels_and_missing_outputs(tmp_path, override, phrase):
    data = _training_rows(tmp_path / "t.jsonl", **override)
    result = polybrief("train-metric", data, "-o", tmp_path / "m")
    assert_clean_failure(result, phrase)
    assert not (tmp_path / "m" / "mqm.json").exists()


# 13. repeated doc_ids inside a cluster

def test_repeated_doc_ids_are_made_unique_so_citations_point_to_one_article(tmp_path):
    from .conftest import TOY

    docs = [{"doc_id": "same", "text": text} for text in TOY.values()]
    data = tmp_path / "c.jsonl"
    data.write_text(json.dumps({"cluster_id": "dup", "documents": docs}) + "\n")
    result = polybrief("brief", data, "--format", "json", "--words", "80")
    assert result.returncode == 0, result.stderr
    briefing = json.loads(result.stdout)
    ids = [s["doc_id"] for s in briefing["sources"]]
    assert sorted(ids) == ["same", "same#2", "same#3"]
    for cited in [briefing["headline"]["cited"]] + [b["cited"] for b in briefing["bullets"]]:
        assert len(cited) == len(set(cited))
    numbers = {s["doc_id"]: s["number"] for s in briefing["sources"]}
    assert len(set(numbers.values())) == 3


# 14. one reading rule for score and run; paths that are not files say what they are

def _run_with_output(tmp_path, data: bytes):
    folder = tmp_path / "es-en"
    shutil.copytree(SAMPLE, folder)
    lines = (folder / "systems" / "literal.en").read_bytes().splitlines()
    (folder / "systems" / "literal.en").write_bytes(data.replace(b"LINES", b"\n".join(lines)))
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"name": "mt", "data": {"path": str(folder)},
                                      "systems": [{"outputs": f"{folder}/systems"}], "metrics": ["chrf"],
                                      "statistics": {"resamples": 20}, "output": {"dir": str(tmp_path / "out")}}))
    run = polybrief("run", config)
    score = polybrief("score", "--hyp", folder / "systems" / "literal.en", "--ref", folder / "reference.A.en",
                      "--metrics", "chrf", "--resamples", "20")
    return run, score


@pytest.mark.parametrize("data, phrase", [(b"LINES\n\x00\n", "a NUL byte"), (b"LINES\n\xff\n", "not UTF-8")])
def test_score_and_run_refuse_the_same_bytes(tmp_path, data, phrase):
    run, score = _run_with_output(tmp_path, data)
    assert_clean_failure(run, phrase)
    assert_clean_failure(score, phrase)


def test_score_and_run_read_utf16_alike(tmp_path):
    text = (SAMPLE / "systems" / "literal.en").read_text(encoding="utf-8")
    run, score = _run_with_output(tmp_path, text.encode("utf-16"))  # a byte-order mark: no LINES to replace
    assert run.returncode == 0, run.stderr
    assert score.returncode == 0, score.stderr
    folder = tmp_path / "es-en"
    score = polybrief("score", "--hyp", folder / "systems" / "literal.en", "--ref", folder / "reference.A.en",
                      "--metrics", "chrf", "--resamples", "20", "--format", "json")
    results = RunRecord.from_dict(json.loads(next((tmp_path / "out").rglob("results.json")).read_text()))
    ran = results.systems["literal"].metrics["chrf"].scores["score"].score
    assert json.loads(score.stdout)["results"]["chrf"]["scores"]["score"]["score"] == pytest.approx(ran)


def test_cr_only_line_ends_get_a_hint(tmp_path):
    hyp = tmp_path / "h.txt"
    hyp.write_bytes(b"one\rtwo\rthree\r")
    result = polybrief("score", "--hyp", hyp, "--ref", hyp, "--metrics", "chrf")
    assert_clean_failure(result, "lines end in CR only")


@pytest.mark.parametrize("kind, phrase", [("folder", "is a folder"), ("fifo", "not a regular file"),
                                          ("device", "not a regular file"), ("missing", "no such file")])
def test_paths_that_are_not_files_say_what_they_are(tmp_path, kind, phrase):
    import os

    path = {"folder": tmp_path, "device": Path("/dev/zero"), "missing": tmp_path / "nope.txt",
            "fifo": tmp_path / "pipe"}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    ref = EXAMPLES / "ref.txt"
    assert_clean_failure(polybrief("score", "--hyp", path, "--ref", ref, "--metrics", "chrf"), phrase)
    assert_clean_failure(polybrief("meta-eval", path, "--metrics", "chrf") if kind != "folder" else
                         polybrief("run", path), phrase)


# crash sites and careless wording

def test_cluster_threshold_nan_is_one_line():
    result = polybrief("cluster", ROOT / "seeds", "--threshold", "nan")
    assert_clean_failure(result, "--threshold must be positive, got nan")


@pytest.mark.parametrize("inner", ["[" * 5000 + "]" * 5000, "[" * 300 + "]" * 300, "&x [*x]"])
def test_deeply_nested_config_is_one_line(tmp_path, inner):
    config = tmp_path / "deep.yaml"
    config.write_text(f"name: t\ndata: {{path: {ROOT / 'seeds'}}}\nsystems: [{{params: {{a: {inner}}}}}]\n")
    assert_clean_failure(polybrief("run", config, "--check"), "nested")


def test_deeply_nested_cluster_yaml_is_one_line(seeds_copy):
    (seeds_copy / "cluster.yaml").write_text("id: x\ntopic: " + "[" * 5000 + "]" * 5000 + "\n")
    assert_clean_failure(polybrief("brief", seeds_copy), "nested too deeply")


def test_one_cluster_is_not_one_clusters(tmp_path):
    from .conftest import seed_clusters_jsonl, write_config

    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=1)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 20})
    result = polybrief("run", config)
    assert result.returncode == 0, result.stderr
    assert ": 1 cluster x 3 systems (3 new predictions)" in result.stdout


def test_a_grid_past_a_thousand_systems_is_refused_with_the_count(tmp_path):
    import time

    config = tmp_path / "grid.yaml"
    config.write_text(yaml.safe_dump({"name": "g", "data": {"path": str(ROOT / "seeds")},
                                      "systems": [{"method": "support", "grid": {
                                          "params.position_decay": list(range(300)),
                                          "words": list(range(100, 400))}}]}))
    start = time.perf_counter()
    result = polybrief("run", config, "--check")
    assert_clean_failure(result, "the grids make 90,000 systems; at most 1,000")
    assert time.perf_counter() - start < 10


def test_check_names_a_few_systems_not_all(tmp_path):
    config = tmp_path / "grid.yaml"
    config.write_text(yaml.safe_dump({"name": "g", "data": {"path": str(ROOT / "seeds")},
                                      "systems": [{"method": "support", "grid": {"words": list(range(100, 140))}}]}))
    result = polybrief("run", config, "--check")
    assert result.returncode == 0, result.stderr
    assert "40 system(s):" in result.stdout and "... (30 more)" in result.stdout and "words=139" not in result.stdout


THAI = ("กรุงเทพมหานครเกิดน้ำท่วมหนักหลังฝนตกต่อเนื่องตลอดคืนทำให้ถนนหลายสายในเขตเมืองชั้นในไม่สามารถสัญจรได้ "
        "เจ้าหน้าที่ได้เร่งระบายน้ำและแนะนำให้ประชาชนหลีกเลี่ยงพื้นที่เสี่ยงจนกว่าสถานการณ์จะคลี่คลาย "
        "โรงเรียนหลายแห่งประกาศปิดชั่วคราวเพื่อความปลอดภัยของนักเรียนและบุคลากร")


@pytest.mark.parametrize("text", [THAI, THAI.replace(" ", "\n", 1) * 3])
def test_a_thai_article_is_not_its_own_title(text):
    from polybrief.core.readers import make_document

    doc = make_document("th", text, language="th")
    assert doc.title is None or len(doc.title) <= 200
    assert doc.title != doc.text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", ["meta-eval", "score-docs"])
def test_progress_bars_show_on_a_terminal_only(tmp_path, command):
    from polybrief.cli import main

    from .conftest import write_rows

    args = (["meta-eval", str(write_rows(tmp_path / "j.jsonl")), "--metrics", "chrf", "--resamples", "30"]
            if command == "meta-eval" else ["score-docs", str(ROOT / "seeds"), "--translator", "none"])
    plain = polybrief(*args)
    assert plain.returncode == 0, plain.stderr
    assert "\r" not in plain.stderr and "it/s" not in plain.stderr
    terminal = _Terminal()
    with contextlib.redirect_stderr(terminal), contextlib.redirect_stdout(io.StringIO()):
        assert main(args) == 0
    assert ("resamples" if command == "meta-eval" else "clusters") in terminal.getvalue()
