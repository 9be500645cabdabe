"""Run one prompt through a model with forward hooks and keep everything the lessons show.

    tr = trace(lm, "Once upon a time")
    tr.pattern[layer, head]        # (T, T) attention of every query token over every key token

Hooks live only inside `_hooks()`, which removes them in `finally`, and every hooked forward runs
under the model's lock: the Streamlit model cache shares one model between all browser sessions.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch

from model.attention import recording
from model.load import LoadedModel
from model.tokens import Tokenized, describe_ids, offsets_from_bytes, tokenize


@dataclass(frozen=True, eq=False)
class Trace:
    """One forward pass, on the CPU, batch dimension dropped. Axes:
    T tokens, d residual width, L layers (blocks), H heads per layer, V vocabulary.

    Arrays are read-only: a trace is cached and shared.
    """

    model_name: str  # display name of the model
    family: str  # architecture family, e.g. "GPT-2"
    prompt: str  # the text that was traced (after any cut)
    tokens: list[str]  # (T,) text of each token; "<e4 bd>" for a piece of a character
    token_bytes: list[bytes]  # (T,) raw bytes of each token
    token_ids: np.ndarray  # (T,) int64 ids fed to the model
    offsets: np.ndarray  # (T, 2) character span [start, end) in `prompt`; (0, 0) for special tokens
    token_embeddings: np.ndarray  # (T, d) rows of the embedding matrix for these ids
    position_embeddings: np.ndarray | None  # (T, d) learned position rows; None for rotary models
    position_kind: str  # "learned" or "rotary"
    rotary_base: float | None  # RoPE theta, for rotary models
    rotary_dim: int | None  # dimensions per head that rotate, for rotary models
    resid: np.ndarray  # (L+1, T, d) residual stream: [0] enters block 0, [L] leaves the last block
    attn_out: np.ndarray  # (L, T, d) what each block's attention adds (encoders: its post-norm output)
    mlp_out: np.ndarray  # (L, T, d) what each block's MLP adds (encoders: its post-norm output)
    pattern: np.ndarray  # (L, H, T, T) float32 attention probabilities, query × key
    queries: np.ndarray  # (L, H, T, dh) query vectors as attention uses them (after rotary)
    keys: np.ndarray  # (L, H, T, dh) key vectors, grouped key heads repeated to H
    attn_scale: np.ndarray  # (L,) score scale, usually 1/sqrt(dh): score = q·k × scale
    logits: np.ndarray | None  # (T, V) next-token logits at every position; None for an encoder
    is_causal: bool  # decoder (masked) or encoder (bidirectional)
    n_layers: int
    n_heads: int
    d_model: int
    vocab_size: int
    context_size: int  # most tokens the model reads at once
    dropped_tokens: int  # tokens cut to fit the context (0 if none)

    @property
    def n_tokens(self) -> int:
        return len(self.tokens)


def _first(output):
    return output[0] if isinstance(output, tuple) else output


@contextmanager
def _hooks(lm: LoadedModel, store: dict):
    """Register capture hooks on `lm`; always removed on exit, also after an exception."""
    parts = lm.parts
    handles = []

    def keep(name):
        def hook(module, args, output):
            store[name] = _first(output).detach()

        return hook

    def keep_input(module, args, kwargs):
        hidden = args[0] if args else kwargs["hidden_states"]
        store["resid_0"] = hidden.detach()

    def keep_attention(layer):
        def hook(module, args, output):
            store[f"attn_out_{layer}"] = output[0].detach()
            store[f"pattern_{layer}"] = output[1].detach()

        return hook

    try:
        handles.append(parts.token_embedding.register_forward_hook(keep("token_embeddings")))
        if parts.position_embedding is not None:
            handles.append(parts.position_embedding.register_forward_hook(keep("position_embeddings")))
        handles.append(parts.blocks[0].register_forward_pre_hook(keep_input, with_kwargs=True))
        for layer, (block, attn, mlp) in enumerate(zip(parts.blocks, parts.attentions, parts.mlps, strict=True)):
            handles.append(block.register_forward_hook(keep(f"resid_{layer + 1}")))
            handles.append(attn.register_forward_hook(keep_attention(layer)))
            handles.append(mlp.register_forward_hook(keep(f"mlp_out_{layer}")))
        yield store
    finally:
        for handle in handles:
            handle.remove()


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    array = tensor.float().cpu().numpy()
    array.flags.writeable = False
    return array


def _rotary(config) -> tuple[float | None, int | None]:
    params = getattr(config, "rope_parameters", None) or {}
    base = params.get("rope_theta", getattr(config, "rope_theta", None))
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    factor = params.get("partial_rotary_factor", getattr(config, "partial_rotary_factor", 1.0)) or 1.0
    return (float(base) if base else None), int(head_dim * factor)


def trace(lm: LoadedModel, prompt: str, truncate: bool = True) -> Trace:
    """Tokenize `prompt` and trace it. Over the context: cut (see `dropped_tokens`) or raise PromptTooLong."""
    tokenized = tokenize(
        lm.tokenizer, prompt, lm.token_scheme, lm.context_size, lm.display_name, truncate, lm.family.is_causal
    )
    if tokenized.dropped_tokens:
        prompt = lm.tokenizer.decode(tokenized.token_ids, skip_special_tokens=True)
    return _run(lm, prompt, tokenized)


def trace_ids(lm: LoadedModel, token_ids: list[int] | np.ndarray) -> Trace:
    """Trace exact token ids (e.g. a prompt plus a generated token), keeping the last context_size."""
    ids = [int(i) for i in token_ids][-lm.context_size :]
    tokens, raw = describe_ids(lm.tokenizer, ids, lm.token_scheme)
    tokenized = Tokenized(
        token_ids=np.asarray(ids, dtype=np.int64),
        tokens=tokens,
        token_bytes=raw,
        offsets=offsets_from_bytes(raw),
        dropped_tokens=max(0, len(token_ids) - lm.context_size),
    )
    return _run(lm, lm.tokenizer.decode(ids, skip_special_tokens=True), tokenized)


@torch.no_grad()
def _run(lm: LoadedModel, prompt: str, tokenized: Tokenized) -> Trace:
    config = lm.config
    input_ids = torch.from_numpy(tokenized.token_ids).unsqueeze(0).to(lm.device)  # (1, T)
    store: dict[str, torch.Tensor] = {}
    with lm.lock, _hooks(lm, store), recording() as qk:
        output = lm.model(input_ids=input_ids, use_cache=False)
    L = len(lm.parts.blocks)
    if len(qk) != L:
        raise RuntimeError(
            f"Expected {L} attention calls, recorded {len(qk)}: this model bypasses the attention interface."
        )
    queries = torch.stack([q[0] for q, _, _ in qk])  # (L, H, T, dh)
    keys = torch.stack([k[0] for _, k, _ in qk])  # (L, H, T, dh)
    pattern = torch.stack([store[f"pattern_{layer}"][0] for layer in range(L)])  # (L, H, T, T)
    resid = torch.stack([store[f"resid_{layer}"][0] for layer in range(L + 1)])  # (L+1, T, d)
    attn_out = torch.stack([store[f"attn_out_{layer}"][0] for layer in range(L)])  # (L, T, d)
    mlp_out = torch.stack([store[f"mlp_out_{layer}"][0] for layer in range(L)])  # (L, T, d)
    is_rotary = lm.family.position_kind == "rotary"
    rotary_base, rotary_dim = _rotary(config) if is_rotary else (None, None)
    logits = getattr(output, "logits", None) if lm.family.is_causal else None
    return Trace(
        model_name=lm.display_name,
        family=lm.family.name,
        prompt=prompt,
        tokens=tokenized.tokens,
        token_bytes=tokenized.token_bytes,
        token_ids=tokenized.token_ids,
        offsets=tokenized.offsets,
        token_embeddings=_numpy(store["token_embeddings"][0]),
        position_embeddings=_numpy(store["position_embeddings"][0]) if "position_embeddings" in store else None,
        position_kind=lm.family.position_kind,
        rotary_base=rotary_base,
        rotary_dim=rotary_dim,
        resid=_numpy(resid),
        attn_out=_numpy(attn_out),
        mlp_out=_numpy(mlp_out),
        pattern=_numpy(pattern),
        queries=_numpy(queries),
        keys=_numpy(keys),
        attn_scale=np.array([scale for _, _, scale in qk], dtype=np.float32),
        logits=_numpy(logits[0]) if logits is not None else None,
        is_causal=lm.family.is_causal,
        n_layers=L,
        n_heads=int(pattern.shape[1]),
        d_model=int(resid.shape[-1]),
        vocab_size=int(config.vocab_size),
        context_size=lm.context_size,
        dropped_tokens=tokenized.dropped_tokens,
    )
