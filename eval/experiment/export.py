"""``polybrief export RUN_DIR --to DIR``: a finished run as a Hugging Face dataset.

Two configurations, because their rows differ in kind: ``predictions`` (the default: one row
per system and cluster, with the briefing and its per-cluster scores) and ``clusters`` (the
input articles with language and machine-translation flags, and the references). Each is
written as parquet with explicit ``datasets.Features`` and described in a dataset card whose
YAML front matter tells ``datasets.load_dataset(DIR)`` where the files are, offline.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from polybrief.core.errors import PolybriefError
from polybrief.core.files import atomic_path, folder_in_use, fresh_folder, write_text_atomic
from polybrief.core.readers import card_front_matter

from .runlog import read_records
from .runrecord import RunRecord

DOCUMENT = {"doc_id": "string", "title": "string", "text": "string", "language": "string",
            "source_language": "string", "machine_translated": "bool"}


def score_field(name: str) -> str:
    """A metric score name as a plain column name ('chrf++.score' -> 'chrfpp__score')."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name.replace("++", "pp").replace(".", "__"))


def cluster_features():
    from datasets import Features, Sequence, Value

    return Features({"cluster_id": Value("string"), "topic": Value("string"),
                     "documents": [{k: Value(v) for k, v in DOCUMENT.items()}],
                     "reference_summaries": Sequence(Value("string"))})


def prediction_features(score_names: list[str]):
    from datasets import Features, Sequence, Value

    return Features({"run_id": Value("string"), "system": Value("string"), "method": Value("string"),
                     "cluster_id": Value("string"), "briefing": Value("string"), "headline": Value("string"),
                     "bullets": Sequence(Value("string")), "cited": Sequence(Sequence(Value("string"))),
                     "error": Value("string"), "scores": {score_field(n): Value("float64") for n in score_names}})


def segment_features():
    from datasets import Features, Sequence, Value

    return Features({"seg_id": Value("string"), "doc_id": Value("string"), "source": Value("string"),
                     "references": Sequence(Value("string"))})


def translation_features(score_names: list[str]):
    from datasets import Features, Sequence, Value

    return Features({"run_id": Value("string"), "system": Value("string"), "seg_id": Value("string"),
                     "doc_id": Value("string"), "source": Value("string"), "references": Sequence(Value("string")),
                     "output": Value("string"), "error": Value("string"),
                     "scores": {score_field(n): Value("float64") for n in score_names}})


def _require(path: Path) -> Path:
    if not path.exists():
        raise PolybriefError(f"{path}: missing; is this a finished run folder (polybrief run writes it)?")
    return path


def check_run_folder(run_dir: Path) -> None:
    """Say what the folder is when it is not a run's: missing, or the experiment's folder that holds runs
    (`out/NAME` rather than `out/NAME/RUN_ID`), which a new user passes first."""
    if not run_dir.is_dir():
        raise PolybriefError(f"{run_dir}: no such run folder (polybrief run prints the folder it writes)")
    runs = sorted(p.name for p in run_dir.iterdir() if (p / "results.json").is_file())
    if runs and not (run_dir / "results.json").exists():
        raise PolybriefError(f"{run_dir} holds the runs of an experiment: export one of them, e.g. "
                             f"{run_dir / runs[-1]} (runs here: {', '.join(runs)})")


def build(run_dir: Path) -> tuple[dict[str, Any], RunRecord, Any]:
    """The run's config, results and a {config name: Dataset} mapping."""
    from datasets import Dataset

    check_run_folder(run_dir)
    config = yaml.safe_load(_require(run_dir / "config.yaml").read_text(encoding="utf-8"))
    results = RunRecord.from_dict(json.loads(_require(run_dir / "results.json").read_text(encoding="utf-8")))
    if results.translation:
        return config, results, build_translation(run_dir, results)
    clusters = list(read_records(_require(run_dir / "clusters.jsonl")))
    samples = {(s["system"], s["cluster_id"]): s["scores"] for s in read_records(run_dir / "samples.jsonl")}
    score_names = sorted({k for scores in samples.values() for k in scores})
    methods = {name: system.label for name, system in results.systems.items()}
    predictions = []
    for record in read_records(_require(run_dir / "predictions.jsonl")):
        scores = samples.get((record["system"], record["cluster_id"]), {})
        predictions.append({
            "run_id": results.run_id, "system": record["system"], "method": methods.get(record["system"], ""),
            "cluster_id": record["cluster_id"], "briefing": record["briefing"], "headline": record["headline"],
            "bullets": record["bullets"], "cited": record["cited"], "error": record.get("error"),
            "scores": {score_field(n): scores.get(n) for n in score_names}})
    cluster_rows = [{**c, "documents": [{k: d.get(k) for k in DOCUMENT} for d in c["documents"]]} for c in clusters]
    data = {"predictions": Dataset.from_list(predictions, features=prediction_features(score_names)),
            "clusters": Dataset.from_list(cluster_rows, features=cluster_features())}
    return config, results, data


def build_translation(run_dir: Path, results: RunRecord) -> dict[str, Any]:
    """A translation run as {'predictions': one row per system and segment, 'segments': the test set}."""
    from datasets import Dataset

    segments = {s["seg_id"]: s for s in read_records(_require(run_dir / "segments.jsonl"))}
    samples = {(s["system"], s["seg_id"]): s["scores"] for s in read_records(run_dir / "samples.jsonl")}
    score_names = sorted({k for scores in samples.values() for k in scores})
    rows = []
    for record in read_records(_require(run_dir / "predictions.jsonl")):
        segment = segments[record["seg_id"]]
        scores = samples.get((record["system"], record["seg_id"]), {})
        rows.append({"run_id": results.run_id, "system": record["system"], "seg_id": record["seg_id"],
                     "doc_id": segment["doc_id"], "source": segment["source"], "references": segment["references"],
                     "output": record["output"], "error": record.get("error"),
                     "scores": {score_field(n): scores.get(n) for n in score_names}})
    return {"predictions": Dataset.from_list(rows, features=translation_features(score_names)),
            "segments": Dataset.from_list(list(segments.values()), features=segment_features())}


def translation_card(config: dict[str, Any], results: RunRecord, data: dict[str, Any]) -> list[str]:
    """The prose of a translation run's card (the front matter is shared)."""
    systems = sorted(results.systems)
    return [f"# polybrief run `{results.name}` / `{results.run_id}`", "",
            f"Translations of the {results.read} segments of `{results.dataset}` ({results.pair}) by "
            f"{len(systems)} systems: {', '.join(f'`{s}`' for s in systems)}, scored against reference(s) "
            f"{', '.join(results.references) or 'none'}.", "",
            "- `predictions` (default): one row per system and segment: source, references, the system's output "
            "and its per-segment scores (columns of `scores` are `metric__score`).",
            "- `segments`: the test set: segment id, document id, source and references.", "",
            f"Scored with: {', '.join(m['name'] for m in config['metrics'])}; {results.resamples} bootstrap "
            f"resamples, seed {results.seed}. Corpus scores with intervals, signatures, the paired test of every "
            "pair of systems and their significance groups are in the run's `results.json`.", ""]


def card(config: dict[str, Any], results: RunRecord, data: dict[str, Any]) -> str:
    """The dataset card: YAML front matter for the hub and for load_dataset, then prose."""
    translation = results.translation
    if translation:
        languages = sorted(set((results.pair or "").split("-")) - {""})
    else:
        languages = sorted({d["language"] for row in data["clusters"] for d in row["documents"] if d["language"]})
    front = {
        "pretty_name": f"polybrief run {results.name} ({results.run_id})",
        "license": config.get("license", "other"),
        "language": languages or ["en"],
        "task_categories": ["translation" if translation else "summarization"],
        "tags": ["polybrief"] + (["machine-translation", "mt-evaluation"] if translation
                                 else ["multi-document-summarization", "news"]),
        "configs": [{"config_name": name, "data_files": [{"split": "train", "path": f"{name}/*.parquet"}],
                     **({"default": True} if name == "predictions" else {})} for name in data],
        "dataset_info": [{"config_name": name, "features": ds.features._to_yaml_list(),
                          "splits": [{"name": "train", "num_bytes": int(ds.data.nbytes), "num_examples": len(ds)}]}
                         for name, ds in data.items()],
    }
    header = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip(), "---", ""]
    body = translation_card(config, results, data) if translation else summarization_card(config, results)
    footer = [f"Produced by polybrief (git commit `{results.environment.get('git_commit')}`) on "
              f"{results.date}. The texts keep the licence of their source data set; check it before "
              "redistributing."]
    return "\n".join(header + body + footer) + "\n"


def summarization_card(config: dict[str, Any], results: RunRecord) -> list[str]:
    """The prose of a briefing run's card (the front matter is shared)."""
    systems = ", ".join(f"`{name}` ({system.description})" for name, system in results.systems.items())
    return [f"# polybrief run `{results.name}` / `{results.run_id}`", "",
            f"Briefings of {results.read} news cluster{'' if results.read == 1 else 's'} from `{results.dataset}` by "
            f"{len(results.systems)} systems: {systems}. Each briefing is a headline and up to five bullets "
            "quoted from the articles, with the articles that report each sentence.", "",
            "- `predictions` (default): one row per system and cluster: the briefing, its sentences and "
            "citations, and per-cluster scores (columns of `scores` are `metric__score`).",
            "- `clusters`: the input articles, with language, source language and machine-translation flags, "
            "and the reference summaries.", "",
            f"Scored with: {', '.join(m['name'] for m in config['metrics'])}; "
            f"{results.resamples} bootstrap resamples, seed {results.seed}, "
            f"baseline `{results.baseline}`. Signatures and corpus scores with intervals are in the run's "
            "`results.json`.", ""]


def is_our_export(folder: Path) -> bool:
    """Whether ``folder`` holds a previous polybrief export (its card's tags say polybrief)."""
    return "polybrief" in (card_front_matter(folder).get("tags") or [])


def check_target(folder: Path, overwrite: bool, hint: str = "choose an empty folder, or --overwrite to write into "
                 "it anyway") -> None:
    """Refuse to write into a non-empty folder that is not an earlier export of ours: a README.md (or
    anything else) that was there would be overwritten."""
    if folder.exists() and not folder.is_dir():
        raise PolybriefError(f"{folder}: exists and is not a folder")
    if folder_in_use(folder, is_our_export) and not overwrite:
        raise PolybriefError(f"{folder}: not empty and not a polybrief export; {hint}")


def _write_export(folder: Path, config: dict[str, Any], results: dict[str, Any], data: dict[str, Any]) -> None:
    for name, ds in data.items():
        (folder / name).mkdir(exist_ok=True)
        with atomic_path(folder / name / "train-00000-of-00001.parquet") as shard:
            ds.to_parquet(str(shard))
    write_text_atomic(folder / "README.md", card(config, results, data))


def export_run(run_dir: str | Path, to_dir: str | Path, push_to_hub: str | None = None,
               overwrite: bool = False) -> Path:
    """Write parquet shards and README.md to ``to_dir``; optionally push to the hub. The export is built in
    a fresh folder that replaces an earlier one whole, so no configuration of another run is left beside
    it (and pushed with it); only a folder of someone else's, written into with ``overwrite``, is kept."""
    run_dir, to_dir = Path(run_dir), Path(to_dir)
    check_target(to_dir, overwrite)
    config, results, data = build(run_dir)
    try:
        if folder_in_use(to_dir, is_our_export):
            to_dir.mkdir(parents=True, exist_ok=True)
            _write_export(to_dir, config, results, data)
        else:
            with fresh_folder(to_dir) as folder:
                _write_export(folder, config, results, data)
    except OSError as exc:
        raise PolybriefError(f"cannot write to {to_dir}: {exc.strerror or exc}") from None
    if push_to_hub:
        push(data, push_to_hub, to_dir / "README.md")
    return to_dir


def push(data: dict[str, Any], repo: str, card_path: Path) -> None:
    """Push each configuration to the hub; offline or unreachable is one clear error."""
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        raise PolybriefError("cannot push: polybrief runs offline (HF_HUB_OFFLINE=1); where a hub is "
                             "reachable, run with HF_HUB_OFFLINE=0 and a token (huggingface-cli login)")
    try:
        from huggingface_hub import HfApi

        for name, ds in data.items():
            ds.push_to_hub(repo, config_name=name, split="train")
        HfApi().upload_file(path_or_fileobj=str(card_path), path_in_repo="README.md", repo_id=repo,
                            repo_type="dataset")
    except Exception as exc:  # network, auth and hub errors come in many types; the user needs one line
        raise PolybriefError(f"cannot push to {repo}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None


__all__ = ["DOCUMENT", "build", "build_translation", "card", "check_run_folder", "check_target", "cluster_features",
           "export_run", "is_our_export", "prediction_features", "push", "score_field", "segment_features",
           "summarization_card", "translation_card", "translation_features"]
