"""Faults: SIGKILL at random points, many writers on one leaderboard, unwritable and full outputs."""
from __future__ import annotations

import json
import random
import resource
import signal
import subprocess
import sys

import pytest

from polybrief.eval.experiment.runlog import read_records

from .conftest import assert_clean_failure, killed_after, metrics_of, polybrief, seed_clusters_jsonl, write_config

pytestmark = pytest.mark.slow  # models, Ray or killed processes: run by `make test`, skipped by -m 'not slow'


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    data = seed_clusters_jsonl(tmp / "data.jsonl", n=8)
    config = write_config(tmp / "c.yaml", data, tmp / "out")
    assert polybrief("run", str(config)).returncode == 0
    root = next((tmp / "out" / "t").iterdir())
    return data, json.loads(root.joinpath("results.json").read_text()), _per_segment(root)


def _per_segment(root) -> dict:
    """Every (system, cluster)'s own scores on every metric, from the run's samples.jsonl."""
    return {(r["system"], r["cluster_id"]): r["scores"] for r in read_records(root / "samples.jsonl")}


def test_killed_at_random_points_then_resumed_equals_clean(reference_run, tmp_path):
    data, clean, clean_segments = reference_run
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out")
    total = 24  # 8 clusters x 3 systems
    kills = sorted(random.Random(0).sample(range(1, total), 3))  # one process per kill: each costs seconds
    done = 0
    for point in kills:  # killed three times at random points, resuming in between
        killed = killed_after(point - done, "run", config)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        done = point
    final = polybrief("run", str(config))
    assert final.returncode == 0, final.stderr
    root = next((tmp_path / "out" / "t").iterdir())
    assert sum(1 for _ in read_records(root / "predictions.jsonl")) == total
    assert metrics_of(json.loads((root / "results.json").read_text())) == metrics_of(clean)
    segments = _per_segment(root)  # issue 22 item 3: each segment's own numbers, not only the corpus's
    assert len(segments) == total and segments == clean_segments


_APPEND_MANY = """
import sys
from pathlib import Path
from polybrief.eval.experiment.leaderboard import append_rows
from polybrief.eval.experiment.rows import LeaderboardRow
path, worker = Path(sys.argv[1]), sys.argv[2]
for k in range(40):
    row = {"run_id": f"r{worker}", "system": f"s{k}", "dataset": "d", "name": "n", "config_hash": "h",
           "date": "2026-01-01", "clusters": 1, "metrics": {}, "primary": {}, "higher_is_better": {},
           "signatures": {}, "example": "x" * 5000}
    append_rows(path, [LeaderboardRow.from_dict(row)])
"""


def test_eight_processes_on_one_leaderboard(tmp_path):
    """Eight writers at once, each importing only the leaderboard (a child that imports this test module
    loads every model's library first: seconds each)."""
    path = tmp_path / "lb.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", _APPEND_MANY, str(path), str(w)]) for w in range(8)]
    assert all(p.wait(180) == 0 for p in procs)
    rows = [json.loads(line) for line in path.read_bytes().splitlines()]
    assert len(rows) == 320 and len({(r["run_id"], r["system"]) for r in rows}) == 320
    assert all(len(r["example"]) == 5000 for r in rows)


def test_unwritable_output_fails_fast(reference_run, tmp_path):
    data, *_ = reference_run
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    config = write_config(tmp_path / "c.yaml", data, blocker / "out")
    assert_clean_failure(polybrief("run", str(config)), "cannot write")


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG, like a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_full_disk_fails_clearly_and_keeps_earlier_outputs(reference_run, tmp_path):
    data, *_ = reference_run
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out")
    assert polybrief("run", str(config)).returncode == 0
    root = next((tmp_path / "out" / "t").iterdir())
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    config2 = write_config(tmp_path / "c2.yaml", data, tmp_path / "out", name="t2")  # a second run, same folder
    result = subprocess.run([sys.executable, "-m", "polybrief", "run", str(config2)], capture_output=True, text=True,
                            timeout=300, preexec_fn=_limit_file_size)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot write" in result.stderr and "File too large" in result.stderr
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before
