"""Shared fixtures and helpers: the seed cluster, a hand-made cluster with a known answer, the CLI
run in-process, a process killed after N predictions, experiment inputs and configs."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ["HF_HUB_OFFLINE"] = "1"  # no test may reach a model or dataset hub, before any HF import
# datasets caches a loaded local folder under a key that ignores file contents of equal size: a test
# session gets its own cache so an export of equal-sized parquet never reads back an older one; it is
# removed when the session ends (one was left in /tmp per session before)
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="polybrief-hf-cache-")

import contextlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from polybrief.cli import main
from polybrief.core.document import Cluster
from polybrief.core.readers import make_document, read_clusters, read_reference
from polybrief.eval.experiment.runrecord import RunRecord

atexit.register(shutil.rmtree, os.environ["HF_DATASETS_CACHE"], True)
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_cluster() -> Cluster:
    return next(read_clusters(SEEDS))


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


# Three short articles about a bridge collapse. The fact all three report is the collapse
# itself; each also has one detail no other article has.
TOY = {
    "a": ("The Harbor Bridge collapsed on Monday morning during rush hour in Portsmouth. "
          "Officials said twelve people were injured in the collapse of the bridge. "
          "The mayor enjoys gardening and painting on weekends with her family."),
    "b": ("Rescue teams searched the river after the Harbor Bridge collapsed on Monday morning. "
          "The bridge collapse injured twelve people, officials said on Monday. "
          "A local bakery announced a new seasonal menu featuring pumpkin bread."),
    "c": ("Engineers had warned for years that the Harbor Bridge could collapse under heavy traffic. "
          "The Harbor Bridge collapsed Monday morning, and twelve people were injured. "
          "The city football team won its third game of the season on Sunday."),
}


@pytest.fixture()
def toy_cluster() -> Cluster:
    docs = [make_document(k, v, language="en") for k, v in TOY.items()]
    return Cluster("toy", docs)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """Tiny random T5, BART, Marian and GPT-2 (with a chat template) models, saved like downloads."""
    from .tiny_models import build

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    root = tmp_path_factory.mktemp("tiny-models")
    return {kind: build(kind, root / kind, texts, chat=kind == "gpt2") for kind in ("t5", "bart", "marian", "gpt2")}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than ~10 s (deselect with -m 'not slow')")


@dataclass
class CliResult:
    """What a command left behind: exit status and everything it printed."""

    returncode: int
    stdout: str
    stderr: str


def polybrief(*args: str, cwd: Path | None = None) -> CliResult:
    """``polybrief ARGS`` run in this process through ``main(argv)``, as the console script runs it.

    In-process keeps models loaded between tests; a test that needs a process to die uses
    ``killed_after`` instead.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        code = main([str(a) for a in args])
    return CliResult(code, out.getvalue(), err.getvalue())


def assert_clean_failure(result: CliResult | subprocess.CompletedProcess, phrase: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert phrase in result.stderr, result.stderr


# Run in a child process: count predictions as they are appended and SIGKILL the process after N,
# as a crash or `kill -9` would. The hook lives here, not in the runner's production path.
_KILL_AFTER = """
import os, signal, sys
from polybrief.eval.experiment import runlog
limit, made, original = int(sys.argv[1]), [0], runlog.JsonlLog.append_many
def append_many(self, records):
    if self.path.name != "predictions.jsonl":
        return original(self, records)
    for record in records:
        original(self, [record])
        made[0] += 1
        if made[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)
runlog.JsonlLog.append_many = append_many
from polybrief.cli import main
sys.exit(main(sys.argv[2:]))
"""


def killed_after(predictions: int, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """``polybrief ARGS`` in a child process that is SIGKILLed after ``predictions`` new predictions."""
    return subprocess.run([sys.executable, "-c", _KILL_AFTER, str(predictions), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def seed_clusters_jsonl(path: Path, n: int = 10, planted: str | None = None) -> Path:
    """``n`` clusters, each 3-4 seed articles in a rotating order, all with the seed reference."""
    articles = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    reference = read_reference(SEEDS / "reference.md")
    lines = []
    for k in range(n):
        chosen = [articles[(k + j) % len(articles)] for j in range(3 + k % 2)]
        docs = [{"doc_id": f"{doc_id}-{k}", "text": text} for doc_id, text in chosen]
        if planted and k == 0:
            docs[0]["text"] = planted + "\n" + docs[0]["text"]
        lines.append(json.dumps({"cluster_id": f"c{k:02d}", "documents": docs, "reference_summaries": [reference]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_config(path: Path, data: Path, out: Path, **extra) -> Path:
    config = {"name": "t", "data": {"path": str(data), "name": "seedmix"},
              "systems": [{"name": "support", "method": "support", "words": 120},
                          {"name": "lead", "method": "lead", "words": 120},
                          {"name": "lexrank", "method": "lexrank", "words": 120}],
              "metrics": ["rouge", "chrf", "bleu"],
              "statistics": {"resamples": 200, "seed": 7, "baseline": "lead"},
              "output": {"dir": str(out)}}
    config.update(extra)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def metrics_of(results: RunRecord | dict) -> dict:
    """Every system's metric entries as results.json holds them, from a run's record or a read results.json."""
    run = results if isinstance(results, RunRecord) else RunRecord.from_dict(results)
    return {s: {m: r.to_dict() for m, r in e.metrics.items()} for s, e in run.systems.items()}


WORDS = "the minister met his counterpart in geneva on friday to discuss security guarantees".split()


def write_rows(path, flip: bool = False, extra: list | None = None):
    """5 systems x 12 segments; a system's output keeps a prefix of the reference, so chrF tracks
    the human score (the kept fraction) exactly, or inversely when ``flip``."""
    rows = []
    for seg in range(12):
        ref = " ".join(WORDS[seg % 3:])
        for s, keep in enumerate([0.2, 0.4, 0.6, 0.8, 1.0]):
            words = ref.split()
            mt = " ".join(words[:max(1, int(len(words) * keep))])
            rows.append({"src": "", "mt": mt, "ref": ref, "system": f"sys{s}", "seg_id": seg, "doc": "d",
                         "human_score": float(-keep if flip else keep)})
    rows += extra or []
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path
