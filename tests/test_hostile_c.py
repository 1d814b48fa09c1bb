"""Hostile and faulty inputs, round three (issue 20, the rest): progress bars for the long commands, no
silent partial results, word counts in scripts written without spaces. The generated inputs
(hypothesis) are in tests/test_hostile_generated.py. In-process and fast."""
from __future__ import annotations

import contextlib
import io
import json

import pytest

from polybrief.cli import main

from .conftest import ROOT, assert_clean_failure, polybrief

EXAMPLES = ROOT / "docs" / "examples"


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal: tqdm draws only there (``disable=None``)."""

    def isatty(self) -> bool:
        return True


def _on_terminal(args: list[str]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``polybrief ARGS`` with stderr a terminal."""
    out, err = io.StringIO(), _Terminal()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


# 1. progress bars: long score resamples and train-metric, on a terminal only

@pytest.mark.parametrize("paired", [[], ["--paired-with", EXAMPLES / "system_b.txt", "--paired-test", "ar"]])
def test_score_resamples_show_a_bar_on_a_terminal_only(paired):
    args = ["score", "--hyp", EXAMPLES / "system_a.txt", "--ref", EXAMPLES / "ref.txt", "--metrics", "chrf,bleu",
            "--resamples", "3000", "--format", "json", *paired]
    plain = polybrief(*args)
    assert plain.returncode == 0, plain.stderr
    assert "\r" not in plain.stderr and "resample" not in plain.stderr
    code, out, err = _on_terminal(args)
    assert code == 0
    total = 2 * (3000 + (10_000 if paired else 0))  # two metrics; 'ar' draws sacreBLEU's 10,000 trials
    assert "resamples" in err and f"/{total}" in err, err
    assert json.loads(out) == json.loads(plain.stdout)  # the bar changes nothing it measures


class _FakeModel:
    """What train-metric does with a trained model, without the minutes of features behind it."""

    heads = {"reference": None}
    trained_on = [{"rows": 8}]
    target_languages = ["en"]

    def save(self, folder):
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "mqm.json"


def test_train_metric_shows_a_bar_over_its_feature_files_on_a_terminal(tmp_path, monkeypatch):
    from polybrief.eval.learned import train as training

    seen = []

    def fake_train(paths, language="en", progress=None, **settings):
        seen.extend(progress(paths))  # the CLI's hook wraps the files whose features are computed
        return _FakeModel()

    monkeypatch.setattr(training, "train", fake_train)
    files = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    code, _, err = _on_terminal(["train-metric", *files, "-o", tmp_path / "m"])
    assert code == 0, err
    assert seen == [str(f) for f in files]
    assert "features" in err and "/2" in err, err
    plain = polybrief("train-metric", *files, "-o", tmp_path / "m2")
    assert plain.returncode == 0 and "features" not in plain.stderr and "\r" not in plain.stderr


# 3. no silent partial results: some items failed is said on stderr and counted in results.json

def test_a_system_that_fails_on_some_clusters_says_so_and_counts_them(tmp_path, monkeypatch):
    from polybrief.core.errors import PolybriefError
    from polybrief.summarize import pipeline

    from .conftest import seed_clusters_jsonl, write_config

    real = pipeline.brief_cluster

    def flaky(cluster, options):
        if options.method == "lexrank" and cluster.cluster_id == "c01":
            raise PolybriefError("lexrank stumbled")
        return real(cluster, options)

    monkeypatch.setattr(pipeline, "brief_cluster", flaky)
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=3)
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 50})
    result = polybrief("run", config)
    assert result.returncode == 0, result.stderr
    assert "system lexrank: 1 cluster(s) failed (first: lexrank stumbled)" in result.stderr
    results = json.loads(next((tmp_path / "out").rglob("results.json")).read_text())
    assert results["failed_items"] == {"lexrank": 1}
    again = polybrief("run", config)  # a resumed run reads the failure back from predictions.jsonl
    assert again.returncode == 0 and "1 cluster(s) failed" in again.stderr


def test_a_run_where_every_system_fails_everywhere_exits_non_zero(tmp_path, monkeypatch):
    from polybrief.core.errors import PolybriefError
    from polybrief.summarize import pipeline

    from .conftest import seed_clusters_jsonl, write_config

    def broken(cluster, options):
        raise PolybriefError(f"{options.method} cannot")

    monkeypatch.setattr(pipeline, "brief_cluster", broken)
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    result = polybrief("run", write_config(tmp_path / "c.yaml", data, tmp_path / "out"))
    assert_clean_failure(result, "every cluster failed")
    assert not list((tmp_path / "out").rglob("results.json"))


# 2. crash sites the generated inputs found, pinned as plain cases

HUGE = "9" * 5000  # Python refuses to read an int of more than 4,300 digits: json.loads raised ValueError


@pytest.mark.parametrize("command, name, line", [
    ("brief", "c.jsonl", f'{{"cluster_id": {HUGE}}}'),
    ("score", "h.jsonl", f'{{"text": {HUGE}}}'),
    ("meta-eval", "j.jsonl", f'{{"human_score": {HUGE}}}'),
])
def test_a_number_too_long_to_read_is_a_bad_line_not_a_crash(tmp_path, command, name, line):
    path = tmp_path / name
    path.write_text(line + "\n", encoding="utf-8")
    args = {"brief": ["brief", path], "score": ["score", "--hyp", path, "--ref", path],
            "meta-eval": ["meta-eval", path]}[command]
    result = polybrief(*args)
    assert_clean_failure(result, "a number too long to read")
    assert "a bug in polybrief" not in result.stderr


def _board_row(system: str, **extra) -> dict:
    return {"run_id": "r1", "name": "t", "dataset": "d", "system": system, "date": "2026-11-30T00:00:00",
            "clusters": 3, "metrics": {"chrf": {"score": {"score": 40.0, "low": 35.0, "high": 45.0}}},
            "primary": {"chrf": "score"}, "higher_is_better": {"chrf": True}, **extra}


@pytest.mark.parametrize("line, shown", [
    (json.dumps(_board_row("x", example=None)), True),                              # HTML escaped None
    (json.dumps(_board_row("x"))[:-1] + ', "clusters": ' + "9" * 400 + "}", False),  # float() overflowed
    (json.dumps(_board_row("x")).replace("40.0", "9" * 400), False),
    (json.dumps(_board_row("x")).replace("40.0", HUGE), False),
])
def test_a_leaderboard_row_is_shown_or_named_never_a_crash(tmp_path, line, shown):
    board = tmp_path / "leaderboard.jsonl"
    board.write_text(json.dumps(_board_row("good")) + "\n" + line + "\n", encoding="utf-8")
    result = polybrief("leaderboard", "--file", board)
    assert result.returncode == 0, result.stderr
    assert "| good" in result.stdout
    assert ("| x" in result.stdout) == shown
    assert shown or f"{board}:2: not a leaderboard row" in result.stderr, result.stderr


def test_systems_that_is_a_number_is_a_config_error(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(f"name: t\ndata: {{path: {ROOT / 'seeds'}}}\nsystems: 1000\nmetrics: [chrf]\n",
                      encoding="utf-8")
    assert_clean_failure(polybrief("run", config, "--check"), "c.yaml:3: systems: Input should be a valid list")


# 4. Thai (no spaces between words): word counts and length limits by script

THAI_TITLE = "ปล้นร้านทองเชียงใหม่"  # ปล้น|ร้าน|ทอง|เชียงใหม่: 4 words
THAI = ("ตำรวจจับกุมผู้ต้องสงสัยสองคนหลังเกิดเหตุปล้นร้านทองในจังหวัดเชียงใหม่เมื่อคืนวันศุกร์ "  # 18 words by hand
        "เจ้าของร้านกล่าวว่าคนร้ายขโมยทองคำไปมูลค่ากว่าหนึ่งล้านบาท "  # 13
        "ตำรวจยังคงตามหาผู้ต้องสงสัยอีกหนึ่งคน")  # 8: 39 in all, 3 by white space
THAI_WORDS = 39


def test_thai_words_are_counted_near_a_hand_count_not_by_spaces():
    from polybrief.core.words import count_words

    assert 0.75 * THAI_WORDS <= count_words(THAI) <= 1.33 * THAI_WORDS
    assert 2 <= count_words(THAI_TITLE) <= 6
    assert count_words("北京今天下了大雨，很多道路被淹没。") in range(6, 12)  # 8 words by hand


@pytest.mark.parametrize("text", ["The minister met his counterpart in Geneva on Friday.", "a - b , c", "",
                                  "Zürich: 3,5 % mehr — laut U.S.-Angaben"])
def test_spaced_scripts_count_as_before(text):
    from polybrief.core.words import count_words

    assert count_words(text) == len(text.split())


def test_brief_of_a_thai_article_counts_its_words_and_quotes_one_sentence(tmp_path):
    folder = tmp_path / "thai"
    folder.mkdir()
    (folder / "a.txt").write_text(THAI + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(THAI_TITLE + "\n" + THAI + "\n", encoding="utf-8")
    result = polybrief("brief", folder, "--translator", "none", "--lang", "th", "--format", "json")
    assert result.returncode == 0, result.stderr
    briefing = json.loads(result.stdout)
    words = {s["doc_id"]: s["words"] for s in briefing["sources"]}
    assert 0.75 * THAI_WORDS <= words["a"] <= 1.33 * THAI_WORDS, words  # was 3: words split by white space
    assert {s["doc_id"]: s["title"] for s in briefing["sources"]} == {"a": None, "b": THAI_TITLE}
    headline = briefing["headline"]["text"]
    assert headline in THAI.split() and len(headline) < len(THAI) / 2  # one sentence, not the paragraph
    assert [b["text"] for b in briefing["bullets"]] and all(b["text"] in THAI.split() for b in briefing["bullets"])


# 5. the README's reading rule holds in every encoding: NUL and CR-only refused in UTF-16/32 too

@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
@pytest.mark.parametrize("text, phrase", [("one\rtwo\rthree\r", "lines end in CR only"),
                                          ("one\ntw\x00o\n", ":2: a NUL byte")])
def test_utf16_and_utf32_follow_the_same_reading_rule(tmp_path, encoding, text, phrase):
    hyp = tmp_path / "h.txt"
    hyp.write_bytes(text.encode(encoding))  # with a byte-order mark
    ref = tmp_path / "r.txt"
    ref.write_text("one\ntwo\nthree\n", encoding="utf-8")
    assert_clean_failure(polybrief("score", "--hyp", hyp, "--ref", ref, "--metrics", "chrf"), phrase)
