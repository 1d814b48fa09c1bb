"""Hostile and faulty inputs, round two (issue 20, part A): two runs in one folder, models changed in
place, links and folders outside the input, YAML bombs and odd encodings, output folders that hold
something else, and a pile briefed as one event. Every case is one line on stderr, never a traceback."""
from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from polybrief.eval.experiment.config import load_config
from polybrief.eval.experiment.fingerprint import input_fingerprint
from polybrief.eval.experiment.runfolder import locked
from polybrief.eval.experiment.runner import run_dir

from .conftest import ROOT, SEEDS, assert_clean_failure, metrics_of, polybrief, seed_clusters_jsonl, write_config


def small_run(tmp_path: Path, **extra) -> Path:
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=2)
    return write_config(tmp_path / "c.yaml", data, tmp_path / "out", statistics={"resamples": 10}, **extra)


# --- one run at a time per run folder --------------------------------------------------------------

def test_a_second_run_of_the_same_config_is_refused_while_one_works(tmp_path):
    config = small_run(tmp_path)
    loaded = load_config(config)
    root = run_dir(loaded, input_fingerprint(loaded)).root
    with locked(root):  # another run holds the folder
        assert_clean_failure(polybrief("run", config), "another polybrief run of this config")
    assert not (root / "predictions.jsonl").exists()  # nothing was interleaved
    assert polybrief("run", config).returncode == 0  # the lock went with its holder


def test_a_folder_two_unlocked_runs_wrote_is_repaired_to_the_same_numbers(tmp_path):
    config = small_run(tmp_path)
    first = polybrief("run", config)
    assert first.returncode == 0, first.stderr
    root = next((tmp_path / "out" / "t").iterdir())
    clean = json.loads((root / "results.json").read_text(encoding="utf-8"))
    for name in ("clusters.jsonl", "predictions.jsonl"):  # every item twice, as two runs appending at once
        text = (root / name).read_text(encoding="utf-8")
        (root / name).write_text(text + text, encoding="utf-8")
    again = polybrief("run", config)
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert "repeated line(s)" in again.stderr
    assert metrics_of(json.loads((root / "results.json").read_text(encoding="utf-8"))) == metrics_of(clean)


def test_a_damaged_line_inside_a_run_file_is_refused_in_one_line(tmp_path):
    config = small_run(tmp_path)
    assert polybrief("run", config).returncode == 0
    predictions = next((tmp_path / "out" / "t").iterdir()) / "predictions.jsonl"
    lines = predictions.read_text(encoding="utf-8").splitlines(keepends=True)
    predictions.write_text(lines[0] + '{"system": "lead", "clus\n' + "".join(lines[1:]), encoding="utf-8")
    assert_clean_failure(polybrief("run", config), "predictions.jsonl:2: damaged line")


# --- the run id covers the models it loads -----------------------------------------------------------

def test_a_model_folder_changed_in_place_is_a_new_run(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text('{"hidden": 8}', encoding="utf-8")
    (model / "weights.bin").write_bytes(b"\0" * (1 << 20))
    packaged = Path(__file__).resolve().parents[1] / "eval" / "learned" / "model"
    for name in ("mqm.json", "mqm.npz"):  # a real metric folder: configs check it at load
        shutil.copy(packaged / name, model / name)
    config = small_run(tmp_path, metrics=[{"name": "mqm", "params": {"model": str(model)}}])
    before = run_dir(load_config(config)).root.name
    (model / "weights.bin").write_bytes(b"\1" * (1 << 20))  # retrained: same size, new weights, new mtime
    os.utime(model / "weights.bin", ns=(1, 1))
    retrained = run_dir(load_config(config)).root.name
    stat = (model / "config.json").stat()
    (model / "config.json").write_text('{"hidden": 9}', encoding="utf-8")  # a small file: read by content
    os.utime(model / "config.json", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reconfigured = run_dir(load_config(config)).root.name
    assert len({before, retrained, reconfigured}) == 3


def test_a_config_without_model_folders_keeps_its_run_id(tmp_path):
    config = small_run(tmp_path)
    assert run_dir(load_config(config)).root.name == run_dir(load_config(config)).root.name
    assert input_fingerprint(load_config(config)) == input_fingerprint(load_config(config))


# --- nothing is read from outside the input ----------------------------------------------------------

@pytest.fixture()
def opened(monkeypatch) -> list[Path]:
    """Every path opened through open(), io.open(), pathlib or os.open while the test runs."""
    seen: list[Path] = []
    real_open, real_os_open = builtins.open, os.open

    def record(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            seen.append(Path(os.fsdecode(file)).absolute())
        return real_open(file, *args, **kwargs)

    def record_os(path, *args, **kwargs):
        seen.append(Path(os.fsdecode(path)).absolute())
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", record)
    monkeypatch.setattr(io, "open", record)
    monkeypatch.setattr(os, "open", record_os)
    return seen


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 3, encoding="utf-8")
    return secret


def test_a_run_opens_nothing_outside_its_input_and_output(tmp_path, opened):
    secret = _secret(tmp_path)
    folder = tmp_path / "cluster"
    shutil.copytree(SEEDS, folder)
    config = write_config(tmp_path / "c.yaml", folder, tmp_path / "out", statistics={"resamples": 10})
    opened.clear()  # what the test itself wrote does not count
    result = polybrief("run", config)
    assert result.returncode == 0, result.stderr
    allowed = [folder, tmp_path / "out", config, Path(sys.prefix), Path(sys.base_prefix), ROOT,
               Path(os.environ["HF_DATASETS_CACHE"])]
    outside = [p for p in opened if not any(p.is_relative_to(a) for a in allowed) and p.parts[1] not in
               ("proc", "sys", "dev", "usr")]
    assert not outside, outside
    assert secret not in opened


def test_a_txt_link_out_of_the_cluster_folder_is_refused_before_it_is_read(tmp_path, opened):
    secret = _secret(tmp_path)
    folder = tmp_path / "cluster"
    shutil.copytree(SEEDS, folder)
    (folder / "zz_link.txt").symlink_to(secret)
    config = write_config(tmp_path / "c.yaml", folder, tmp_path / "out")
    opened.clear()
    assert_clean_failure(polybrief("run", config), "points outside")
    assert_clean_failure(polybrief("run", config, "--check"), "points outside")
    assert secret not in opened


def test_a_folder_that_is_not_an_input_is_refused_before_any_file_in_it_is_opened(tmp_path, opened):
    decoy = tmp_path / "etc"
    (decoy / "ssl").mkdir(parents=True)
    for name in ("shadow", "passwd", "ssl/key.pem"):
        (decoy / name).write_text("secret\n", encoding="utf-8")
    config = small_run(tmp_path)
    opened.clear()
    for args in ((), ("--check",)):
        assert_clean_failure(polybrief("run", config, "--set", f"data.path={decoy}", *args), "no .txt articles")
    assert not [p for p in opened if p.is_relative_to(decoy)]


def test_an_empty_data_path_is_an_error_not_the_current_folder(tmp_path):
    config = small_run(tmp_path)
    assert_clean_failure(polybrief("run", config, "--set", "data.path=", "--check"), "data.path is empty")


def _wmt_folder(tmp_path: Path, link_to: Path) -> Path:
    folder = tmp_path / "wmt"
    (folder / "systems").mkdir(parents=True)
    (folder / "source.es").write_text("Hola mundo.\nAdiós.\nBuenos días.\n", encoding="utf-8")
    (folder / "reference.A.en").write_text("Hello world.\nGoodbye.\nGood morning.\n", encoding="utf-8")
    (folder / "systems" / "good.en").write_text("Hello world.\nBye.\nGood day.\n", encoding="utf-8")
    (folder / "systems" / "x.en").symlink_to(link_to)
    return folder


def test_a_link_out_of_a_test_set_is_refused_unless_allowed(tmp_path, opened):
    secret = _secret(tmp_path)
    folder = _wmt_folder(tmp_path, secret)
    config = tmp_path / "mt.yaml"
    config.write_text(yaml.safe_dump({"name": "mt", "data": {"path": str(folder)},
                                      "systems": [{"outputs": "${data.path}/systems"}],
                                      "statistics": {"resamples": 10}, "output": {"dir": str(tmp_path / "out")}}),
                      encoding="utf-8")
    opened.clear()
    for args in ((), ("--check",)):
        assert_clean_failure(polybrief("run", config, *args), "points outside the test set folder")
    assert secret not in opened
    allowed = polybrief("run", config, "--allow-outside")
    assert allowed.returncode == 0, allowed.stderr
    assert "  x: bleu" in allowed.stdout


# --- YAML that expands, nests or is not UTF-8 --------------------------------------------------------

ALIAS_BOMB = "\n".join(["name: bomb", "data: {path: data.jsonl}", "lol0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
                       + [f"lol{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, 9)]
                       + ["systems: [{method: lead, params: {bomb: *a8}}]"]) + "\n"


@pytest.mark.parametrize("text, phrase", [
    (ALIAS_BOMB, "expands to more than"),
    ("name: deep\nsystems: " + "[" * 60 + "]" * 60 + "\n", "nested more than 50 levels"),
    ("name: deeper\nsystems: " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
])
def test_yaml_bombs_and_deep_nesting_are_one_line(tmp_path, text, phrase):
    config = tmp_path / "c.yaml"
    config.write_text(text, encoding="utf-8")
    assert_clean_failure(polybrief("run", config, "--check"), phrase)


@pytest.mark.parametrize("data, phrase", [
    ("name: t\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
    ("name: t\nsystems: [{name: caf\u00e9}]\n".encode("latin-1"), "c.yaml:2: not UTF-8 (byte 0xe9)"),
])
def test_a_config_that_is_not_utf8_is_one_line(tmp_path, data, phrase):
    (tmp_path / "c.yaml").write_bytes(data)
    assert_clean_failure(polybrief("run", tmp_path / "c.yaml", "--check"), phrase)


def test_a_cluster_yaml_bomb_is_refused(tmp_path, seeds_copy):
    (seeds_copy / "cluster.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    assert_clean_failure(polybrief("brief", seeds_copy), "expands to more than")


# --- output folders: replaced whole, or refused -------------------------------------------------------

def test_run_export_to_a_folder_not_ours_is_refused_before_the_run(tmp_path):
    config = small_run(tmp_path)
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.md").write_text("mine\n", encoding="utf-8")
    result = polybrief("run", config, "--export-to", target)
    assert_clean_failure(result, "not a polybrief export; choose an empty or new folder for --export-to")
    assert "--overwrite" not in result.stderr
    assert not (tmp_path / "out").exists()  # refused before any work
    assert (target / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_an_export_replaces_an_earlier_export_whole(tmp_path):
    config = small_run(tmp_path)
    assert polybrief("run", config).returncode == 0
    run = next((tmp_path / "out" / "t").iterdir())
    target = tmp_path / "export"
    assert polybrief("export", run, "--to", target).returncode == 0
    (target / "segments").mkdir()  # another run's configuration, from an export of a translation run
    (target / "segments" / "train-00000-of-00001.parquet").write_bytes(b"PAR1 old")
    assert polybrief("export", run, "--to", target).returncode == 0
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "clusters", "predictions"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_cluster_output_dir_is_replaced_whole_or_refused(tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    for k, path in enumerate(sorted(SEEDS.glob("*.txt"))[:3]):
        shutil.copy(path, feed / f"a{k}.txt")
    events = tmp_path / "events"
    (events / "event-7").mkdir(parents=True)  # an earlier run's event folder, with an article of its own
    (events / "event-7" / "cluster.yaml").write_text("id: event-7\n", encoding="utf-8")
    (events / "event-1").mkdir()
    (events / "event-1" / "cluster.yaml").write_text("id: event-1\n", encoding="utf-8")
    (events / "event-1" / "999_old.txt").write_text("An old article.\n", encoding="utf-8")
    result = polybrief("cluster", feed, "--output-dir", events, "--translator", "none")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in events.iterdir()) == ["event-1"]
    assert not (events / "event-1" / "999_old.txt").exists()
    (events / "notes.md").write_text("mine\n", encoding="utf-8")
    assert_clean_failure(polybrief("cluster", feed, "--output-dir", events, "--translator", "none"),
                         "not empty and not written by polybrief cluster")
    assert (events / "notes.md").exists()


# --- a pile is not an event ----------------------------------------------------------------------------

def test_a_pile_of_articles_briefed_as_one_event_gets_a_hint(tmp_path):
    folder = tmp_path / "pile"
    folder.mkdir()
    for k in range(60):
        (folder / f"{k:03d}.txt").write_text(f"Story number {k} says that item {k} happened in town {k}. "
                                             f"Officials in town {k} confirmed it on day {k}.\n", encoding="utf-8")
    result = polybrief("brief", folder, "--method", "lead")
    assert result.returncode == 0, result.stderr
    hints = [line for line in result.stderr.splitlines() if "polybrief cluster" in line]
    assert len(hints) == 1 and "60 articles briefed as one event" in hints[0]
    assert "polybrief cluster" not in polybrief("brief", SEEDS, "--method", "lead").stderr


@pytest.mark.slow
def test_the_readme_cluster_example_runs_as_written_on_the_sample_feed(tmp_path):
    assert "polybrief cluster docs/examples/feed/ -o events.jsonl" in (ROOT / "README.md").read_text(encoding="utf-8")
    out = tmp_path / "events.jsonl"
    result = polybrief("cluster", ROOT / "docs" / "examples" / "feed", "-o", out)
    assert result.returncode == 0, result.stderr
    events = [{d["doc_id"] for d in json.loads(line)["documents"]} for line in out.read_text("utf-8").splitlines()]
    assert sorted(map(len, events)) == [2, 2, 6]
    assert {"demo_library_en", "demo_library_es"} in events and {"flood_en", "flood_es"} in events
