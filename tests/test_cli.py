"""The CLI end to end, as a user runs it: on the seeds, and on every kind of bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SEEDS, assert_clean_failure, polybrief


def test_brief_seeds_markdown():
    result = polybrief("brief", str(SEEDS))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Briefing: mn-1 (general)")
    assert "Traceback" not in result.stderr and "Loading weights" not in result.stderr


def test_brief_seeds_json_to_file(tmp_path):
    out = tmp_path / "out" / "b.jsonl"
    result = polybrief("brief", str(SEEDS), "--format", "json", "--method", "lexrank", "--words", "120",
                       "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["method"] == "lexrank" and data["cluster_id"] == "mn-1"
    assert sum(len(s.split()) for s in [data["headline"]["text"]] + [b["text"] for b in data["bullets"]]) <= 120


def test_jsonl_with_a_broken_line_still_briefs_the_rest(tmp_path):
    docs = [{"doc_id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]
    lines = [json.dumps({"cluster_id": "one", "documents": docs[:3]}), "this is not json",
             json.dumps({"cluster_id": "single", "documents": docs[3:4]})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = polybrief("brief", str(path), "--format", "json")
    assert_clean_failure(result, f"{path}:2: not valid JSON")
    ids = [json.loads(line)["cluster_id"] for line in result.stdout.splitlines()]
    assert ids == ["one", "single"]  # a cluster of one document still gets a briefing


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, phrase", [
    (lambda d: d, "no .txt articles"),
    (lambda d: written(d / "e.jsonl", b""), "the file is empty"),
    (lambda d: written(d / "x.pdf", b"%PDF"), "expected a folder of .txt articles"),
    (lambda d: d / "missing", "no such file or folder"),
])
def test_bad_paths(tmp_path, make, phrase):
    assert_clean_failure(polybrief("brief", str(make(tmp_path))), phrase)


def test_binary_and_latin1_articles(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\xff\x00garbage")
    (tmp_path / "fr.txt").write_bytes(("Le ministre russe des Affaires étrangères a rencontré Blinken à Genève "
                                       "vendredi. Les deux hommes ont parlé de l'Ukraine pendant deux heures. "
                                       "Aucun accord n'a été trouvé lors de la réunion.").encode("latin-1"))
    result = polybrief("brief", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "binary" in result.stderr and "read as cp1252" in result.stderr
    assert "Affaires étrangères" in result.stdout


def test_unknown_method_is_a_usage_error():
    result = polybrief("brief", str(SEEDS), "--method", "bogus")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_output_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_clean_failure(polybrief("brief", str(SEEDS), "-o", str(blocker / "sub" / "o.md")), "cannot write")


def test_help_lists_commands():
    result = polybrief("--help")
    assert result.returncode == 0 and "brief" in result.stdout
