"""Running a Hugging Face generation model a user brings: seq2seq or causal, path or hub id.

None of the usable summarisers or translators can be installed offline, so this module
loads whatever the user points it at and fails with one clear line when it cannot:
a folder that does not exist, a model that cannot generate (an encoder), a hub id while
offline. Everything else (strategies, MT) talks to models through ``Generator`` only,
which also owns the one rule those callers rely on: no prompt longer than
``max_input_tokens`` reaches the model (callers budget for it; a prompt that still does
not fit is cut, with a warning, rather than crashing or silently overflowing).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError

log = logging.getLogger(__name__)
GENERATIVE_SUFFIXES = ("ForConditionalGeneration", "ForCausalLM", "LMHeadModel", "Seq2SeqLM", "MTModel")
LENGTH_ATTRIBUTES = ("max_encoder_position_embeddings", "max_position_embeddings", "n_positions",
                     "max_sequence_length", "seq_length")
FALLBACK_MAX_INPUT = 512  # T5-style relative-position models declare no limit; this is what they train on
DEFAULT_INSTRUCTION = "Summarize the following news articles in a few sentences."


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (transformers' run to paragraphs), or its type."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def resolve_device(device: str = "auto") -> str:
    """'auto' means CUDA when present, else CPU; anything else is passed to torch as given."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise PolybriefError(f"device {device!r} asked for, but torch sees no CUDA device")
    return device


def _looks_local(spec: str) -> bool:
    """A path rather than a hub id ('t5-small', 'org/name')."""
    return Path(spec).expanduser().exists() or spec.startswith((".", "/", "~")) or spec.count("/") > 1


def model_source(spec: str) -> tuple[str, dict[str, Any]]:
    """What ``from_pretrained`` takes for ``spec``: a folder or hub id, plus ``gguf_file`` for a .gguf file
    (such as the packaged Gemma-3-270M, which transformers dequantises; needs the ``gguf`` package)."""
    path = Path(spec).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return str(path.parent), {"gguf_file": path.name}
    return (str(path) if path.exists() else spec), {}


def load_config(spec: str) -> Any:
    """The model's config, or a one-line error saying why it cannot be had."""
    from transformers import AutoConfig

    if _looks_local(spec) and not Path(spec).expanduser().exists():
        raise PolybriefError(f"model {spec!r}: no such folder (give a local model folder or a hub id)")
    try:
        source, extra = model_source(spec)
        return AutoConfig.from_pretrained(source, **extra)
    except Exception as exc:  # transformers raises OSError, ValueError, KeyError by case
        offline = os.environ.get("HF_HUB_OFFLINE") == "1" and not Path(spec).exists()
        hint = "; polybrief runs offline (HF_HUB_OFFLINE=1): download it where a hub is reachable and " \
               "give its folder" if offline else ""
        raise PolybriefError(f"model {spec!r}: cannot load its config ({first_line(exc)}){hint}") from None


def model_kind(config: Any, spec: str) -> str:
    """'seq2seq' or 'causal', or an error for models that do not generate text (encoders)."""
    architectures = list(getattr(config, "architectures", None) or [])
    if architectures and not any(a.endswith(GENERATIVE_SUFFIXES) for a in architectures):
        raise PolybriefError(f"model {spec!r} is a {architectures[0]}, not a text generation model "
                             "(give a seq2seq summariser/translator or a causal LM)")
    if getattr(config, "is_encoder_decoder", False):
        return "seq2seq"
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    if architectures or (config.model_type in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
                         and not config.model_type.endswith(("bert", "roberta", "electra"))):
        return "causal"
    raise PolybriefError(f"model {spec!r} ({config.model_type}) is not a text generation model")


@dataclass
class GenerationOptions:
    """How to run a generation model: where, how many at once, from what seed, with which kwargs."""

    device: str = defaults.DEVICE
    batch_size: int = defaults.BATCH_SIZE
    seed: int = defaults.GENERATION_SEED
    max_input_tokens: int | None = None  # None: what the model declares
    kwargs: dict[str, Any] = field(default_factory=dict)  # passed to model.generate


class Generator:
    """A loaded generation model with its tokenizer, token budget and batched generation."""

    def __init__(self, spec: str, options: GenerationOptions | None = None) -> None:
        from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        self.spec = spec
        self.options = options or GenerationOptions()
        config = load_config(spec)
        self.kind = model_kind(config, spec)
        source, extra = model_source(spec)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source, **extra)
            loader = AutoModelForSeq2SeqLM if self.kind == "seq2seq" else AutoModelForCausalLM
            self.model = loader.from_pretrained(source, **extra)
        except Exception as exc:
            raise PolybriefError(f"model {spec!r}: cannot load ({first_line(exc)})") from None
        self.device = resolve_device(self.options.device)
        self.model.to(self.device).eval()
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token or self.tokenizer.unk_token
        self.tokenizer.padding_side = "left" if self.kind == "causal" else "right"
        self.max_input_tokens = self._max_input_tokens(config)

    def _max_input_tokens(self, config: Any) -> int:
        """The longest prompt the model may see, in tokens (room for the answer kept for causal LMs)."""
        limit = self.options.max_input_tokens
        declared = [getattr(config, a) for a in LENGTH_ATTRIBUTES if isinstance(getattr(config, a, None), int)]
        model_limit = min(declared) if declared else None
        tokenizer_limit = self.tokenizer.model_max_length if self.tokenizer.model_max_length < 1_000_000 else None
        known = [v for v in (model_limit, tokenizer_limit) if v]
        ceiling = min(known) if known else FALLBACK_MAX_INPUT
        if self.kind == "causal":
            ceiling -= self.max_new_tokens
            if ceiling < 16:
                raise PolybriefError(f"model {self.spec!r}: a context of {ceiling + self.max_new_tokens} tokens "
                                     f"leaves no room for input after {self.max_new_tokens} new tokens")
        return min(limit, ceiling) if limit else ceiling

    @property
    def max_new_tokens(self) -> int:
        return int(self.options.kwargs.get("max_new_tokens", 128))

    # --- token arithmetic the strategies budget with -------------------------------------

    def token_ids(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def count_tokens(self, text: str) -> int:
        return len(self.token_ids(text))

    def truncate(self, text: str, n_tokens: int) -> str:
        """The first ``n_tokens`` tokens of ``text``, as text."""
        ids = self.token_ids(text)
        return text if len(ids) <= n_tokens else self.tokenizer.decode(ids[:max(0, n_tokens)],
                                                                      skip_special_tokens=True)

    def prompt(self, text: str, instruction: str | None = None) -> str:
        """The full model input for ``text``: a chat turn, a plain instruction, or a seq2seq prefix."""
        if self.kind == "seq2seq":  # None: the model's own task prefix (T5's 'summarize: '); '' none at all
            prefix = (getattr(self.model.config, "prefix", None) or "") if instruction is None else \
                (f"{instruction} " if instruction else "")
            return f"{prefix}{text}"
        instruction = instruction or DEFAULT_INSTRUCTION
        if getattr(self.tokenizer, "chat_template", None):
            messages = [{"role": "user", "content": f"{instruction}\n\n{text}"}]
            return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return f"{instruction}\n\n{text}\n\nSummary:"

    def overhead(self, instruction: str | None = None) -> int:
        """Tokens the prompt adds around the text (special tokens included)."""
        special = len(self.tokenizer("x")["input_ids"]) - self.count_tokens("x")
        return self.count_tokens(self.prompt("", instruction)) + special + 1

    def room(self, instruction: str | None = None) -> int:
        """How many tokens of text fit in one prompt."""
        room = self.max_input_tokens - self.overhead(instruction)
        if room < 8:
            raise PolybriefError(f"model {self.spec!r}: {self.max_input_tokens} input tokens leave no room "
                                 "for text after the prompt")
        return room

    # --- generation ------------------------------------------------------------------------

    def generate(self, texts: list[str], instruction: str | None = None, **extra: Any) -> list[str]:
        """One output per text, generated in length-sorted batches under inference mode; ``extra``
        generate() arguments for this call only (a translator's target-language token)."""
        import torch

        prompts = [self.prompt(t, instruction) for t in texts]
        lengths = [len(self.tokenizer(p)["input_ids"]) for p in prompts]
        for n in lengths:
            if n > self.max_input_tokens:
                log.warning("a prompt of %d tokens is cut to the model's %d", n, self.max_input_tokens)
        order = sorted(range(len(prompts)), key=lambda k: lengths[k])
        outputs: list[str] = [""] * len(prompts)
        size = max(1, self.options.batch_size)
        kwargs = {"max_new_tokens": self.max_new_tokens, **self.options.kwargs, **extra}
        for start in range(0, len(order), size):
            batch = order[start:start + size]
            encoded = self.tokenizer([prompts[k] for k in batch], return_tensors="pt", padding=True,
                                     truncation=True, max_length=self.max_input_tokens).to(self.device)
            torch.manual_seed(self.options.seed)  # same seed, same output, whatever else ran before
            try:
                with torch.inference_mode():
                    generated = self.model.generate(**encoded, pad_token_id=self.tokenizer.pad_token_id, **kwargs)
            except (TypeError, ValueError) as exc:  # bad generation kwargs from a config or the CLI
                raise PolybriefError(f"model {self.spec!r}: generation failed ({first_line(exc)})") from None
            if self.kind == "causal":
                generated = generated[:, encoded["input_ids"].shape[1]:]
            for k, text in zip(batch, self.tokenizer.batch_decode(generated, skip_special_tokens=True)):
                outputs[k] = " ".join(text.split())
        return outputs


__all__ = ["DEFAULT_INSTRUCTION", "FALLBACK_MAX_INPUT", "GENERATIVE_SUFFIXES", "GenerationOptions", "Generator",
           "LENGTH_ATTRIBUTES", "first_line", "load_config", "model_kind", "model_source", "resolve_device"]
