"""Nothing lost, nothing stale, nothing leaked: the findings of a new-user probe, one test each."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml

from polybrief.eval.experiment.leaderboard import read_rows

from .conftest import SEEDS, assert_clean_failure, polybrief, seed_clusters_jsonl, write_config


def test_a_torn_leaderboard_line_hides_nothing(tmp_path):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=3)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 20})
    assert polybrief("run", config).returncode == 0
    board = tmp_path / "out" / "leaderboard.jsonl"
    board.write_bytes(board.read_bytes()[:-60])  # truncate -s -60: the last row torn
    other = write_config(tmp_path / "d.yaml", data, tmp_path / "out", name="t2", statistics={"resamples": 20})
    assert polybrief("run", other).returncode == 0
    assert polybrief("run", other).returncode == 0  # a repeated run adds nothing
    rows = read_rows(board)
    assert sorted(r.name for r in rows) == ["t", "t", "t2", "t2", "t2"]  # the torn row alone is lost
    assert sorted(p.name for p in board.parent.iterdir() if p.is_file()) == ["leaderboard.jsonl"]  # no .lock left
    shown = polybrief("leaderboard", "--file", board)
    assert shown.returncode == 0 and "leaderboard.jsonl:3: not a leaderboard row" in shown.stderr
    assert "| t2/" in shown.stdout and "written:" not in shown.stdout  # stdout is the Markdown alone


def test_a_failed_brief_never_empties_an_existing_output(tmp_path):
    keep = tmp_path / "keep.md"
    assert polybrief("brief", SEEDS, "-o", keep).returncode == 0
    before = keep.read_text(encoding="utf-8")
    assert before.startswith("# Briefing")
    (tmp_path / "empty").mkdir()
    assert polybrief("brief", tmp_path / "empty", "-o", keep).returncode != 0
    assert polybrief("brief", SEEDS, "--method", "centroid", "--encoder", "/no/such/encoder", "-o", keep).returncode
    assert keep.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keep")] == []  # no temporary left


def test_changed_data_is_a_new_run_not_stale_scores(tmp_path):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=3)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 20})
    first = polybrief("run", config)
    assert first.returncode == 0
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    rows[0]["reference_summaries"] = ["A different reference about a bridge that collapsed on Monday."]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    second = polybrief("run", config)
    assert second.returncode == 0 and "(9 new predictions)" in second.stdout
    assert "the input changed since run" in second.stderr
    assert len(list((tmp_path / "out" / "t").iterdir())) == 2


def test_export_refuses_a_folder_that_is_not_ours(tmp_path):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 10})
    assert polybrief("run", config).returncode == 0
    run = next((tmp_path / "out" / "t").iterdir())
    target = tmp_path / "mine"
    target.mkdir()
    (target / "README.md").write_text("my notes\n", encoding="utf-8")
    assert_clean_failure(polybrief("export", run, "--to", target), "not a polybrief export")
    assert (target / "README.md").read_text(encoding="utf-8") == "my notes\n"
    assert polybrief("export", run, "--to", tmp_path / "fresh").returncode == 0
    assert polybrief("export", run, "--to", tmp_path / "fresh").returncode == 0  # our own: updated in place
    assert polybrief("export", run, "--to", target, "--overwrite").returncode == 0


def test_our_own_export_reads_back_as_clusters(tmp_path):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 10})
    assert polybrief("run", config, "--export-to", tmp_path / "export").returncode == 0
    briefed = polybrief("brief", tmp_path / "export", "--format", "json")
    assert briefed.returncode == 0, briefed.stderr
    assert [json.loads(line)["cluster_id"] for line in briefed.stdout.splitlines()] == ["c00", "c01"]


def test_tracebacks_become_one_line(tmp_path):
    hyp = tmp_path / "h.txt"
    hyp.write_text("a b c\n", encoding="utf-8")
    assert_clean_failure(polybrief("score", "--hyp", hyp, "--ref", hyp, "--metrics", "bleu:tokenize=bogus"),
                         "unknown tokenizer 'bogus'")
    feed = tmp_path / "feed"
    shutil.copytree(SEEDS, feed)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert_clean_failure(polybrief("cluster", feed, "--output-dir", blocker / "x"), "cannot write to")


def test_version_and_help_texts():
    version = polybrief("--version")
    assert version.returncode == 0 and version.stdout.startswith("polybrief ")
    for command in ("score", "meta-eval", "leaderboard"):
        shown = polybrief(command, "--help")
        assert shown.returncode == 0 and "95%%" not in shown.stdout


def test_written_config_records_the_input_fingerprint(tmp_path):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 10})
    assert polybrief("run", config).returncode == 0
    run = next((tmp_path / "out" / "t").iterdir())
    identity = json.loads((run / "run.json").read_text(encoding="utf-8"))
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    assert identity["input_fingerprint"] == results["input_fingerprint"] and len(identity["config_hash"]) == 12
    assert yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8"))["name"] == "t"


def test_files_outside_the_cluster_folder_are_refused(tmp_path):
    folder = tmp_path / "cluster"
    shutil.copytree(SEEDS, folder)
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes that must never reach an export. " * 5, encoding="utf-8")
    spec = yaml.safe_load((folder / "cluster.yaml").read_text(encoding="utf-8"))
    (folder / "cluster.yaml").write_text(yaml.safe_dump({**spec, "reference": str(secret)}), encoding="utf-8")
    assert_clean_failure(polybrief("brief", folder), "points outside the cluster folder")
    assert polybrief("brief", folder, "--allow-outside").returncode == 0
    (folder / "cluster.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    (folder / "zz_link.txt").symlink_to(secret)
    assert_clean_failure(polybrief("brief", folder), "zz_link.txt: points outside")
    assert_clean_failure(polybrief("cluster", folder, "-o", tmp_path / "e.jsonl"), "zz_link.txt: points outside")
    assert not (tmp_path / "e.jsonl").exists()


def test_utf16_articles_are_read_and_one_bad_file_does_not_stop_cluster(tmp_path):
    feed = tmp_path / "feed"
    shutil.copytree(SEEDS, feed)
    text = (SEEDS / "000_31bf641b0229faed.txt").read_text(encoding="utf-8")
    (feed / "000_31bf641b0229faed.txt").write_bytes(text.encode("utf-16"))  # with a byte-order mark
    (feed / "broken.txt").write_bytes(b"\x00\x01\x02 binary junk")
    briefed = polybrief("brief", feed, "--format", "json")
    assert briefed.returncode == 0 and "binary" in briefed.stderr
    assert any(s["doc_id"] == "000_31bf641b0229faed" for s in json.loads(briefed.stdout)["sources"])
    clustered = polybrief("cluster", feed, "-o", tmp_path / "events.jsonl")
    assert clustered.returncode == 0 and "broken.txt" in clustered.stderr and "skipped" in clustered.stderr


def test_limits_are_honoured_or_refused_with_the_minimum(tmp_path):
    assert_clean_failure(polybrief("brief", SEEDS, "--sentences", "1"), "at least 2")
    assert_clean_failure(polybrief("brief", SEEDS, "--words", "30", "--sentences", "2"),
                         "give --words 80 or more, or drop --words and give a sentence count")
    assert_clean_failure(polybrief("brief", SEEDS, "--method", "lead", "--model", tmp_path), "extractive")
    assert_clean_failure(polybrief("brief", SEEDS, "--method", "lexrank", "--gen", "num_beams=4"),
                         "--gen goes with a generation method")  # was ignored, exit 0
    two = polybrief("brief", SEEDS, "--sentences", "2", "--format", "json")
    assert two.returncode == 0 and len(json.loads(two.stdout)["bullets"]) == 1
    folder = tmp_path / "c"
    shutil.copytree(SEEDS, folder)
    (folder / "cluster.yaml").write_text("id: x\ndocuments: hello\n", encoding="utf-8")
    assert_clean_failure(polybrief("brief", folder), "'documents' must be a list")


def test_messages_say_where_the_problem_is(tmp_path):
    assert_clean_failure(polybrief("run", "configs/seeds.yaml", "--set", "bogus=3", "--check"),
                         "--set bogus=3: unknown")
    hyp, short = tmp_path / "h.txt", tmp_path / "s.txt"
    hyp.write_text("a b c\nd e f\n", encoding="utf-8")
    short.write_text("a b c\n", encoding="utf-8")
    assert_clean_failure(polybrief("score", "--hyp", hyp, "--ref", hyp, "--paired-with", short),
                         f"--paired-with {short}: 1 segments, but --hyp")
    assert_clean_failure(polybrief("score", "--hyp", hyp, "--ref", hyp, "--metrics", "bleu:foo=1"),
                         "metric bleu: no parameter 'foo'; it takes: language, tokenize, lowercase")
    assert_clean_failure(polybrief("brief", SEEDS, "--lang", "xx"), "unknown language code 'xx'")
    folder = tmp_path / "c"
    shutil.copytree(SEEDS, folder)
    (folder / "cluster.yaml").write_text("id: x\ndocuments: [\n  - a\n", encoding="utf-8")
    assert_clean_failure(polybrief("brief", folder), "cluster.yaml:3: not valid YAML")


def test_config_paths_are_relative_to_the_config_file(tmp_path):
    (tmp_path / "inputs").mkdir()
    data = seed_clusters_jsonl(tmp_path / "inputs" / "data.jsonl", n=2)
    configs = tmp_path / "configs"
    configs.mkdir()
    config = write_config(configs / "c.yaml", data, tmp_path / "out", statistics={"resamples": 10})
    text = config.read_text(encoding="utf-8").replace(str(data), "../inputs/data.jsonl")
    config.write_text(text, encoding="utf-8")
    assert polybrief("run", config, cwd=tmp_path / "inputs").returncode == 0  # run from anywhere


def test_no_references_says_predictions_only(tmp_path):
    rows = [json.loads(line) for line in seed_clusters_jsonl(tmp_path / "d.jsonl", n=2).read_text().splitlines()]
    data = tmp_path / "noref.jsonl"
    data.write_text("\n".join(json.dumps({**r, "reference_summaries": []}) for r in rows) + "\n", encoding="utf-8")
    result = polybrief("run", write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 10}))
    assert result.returncode == 0 and "no references: predictions only" in result.stderr
    assert "  lead: not scored (no references)" in result.stdout  # it printed 'lead: ' and nothing
    assert not (tmp_path / "out" / "leaderboard.jsonl").exists()  # no rows of blanks
    assert sum(1 for _ in (next((tmp_path / "out" / "t").iterdir()) / "predictions.jsonl").open()) == 6


def test_allow_outside_reaches_every_read_of_a_run(tmp_path):
    """A run with an outputs system reads the clusters twice (ids first): --allow-outside holds for both."""
    folder = tmp_path / "cluster"
    shutil.copytree(SEEDS, folder)
    (tmp_path / "ref.md").write_text((SEEDS / "reference.md").read_text(encoding="utf-8"), encoding="utf-8")
    spec = yaml.safe_load((folder / "cluster.yaml").read_text(encoding="utf-8"))
    (folder / "cluster.yaml").write_text(yaml.safe_dump({**spec, "reference": "../ref.md"}), encoding="utf-8")
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"cluster_id": spec["id"], "summary": "Blinken met Lavrov in Geneva."}) + "\n",
                    encoding="utf-8")
    config = write_config(tmp_path / "c.yaml", folder, tmp_path / "out", statistics={"resamples": 10},
                          systems=[{"name": "lead", "method": "lead", "words": 120}, {"outputs": str(mine)}])
    assert_clean_failure(polybrief("run", config), "points outside the cluster folder")
    allowed = polybrief("run", config, "--allow-outside")
    assert allowed.returncode == 0, allowed.stderr


def test_an_export_that_fails_mid_shard_leaves_the_earlier_export_whole(tmp_path, monkeypatch):
    import errno

    import datasets

    from polybrief.core.errors import PolybriefError
    from polybrief.eval.experiment.export import export_run

    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 10})
    assert polybrief("run", config).returncode == 0
    run = next((tmp_path / "out" / "t").iterdir())
    export_run(run, tmp_path / "export")
    shard = tmp_path / "export" / "predictions" / "train-00000-of-00001.parquet"
    before = shard.read_bytes()

    def full_disk(self, path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"PAR1 half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(datasets.Dataset, "to_parquet", full_disk)
    try:
        export_run(run, tmp_path / "export")
    except PolybriefError as exc:
        assert "No space left on device" in str(exc)
    else:
        raise AssertionError("a failed shard write was not reported")
    assert shard.read_bytes() == before
    assert not [p for p in shard.parent.iterdir() if p.name.startswith(".")]  # no temporary left behind


def test_written_files_are_readable_like_any_other_file(tmp_path):
    """Atomic writes go through mkstemp (mode 0600); the finished file gets the usual umask mode."""
    import os

    from polybrief.core.files import write_text_atomic

    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "out.md", "text\n")
    finally:
        os.umask(old)
    assert (tmp_path / "out.md").stat().st_mode & 0o777 == 0o644


def test_an_unexpected_error_is_one_line_and_the_traceback_comes_with_verbose(tmp_path, monkeypatch):
    from polybrief.eval.metrics import chrf

    def broken(self, segments):
        raise AttributeError("SomeTokenizer has no attribute x\nmore lines")

    monkeypatch.setattr(chrf.Chrf, "segment_stats", broken)
    hyp = tmp_path / "h.txt"
    hyp.write_text("a b c\n", encoding="utf-8")
    result = polybrief("score", "--hyp", hyp, "--ref", hyp, "--metrics", "chrf")
    assert_clean_failure(result, "unexpected AttributeError: SomeTokenizer has no attribute x (a bug")
    with pytest.raises(AttributeError):
        from polybrief.cli import main

        main(["-v", "score", "--hyp", str(hyp), "--ref", str(hyp), "--metrics", "chrf"])
