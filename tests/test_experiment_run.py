"""The runner: outputs, determinism, resume after SIGKILL, export, leaderboard under concurrency."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from dataclasses import replace

import pytest

from polybrief.eval.experiment.config import load_config
from polybrief.eval.experiment.leaderboard import append_rows, load, ranked, to_html, to_markdown
from polybrief.eval.experiment.rows import LeaderboardRow
from polybrief.eval.experiment.runlog import read_records
from polybrief.eval.experiment.runner import run_experiment
from polybrief.eval.experiment.runrecord import RunRecord
from polybrief.eval.scoring.results import MetricResult

from .conftest import assert_clean_failure, killed_after, metrics_of, polybrief, seed_clusters_jsonl, write_config


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    data = seed_clusters_jsonl(tmp / "data.jsonl", planted="<script>alert('x')</script> Planted opening line here.")
    config = load_config(write_config(tmp / "c.yaml", data, tmp / "out"))
    paths, results = run_experiment(config, progress=False)
    return tmp, data, paths, results


def test_outputs_are_complete(clean_run):
    _, _, paths, results = clean_run
    predictions = list(read_records(paths.predictions))
    assert len(predictions) == 30 and len({(p["system"], p["cluster_id"]) for p in predictions}) == 30
    assert sum(1 for _ in read_records(paths.samples)) == 30
    assert paths.config.exists() and sum(1 for _ in read_records(paths.clusters)) == 10
    support = results.systems["support"].metrics
    assert set(support) == {"rouge", "chrf", "bleu"}
    rouge2 = support["rouge"].scores["rouge2_f"]
    assert rouge2.low <= rouge2.score <= rouge2.high
    significance = support["chrf"].significance
    assert significance and significance.baseline_name == "lead" and 0 < significance.p_value <= 1
    assert results.systems["lead"].metrics["chrf"].significance is None
    assert results.environment["packages"]["sacrebleu"] and results.seed == 7
    assert RunRecord.from_dict(json.loads(paths.results.read_text(encoding="utf-8"))) == results  # one JSON form


def test_samples_lines_are_what_json_dumps_writes(clean_run):
    """samples.jsonl is assembled from pre-quoted pieces for speed: byte for byte json.dumps of each record."""
    from polybrief.eval.experiment.runner import _number

    _, _, paths, _ = clean_run
    lines = paths.samples.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30
    assert all(line == json.dumps(json.loads(line), ensure_ascii=False) for line in lines)
    for value in (0.1, 1e-300, -2.5e22, 3.0, float("nan"), float("inf"), -float("inf")):
        assert _number(value) == json.dumps(value)


def test_run_and_score_write_the_same_signature(clean_run):
    """One signature builder: `polybrief run` and `polybrief score` agree, bootstrap settings included."""
    from polybrief.eval.metrics.base import Segments
    from polybrief.eval.scoring.score import score_segments

    _, _, _, results = clean_run
    scored = score_segments(Segments(["a b c d"], [["a b c e"]]), ["chrf", "rouge"], resamples=200, seed=7)
    for metric in ("chrf", "rouge"):
        assert results.systems["support"].metrics[metric].signature == scored[metric]["signature"]
        assert scored[metric]["signature"].endswith("|bs:200|seed:7")


def test_same_config_same_numbers(clean_run, tmp_path):
    _, data, _, results = clean_run
    again = load_config(write_config(tmp_path / "c.yaml", data, tmp_path / "out"))
    _, second = run_experiment(again, progress=False)
    assert metrics_of(second) == metrics_of(results)


def test_resume_after_sigkill_equals_clean_run(clean_run, tmp_path):
    _, data, _, results = clean_run
    config_path = write_config(tmp_path / "c.yaml", data, tmp_path / "out")
    killed = killed_after(13, "run", config_path)
    assert killed.returncode == -signal.SIGKILL
    run_root = next((tmp_path / "out" / "t").iterdir())
    assert sum(1 for _ in read_records(run_root / "predictions.jsonl")) == 13
    assert not (run_root / "results.json").exists()
    with (run_root / "predictions.jsonl").open("ab") as handle:  # a torn line, as a crash mid-write leaves
        handle.write(b'{"system": "lead", "cluster_id": "c0')
    resumed = polybrief("run", str(config_path))
    assert resumed.returncode == 0, resumed.stderr
    assert "(17 new predictions)" in resumed.stdout
    final = json.loads((run_root / "results.json").read_text())
    assert metrics_of(final) == metrics_of(results)
    assert sum(1 for _ in read_records(run_root / "predictions.jsonl")) == 30


def test_export_loads_back_with_equal_content(clean_run, tmp_path):
    import datasets

    _, _, paths, _ = clean_run
    result = polybrief("export", str(paths.root), "--to", str(tmp_path / "ds"))
    assert result.returncode == 0, result.stderr
    predictions = datasets.load_dataset(str(tmp_path / "ds"))["train"]
    expected = list(read_records(paths.predictions))
    assert [r["briefing"] for r in predictions] == [r["briefing"] for r in expected]
    assert predictions.features["bullets"].feature.dtype == "string"
    samples = {(s["system"], s["cluster_id"]): s["scores"] for s in read_records(paths.samples)}
    first = predictions[0]
    expected_score = samples[(first["system"], first["cluster_id"])]["rouge.rouge2_f"]
    assert first["scores"]["rouge__rouge2_f"] == pytest.approx(expected_score)
    clusters = datasets.load_dataset(str(tmp_path / "ds"), "clusters")["train"]
    assert len(clusters) == 10 and clusters.features["documents"].feature["machine_translated"].dtype == "bool"
    assert clusters[0]["documents"][0]["doc_id"] == "000_31bf641b0229faed-0"
    card = (tmp_path / "ds" / "README.md").read_text()
    assert card.startswith("---\npretty_name:") and "task_categories:" in card and "license:" in card


def test_export_of_a_folder_that_is_not_a_run_says_what_it_is(clean_run, tmp_path):
    _, _, paths, _ = clean_run
    assert_clean_failure(polybrief("export", str(paths.root.parent), "--to", str(tmp_path / "ds")),
                         f"holds the runs of an experiment: export one of them, e.g. {paths.root}")
    assert_clean_failure(polybrief("export", str(tmp_path / "nosuch"), "--to", str(tmp_path / "ds")),
                         "no such run folder")
    assert not (tmp_path / "ds").exists()


def test_the_terminal_gives_the_corrected_p_beside_the_plain_one(clean_run):
    """The groups follow p corrected over every pair; the line gave only the plain p against the baseline."""
    from polybrief.cli.experiment import run_summary

    _, _, _, results = clean_run
    pair = next(p for p in results.pairwise["chrf"].pairs if {p["a"], p["b"]} == {"support", "lead"})
    plain = results.systems["support"].metrics["chrf"].significance.p_value
    line = next(x for x in run_summary(results).splitlines() if x.startswith("  support:"))
    assert f"chrf score {results.systems['support'].metrics['chrf'].score:.4g} (p={plain:.3f}, " \
           f"{pair['p_adjusted']:.3f} corrected over 3 pairs vs lead)" in line


def test_push_to_hub_offline_is_a_clear_error(clean_run, tmp_path):
    _, _, paths, _ = clean_run
    result = polybrief("export", str(paths.root), "--to", str(tmp_path / "ds"), "--push-to-hub", "me/x")
    assert result.returncode == 1 and "cannot push" in result.stderr and "Traceback" not in result.stderr


def test_leaderboard_rows_are_idempotent_and_html_is_inert(clean_run):
    tmp, _, paths, results = clean_run
    board = tmp / "out" / "leaderboard.jsonl"
    assert len(load(board)) == 3
    from polybrief.eval.experiment.leaderboard import leaderboard_rows

    assert append_rows(board, leaderboard_rows(results, paths)) == 0  # same run again: nothing new
    rows = load(board)
    assert all(r.scored == 10 and r.items == "clusters" and "clusters" not in r.to_dict() for r in rows)
    assert all(LeaderboardRow.from_dict(json.loads(json.dumps(r.to_dict()))) == r for r in rows)  # one JSON form
    entries = [v.to_dict() for s in results.systems.values() for v in s.metrics.values()]
    assert any("significance" in v for v in entries) and all("rank" in v for v in entries)
    assert all(MetricResult.from_dict(v).to_dict() == v for v in entries)  # a metric's result: one JSON form too
    before_rename = {**{k: v for k, v in rows[0].to_dict().items() if k != "scored"}, "clusters": 7}
    older = [LeaderboardRow.from_dict(before_rename)]  # a row from before "clusters" was named "scored"
    assert "| 7 |" in to_markdown(older, "chrf")
    page = to_html(rows, "rouge")
    assert "<script>alert" not in page  # the planted article's script never reaches the page as markup
    assert page.count("<script>") == 1  # only the page's own sorting script
    hostile = [replace(rows[0], system="<script>alert(1)</script>", example='<img src=x onerror="alert(2)">')]
    page = to_html(hostile, "rouge")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert page.count("<script>") == 1 and "<img" not in page
    md = to_markdown(rows, "chrf")
    assert md.count("| seedmix") == 0 and "## seedmix" in md
    order = [r.row.system for r in ranked(rows, "chrf")]
    assert sorted(order) == ["lead", "lexrank", "support"]
    best = ranked(rows, "chrf")[0]
    assert best.near_best and best.value == max(r.value for r in ranked(rows, "chrf"))


def test_leaderboard_command(clean_run, tmp_path):
    tmp, _, _, _ = clean_run
    result = polybrief("leaderboard", "--file", str(tmp / "out" / "leaderboard.jsonl"), "--metric",
                       "rouge.rougeLsum_f", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "leaderboard.html").exists() and "# Leaderboard: rouge.rougeLsum_f" in result.stdout
    bad = polybrief("leaderboard", "--file", str(tmp / "out" / "leaderboard.jsonl"), "--metric", "meteor")
    assert bad.returncode == 1 and "no row has metric 'meteor'" in bad.stderr
    score = polybrief("leaderboard", "--file", str(tmp / "out" / "leaderboard.jsonl"), "--metric", "rouge2")
    assert score.returncode == 1 and "(did you mean 'rouge.rouge2_f'?)" in score.stderr
    named = polybrief("leaderboard", "--file", str(tmp / "out" / "leaderboard.jsonl"), "--dataset", "seedmx")
    assert named.returncode == 1 and "(did you mean 'seedmix'?); datasets: seedmix" in named.stderr


def test_two_runs_at_once_share_one_leaderboard(tmp_path):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=4)
    board = tmp_path / "out" / "leaderboard.jsonl"  # both runs write under one output dir
    configs = [write_config(tmp_path / f"c{k}.yaml", data, tmp_path / "out", name=f"run{k}") for k in range(2)]
    procs = [subprocess.Popen([sys.executable, "-m", "polybrief", "run", str(c)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in configs]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    rows = load(board)
    assert sorted((r.name, r.system) for r in rows) == sorted(
        (f"run{k}", s) for k in range(2) for s in ("lead", "lexrank", "support"))


def test_duplicate_cluster_ids_are_refused(tmp_path):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    lines = data.read_text().splitlines()
    data.write_text("\n".join(lines + lines[:1]) + "\n")
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out")
    result = polybrief("run", str(config))
    assert result.returncode == 1 and "cluster_id 'c00' appears twice" in result.stderr


def test_outside_summaries_are_scored_beside_briefing_methods(tmp_path):
    """A JSONL of cluster_id + summary from any summariser is a system; a column of the data is one too."""
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=4)
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["oracle"] = row["reference_summaries"][0]  # a column: the reference itself, the best possible
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    mine = tmp_path / "mine.jsonl"
    mine.write_text("\n".join(json.dumps({"cluster_id": r["cluster_id"], "summary": r["documents"][0]["text"][:400]})
                              for r in reversed(rows)) + "\n", encoding="utf-8")
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out",
                          systems=[{"name": "lead", "method": "lead", "words": 120}, {"outputs": str(mine)},
                                   {"outputs": "column:oracle"}])
    paths, results = run_experiment(load_config(config), progress=False)
    chrf = {s: e.metrics["chrf"].score for s, e in results.systems.items()}
    assert set(chrf) == {"lead", "mine", "oracle"} and chrf["oracle"] == pytest.approx(100.0)
    placed = results.systems["oracle"].placing("chrf")
    assert placed and placed.rank_range == (1, 1)
    missing = tmp_path / "short.jsonl"
    missing.write_text(json.dumps({"cluster_id": "c00", "summary": "x"}) + "\n", encoding="utf-8")
    bad = write_config(tmp_path / "d.yaml", data, tmp_path / "out", systems=[{"outputs": str(missing)}],
                       statistics={"resamples": 10})
    result = polybrief("run", bad)
    assert result.returncode == 1 and "no output for 3 of 4 ids" in result.stderr
    from polybrief.eval.experiment.export import build, summarization_card

    config, record, data = build(paths.root)
    assert record == results  # results.json as written reads back as what the run returned
    card = "\n".join(summarization_card(config, record))
    assert "`mine` (outputs from `mine.jsonl`)" in card and "`lead` (lead, 120 words)" in card and "None" not in card
    methods = {row["system"]: row["method"] for row in data["predictions"]}
    assert methods == {"lead": "lead", "mine": "outputs", "oracle": "outputs"}


def _row(run: str, system: str, score: float, low: float, high: float, group: int | None) -> LeaderboardRow:
    ranks = {"chrf": {"position": 1, "group": group, "rank_range": [1, 2]}} if group else {}
    return LeaderboardRow.from_dict({
        "run_id": run, "name": "t", "dataset": "d", "system": system, "date": "2026-11-30",
        "metrics": {"chrf": {"score": {"score": score, "low": low, "high": high}}}, "primary": {"chrf": "score"},
        "higher_is_better": {"chrf": True}, "ranks": ranks})


def test_near_the_best_follows_the_runs_significance_groups_where_it_has_them():
    """Intervals overlapping while the paired test separates the systems (or the reverse) printed a `*` the
    group column beside it contradicted; within one run that tested every pair, the group decides."""
    one_run = [_row("r1", "a", 60.0, 58.0, 62.0, 1), _row("r1", "b", 59.0, 57.0, 61.0, 2),
               _row("r1", "c", 50.0, 40.0, 52.0, 1)]
    assert [(r.row.system, r.near_best) for r in ranked(one_run, "chrf")] == [("a", True), ("b", False), ("c", True)]
    two_runs = [one_run[0], replace(one_run[1], run_id="r2"), replace(one_run[2], run_id="r2")]
    assert [r.near_best for r in ranked(two_runs, "chrf")] == [True, True, False]  # rows of two runs: intervals
    untested = [one_run[0], _row("r1", "b", 59.0, 57.0, 61.0, None)]
    assert [r.near_best for r in ranked(untested, "chrf")] == [True, True]
    assert "in its significance group where a table holds one run" in to_markdown(one_run, "chrf")


def test_results_name_a_systems_kind_as_its_config_does(clean_run):
    """results.json said brief and translate where configs say briefing and translator; runs written before
    read in the config's words."""
    from polybrief.eval.experiment.runrecord import SystemResult

    _, _, paths, results = clean_run
    written = json.loads(paths.results.read_text(encoding="utf-8"))
    assert {s["system"]["kind"] for s in written["systems"].values()} == {"briefing"}
    assert {s.kind for s in results.systems.values()} == {"briefing"}
    older = SystemResult.from_dict({"system": {"kind": "translate", "method": None, "translator": "apertium"},
                                    "metrics": {}})
    assert older.kind == "translator" and older.description == "translated by apertium"
    assert SystemResult.from_dict({"system": {"kind": "brief", "method": "lead", "words": 90}, "metrics": {}}).kind \
        == "briefing"
