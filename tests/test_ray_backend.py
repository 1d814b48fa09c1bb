"""The Ray backend gives the same results as the local one, and resumes the same way."""
from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
import yaml

from polybrief.eval.experiment.runlog import read_records
from polybrief.eval.experiment.runrecord import RunRecord

from .conftest import killed_after, metrics_of, polybrief, seed_clusters_jsonl, write_config

pytestmark = pytest.mark.slow  # models, Ray or killed processes: run by `make test`, skipped by -m 'not slow'

pytest.importorskip("ray", reason="Ray is not installed (pip install 'polybrief[ray]')")


@pytest.fixture(scope="module", autouse=True)
def ray_session():
    """One Ray instance for the module, opened as a notebook would: polybrief must use it and leave it open.
    The run that is killed joins it as a second driver (``--address``) rather than starting its own, which
    costs seconds and, killed, would leave its Ray processes behind."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


def results_of(out_dir) -> RunRecord:
    return RunRecord.from_dict(json.loads(next((out_dir / "t").iterdir()).joinpath("results.json").read_text()))


def test_ray_and_local_backends_agree_and_ray_resumes(tmp_path, ray_session):
    data = seed_clusters_jsonl(tmp_path / "data.jsonl", n=10)
    local_cfg = write_config(tmp_path / "local.yaml", data, tmp_path / "local")
    ray_cfg = write_config(tmp_path / "ray.yaml", data, tmp_path / "ray", backend={"name": "ray", "workers": 2})
    assert polybrief("run", str(local_cfg)).returncode == 0
    address = ray_session.get_runtime_context().gcs_address
    killed = killed_after(11, "run", ray_cfg, "--address", address, timeout=600)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    resumed = polybrief("run", str(ray_cfg))
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert ray_session.is_initialized()  # the caller's session is still open
    local, ray = results_of(tmp_path / "local"), results_of(tmp_path / "ray")
    assert ray.backend == "ray" and local.backend == "local"
    assert metrics_of(ray) == metrics_of(local)
    root = next((tmp_path / "ray" / "t").iterdir())
    keys = [(r["system"], r["cluster_id"]) for r in read_records(root / "predictions.jsonl")]
    assert len(keys) == len(set(keys)) == 30


def test_translation_on_ray_equals_local(tmp_path):
    """Given outputs and Apertium translating on the fly, on Ray workers: the same results as locally."""
    sample = Path(__file__).resolve().parents[1] / "docs" / "examples" / "es-en"
    results = {}
    for backend in ("local", "ray"):
        config = tmp_path / f"{backend}.yaml"
        config.write_text(yaml.safe_dump({
            "name": "t", "data": {"path": str(sample)}, "backend": {"name": backend, "workers": 2},
            "systems": [{"outputs": f"{sample}/systems"}, {"name": "apertium", "translator": "apertium"}],
            "metrics": ["bleu", "chrf"], "statistics": {"resamples": 100},
            "output": {"dir": str(tmp_path / backend)}}), encoding="utf-8")
        assert polybrief("run", config).returncode == 0
        results[backend] = results_of(tmp_path / backend)
    assert results["ray"].backend == "ray"
    assert metrics_of(results["ray"]) == metrics_of(results["local"])
    assert results["ray"].pairwise == results["local"].pairwise
