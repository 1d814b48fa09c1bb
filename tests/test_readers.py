"""Readers: folder + cluster.yaml, JSONL, Hugging Face datasets, and broken input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybrief.core.errors import InputError
from polybrief.core.readers import MAX_ARTICLE_CHARS, BadRecord, read_clusters

from .conftest import SEEDS


def test_seed_folder_with_cluster_yaml(seed_cluster):
    assert seed_cluster.cluster_id == "mn-1" and seed_cluster.topic == "general"
    assert [d.doc_id for d in seed_cluster.documents] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    mt = {d.doc_id: (d.machine_translated, d.source_language) for d in seed_cluster.documents}
    assert mt["001_c2ff69d04b4610b3"] == (True, "es")
    assert mt["000_31bf641b0229faed"] == (False, None)
    assert seed_cluster.document("003_2530f243ba4f3140").title.startswith("Blinken arrives in Ukraine")


def test_seed_files_are_the_shared_ones_byte_for_byte():
    shared = SEEDS.parents[1] / "shared" / "seeds"
    if not shared.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    for path in shared.glob("*.txt"):
        assert (SEEDS / path.name).read_bytes() == path.read_bytes()


def test_folder_without_yaml_detects_language(tmp_path):
    (tmp_path / "a.txt").write_text("El ministro de Exteriores ruso se reunió con Blinken en Ginebra el viernes.",
                                    encoding="utf-8")
    cluster = next(read_clusters(tmp_path))
    assert cluster.cluster_id == tmp_path.name and cluster.documents[0].language == "es"


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_bad_line_does_not_stop_the_others(tmp_path):
    good = {"cluster_id": "c1", "documents": [{"doc_id": "d1", "text": "A storm hit the coast on Monday."}],
            "reference_summaries": ["A storm hit."]}
    path = _jsonl(tmp_path / "x.jsonl", [json.dumps(good), "{not json", json.dumps({"cluster_id": "c3"}),
                                         json.dumps({**good, "cluster_id": "c4"})])
    results = list(read_clusters(path))
    assert [type(r).__name__ for r in results] == ["Cluster", "BadRecord", "BadRecord", "Cluster"]
    assert results[1].where.endswith(":2") and "not valid JSON" in results[1].reason
    assert results[0].reference_summaries == ["A storm hit."]
    assert results[0].documents[0].doc_id == "d1"


def test_hf_dataset_on_disk_and_parquet(tmp_path):
    import datasets

    rows = {"cluster_id": ["c1", "c2"],
            "documents": [[{"doc_id": "a", "text": "The storm hit the coast on Monday night."}],
                          [{"doc_id": "b", "text": "Rescuers searched the river after the bridge fell."}]],
            "reference_summaries": [["A storm."], ["A bridge fell."]]}
    ds = datasets.Dataset.from_dict(rows)
    ds.save_to_disk(str(tmp_path / "saved"))
    ds.to_parquet(str(tmp_path / "data.parquet"))
    for spec in (tmp_path / "saved", tmp_path / "data.parquet"):
        clusters = list(read_clusters(spec))
        assert [c.cluster_id for c in clusters] == ["c1", "c2"]
        assert clusters[1].documents[0].doc_id == "b" and clusters[1].reference_summaries == ["A bridge fell."]


def test_multi_news_hf_layout(tmp_path):
    import datasets

    ds = datasets.Dataset.from_dict({"document": ["First article text here. ||||| Second article text here."],
                                     "summary": ["Both articles."]})
    ds.save_to_disk(str(tmp_path / "mn"))
    cluster = next(read_clusters(tmp_path / "mn"))
    assert len(cluster.documents) == 2 and cluster.reference_summaries == ["Both articles."]


def test_unreachable_hub_dataset_is_one_clear_error():
    with pytest.raises(InputError, match="cannot load as a Hugging Face dataset"):
        list(read_clusters("hf:surely-not/a-dataset-polybrief"))


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no .txt articles"),
    (lambda d: (d / "x.jsonl").write_bytes(b""), "empty"),
])
def test_empty_inputs(tmp_path, setup, message):
    setup(tmp_path)
    target = tmp_path / "x.jsonl" if (tmp_path / "x.jsonl").exists() else tmp_path
    with pytest.raises(InputError, match=message):
        list(read_clusters(target))


def test_latin1_binary_and_empty_files(tmp_path):
    (tmp_path / "a.txt").write_bytes("Le président a visité Genève lundi pour des pourparlers.".encode("latin-1"))
    (tmp_path / "b.bin.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "c.txt").write_bytes(b"")
    cluster = next(read_clusters(tmp_path))
    assert [d.doc_id for d in cluster.documents] == ["a"]
    assert "président" in cluster.documents[0].text


def test_only_empty_files_is_a_bad_record(tmp_path):
    (tmp_path / "c.txt").write_bytes(b"\n\n")
    result = next(read_clusters(tmp_path))
    assert isinstance(result, BadRecord) and "no article" in result.reason


def test_huge_article_is_truncated(tmp_path):
    sentence = "The committee met again on Tuesday to discuss the budget. "
    (tmp_path / "big.txt").write_text(sentence * (4 * MAX_ARTICLE_CHARS // len(sentence)), encoding="utf-8")
    doc = next(read_clusters(tmp_path)).documents[0]  # four times the limit: 2 MB (20 MB took 4 s, same code)
    assert len(doc.raw_text) >= 3.9 * MAX_ARTICLE_CHARS and len(doc.text) <= MAX_ARTICLE_CHARS
