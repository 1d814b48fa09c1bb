"""Tiny randomly initialised generation models, built offline for the tests.

No real summariser or translator can be installed offline, so the tests build T5, BART,
Marian and GPT-2 shaped models from transformers' own config classes, with a word-level
tokenizer made here, save them with ``save_pretrained`` and hand the folder to polybrief
exactly as a user would hand it a downloaded model.
"""
from __future__ import annotations

import re
from pathlib import Path

SPECIAL = ["<pad>", "</s>", "<s>", "<unk>"]
MAX_POSITIONS = 128


def vocabulary(texts: list[str], size: int = 400) -> list[str]:
    words: dict[str, int] = {}
    for text in texts:
        for w in re.findall(r"\w+|[^\w\s]", text.lower()):
            words[w] = words.get(w, 0) + 1
    return SPECIAL + sorted(words, key=lambda w: (-words[w], w))[:size - len(SPECIAL)]


def save_tokenizer(folder: Path, texts: list[str], chat_template: str | None = None) -> None:
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {w: i for i, w in enumerate(vocabulary(texts))}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.normalizer = normalizers.Lowercase()
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    core.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>",
                                        bos_token="<s>", unk_token="<unk>", model_max_length=MAX_POSITIONS)
    if chat_template:
        tokenizer.chat_template = chat_template
    tokenizer.save_pretrained(folder)


def build(kind: str, folder: Path, texts: list[str], seed: int = 0, chat: bool = False) -> Path:
    """Save a tiny random model of ``kind`` (t5, bart, marian, gpt2) and its tokenizer to ``folder``."""
    import torch
    from transformers import (
        BartConfig,
        BartForConditionalGeneration,
        GPT2Config,
        GPT2LMHeadModel,
        MarianConfig,
        MarianMTModel,
        T5Config,
        T5ForConditionalGeneration,
    )

    folder.mkdir(parents=True, exist_ok=True)
    template = "{% for m in messages %}<s> {{ m['content'] }} </s>{% endfor %}" if chat else None
    save_tokenizer(folder, texts, template)
    n = len(vocabulary(texts))
    ids = dict(pad_token_id=0, eos_token_id=1, bos_token_id=2, decoder_start_token_id=0, forced_eos_token_id=1)
    torch.manual_seed(seed)
    if kind == "t5":
        model = T5ForConditionalGeneration(T5Config(vocab_size=n, d_model=32, d_kv=8, d_ff=64, num_layers=2,
                                                    num_heads=4, **ids))
    elif kind == "bart":
        model = BartForConditionalGeneration(BartConfig(vocab_size=n, d_model=32, encoder_layers=1, decoder_layers=1,
                                                        encoder_attention_heads=2, decoder_attention_heads=2,
                                                        encoder_ffn_dim=64, decoder_ffn_dim=64,
                                                        max_position_embeddings=MAX_POSITIONS, **ids))
    elif kind == "marian":
        model = MarianMTModel(MarianConfig(vocab_size=n, d_model=32, encoder_layers=1, decoder_layers=1,
                                           encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                                           decoder_ffn_dim=64, max_position_embeddings=MAX_POSITIONS, **ids))
    elif kind == "gpt2":
        model = GPT2LMHeadModel(GPT2Config(vocab_size=n, n_embd=32, n_layer=2, n_head=2, n_positions=MAX_POSITIONS,
                                           pad_token_id=0, eos_token_id=1, bos_token_id=2))
    else:
        raise ValueError(kind)
    model.save_pretrained(folder)
    return folder
