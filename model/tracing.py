"""Run one prompt through a model with forward hooks and keep everything the lessons show.

    tr = trace(lm, "Once upon a time")
    tr = trace(lm, "Once upon a time", edits=[AblateHead(3, 3)])   # the same forward, one head knocked out
    tr.pattern[layer, head]        # (T, T) attention of every query token over every key token

The hooks (model/hooks.py) record and edit in one forward, under the model's lock. Before the forward the
trace's size is checked against the memory budget (model/budget.py): a prompt that would not fit is cut.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch

from model.budget import Shape, trace_budget
from model.edits import Edit
from model.errors import PromptOverBudget
from model.hooks import RECORDED, hooked
from model.load import LoadedModel
from model.tokens import Tokenized, describe_ids, offsets_from_bytes, special_mask, tokenize
from model.types import Readout, Trace

__all__ = ["Trace", "readout", "shape_of", "token_limit", "trace", "trace_ids"]


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _weights(param: torch.nn.Parameter | torch.Tensor | None) -> np.ndarray | None:
    if param is None:
        return None
    return _readonly(param.detach().to("cpu", torch.float32).numpy())  # a view on a CPU float32 model


def readout(lm: LoadedModel) -> Readout | None:
    """The model's final norm and unembedding as numpy (built once per model); None without an LM head."""
    if "readout" not in lm.memo:
        parts, result = lm.parts, None
        if parts.unembed is not None:
            head = parts.head_transform
            norm = parts.final_norm if head is None else head.LayerNorm
            kind = None if norm is None else ("rms" if "rms" in type(norm).__name__.lower() else "layer")
            eps = getattr(norm, "eps", None) or getattr(norm, "variance_epsilon", None) or 1e-5
            result = Readout(
                norm=kind,
                norm_weight=_weights(getattr(norm, "weight", None)),
                norm_bias=_weights(getattr(norm, "bias", None)),
                eps=float(eps),
                unembed=_weights(parts.unembed.weight),
                unembed_bias=_weights(_output_bias(lm)),
                head_weight=None if head is None else _weights(head.dense.weight),
                head_bias=None if head is None else _weights(head.dense.bias),
                head_act=None if head is None else head.transform_act_fn,
            )
        lm.memo["readout"] = result
    return lm.memo["readout"]


def _output_bias(lm: LoadedModel) -> torch.Tensor | None:
    """(V,) the unembedding's bias; BART-style models keep theirs apart, as `final_logits_bias` (1, V)."""
    bias = getattr(lm.parts.unembed, "bias", None)
    extra = getattr(lm.model, "final_logits_bias", None)
    return extra[0] if bias is None and isinstance(extra, torch.Tensor) else bias


def shape_of(lm: LoadedModel) -> Shape:
    c = lm.config
    heads = int(c.num_attention_heads)
    d = int(c.hidden_size)
    return Shape(
        n_layers=len(lm.parts.blocks),
        n_heads=heads,
        d_model=d,
        head_dim=int(getattr(c, "head_dim", None) or d // heads),
        d_mlp=int(getattr(c, "intermediate_size", None) or getattr(c, "n_inner", None) or _ffn(c) or 4 * d),
        resid_mid=lm.parts.resid_mids is not None,
        position_table=lm.parts.position_embedding is not None,
    )


def _ffn(config) -> int | None:
    return getattr(config, "decoder_ffn_dim", None)  # an encoder–decoder's MLP width (the decoder's)


def token_limit(lm: LoadedModel, mlp_post: bool = False, budget: int | None = None) -> int:
    """The most tokens one trace of `lm` may hold: its context, or fewer where the memory budget says so."""
    return shape_of(lm).tokens_within(budget or trace_budget(), lm.context_size, mlp_post)


def trace(
    lm: LoadedModel,
    prompt: str,
    edits: Iterable[Edit] = (),
    truncate: bool = True,
    mlp_post: bool = False,
) -> Trace:
    """Tokenize `prompt` and trace it, applying `edits` during the forward.

    Over the context or the memory budget: cut to what fits (see `dropped_tokens`, `token_limit`), or raise
    PromptTooLong / PromptOverBudget when `truncate` is False. `mlp_post` also keeps the MLP's neurons, before
    and after the activation function. An encoder–decoder traces `prompt` as its source and decodes greedily
    (model/seq2seq.py)."""
    if lm.family.is_seq2seq:
        from model.seq2seq import trace_seq2seq

        return trace_seq2seq(lm, prompt, edits, truncate=truncate, mlp_post=mlp_post)
    limit = token_limit(lm, mlp_post)
    tokenized = tokenize(lm.tokenizer, prompt, lm.token_scheme)
    if len(tokenized.token_ids) > limit:
        if not truncate:
            _over_budget(lm, len(tokenized.token_ids), limit, mlp_post)
        frame = special_mask(lm.tokenizer, tokenized.token_ids, tokenized.offsets)  # (T,) [CLS], [SEP], BOS
        tokenized = _cut(tokenized, limit, lm.family.is_causal, frame)
        prompt, tokenized = _rebase(prompt, tokenized, lm.family.is_causal)
    return _run(lm, prompt, tokenized, tuple(edits), limit, mlp_post)


def trace_ids(
    lm: LoadedModel, token_ids: list[int] | np.ndarray, edits: Iterable[Edit] = (), mlp_post: bool = False
) -> Trace:
    """Trace exact token ids (e.g. a prompt plus a generated token), keeping the last that fit."""
    if lm.family.is_seq2seq:
        raise ValueError(f"{lm.display_name} is an encoder–decoder: trace its source text with trace().")
    limit = token_limit(lm, mlp_post)
    ids = [int(i) for i in token_ids][-limit:] if limit else []
    tokens, raw = describe_ids(lm.tokenizer, ids, lm.token_scheme)
    tokenized = Tokenized(
        token_ids=np.asarray(ids, dtype=np.int64),
        tokens=tokens,
        token_bytes=raw,
        offsets=offsets_from_bytes(raw),
        dropped_tokens=max(0, len(token_ids) - limit),
    )
    return _run(lm, lm.tokenizer.decode(ids, skip_special_tokens=True), tokenized, tuple(edits), limit, mlp_post)


def _over_budget(lm: LoadedModel, n_tokens: int, limit: int, mlp_post: bool) -> None:
    from model.errors import PromptTooLong

    if limit >= lm.context_size:
        raise PromptTooLong(n_tokens=n_tokens, model=lm.display_name, limit=limit, dropped=n_tokens - limit)
    raise PromptOverBudget(
        n_tokens=n_tokens,
        model=lm.display_name,
        needed_mb=round(shape_of(lm).trace_bytes(n_tokens, mlp_post) / 2**20),
        budget_mb=round(trace_budget() / 2**20),
        limit=limit,
    )


def _cut(full: Tokenized, limit: int, keep_last: bool, special: np.ndarray | None = None) -> Tokenized:
    """Cut the text, not the tokenizer's frame: the special tokens (T,) `special` that open and close the
    sequence ([CLS] … [SEP], a decoder's BOS) stay; of the tokens between, a decoder keeps the last, an
    encoder the first."""
    ids = full.token_ids.tolist()
    special = np.zeros(len(ids), dtype=bool) if special is None else special
    head = 0  # special tokens at the start
    while head < len(ids) and special[head]:
        head += 1
    tail = 0  # special tokens at the end
    while tail < len(ids) - head and special[len(ids) - 1 - tail]:
        tail += 1
    if head + tail >= limit:  # no room for any text between them: a plain cut
        head = tail = 0
    dropped = max(0, len(ids) - limit)
    body = range(head, len(ids) - tail)
    kept_body = body[dropped:] if keep_last else body[: len(body) - dropped]
    keep = np.asarray([*range(head), *kept_body, *range(len(ids) - tail, len(ids))], dtype=np.int64)
    return Tokenized(
        token_ids=full.token_ids[keep],
        tokens=[full.tokens[i] for i in keep],
        token_bytes=[full.token_bytes[i] for i in keep],
        offsets=full.offsets[keep],
        dropped_tokens=dropped,
    )


def _rebase(prompt: str, tokenized: Tokenized, keep_last: bool) -> tuple[str, Tokenized]:
    """After a cut, the traced text is the kept span of `prompt`, and offsets index that text."""
    spans = tokenized.offsets[(tokenized.offsets[:, 1] > tokenized.offsets[:, 0])]
    if not len(spans):
        return prompt, tokenized
    start, end = (int(spans[0, 0]), len(prompt)) if keep_last else (0, int(spans[-1, 1]))
    offsets = tokenized.offsets.copy()
    real = offsets[:, 1] > offsets[:, 0]
    offsets[real] -= start
    return prompt[start:end], Tokenized(
        token_ids=tokenized.token_ids,
        tokens=tokenized.tokens,
        token_bytes=tokenized.token_bytes,
        offsets=offsets,
        dropped_tokens=tokenized.dropped_tokens,
    )


def _rotary(config) -> tuple[float | None, int | None]:
    params = getattr(config, "rope_parameters", None) or {}
    base = params.get("rope_theta", getattr(config, "rope_theta", None))
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    factor = params.get("partial_rotary_factor", getattr(config, "partial_rotary_factor", 1.0)) or 1.0
    return (float(base) if base else None), int(head_dim * factor)


@torch.no_grad()
def _run(
    lm: LoadedModel, prompt: str, tokenized: Tokenized, edits: tuple[Edit, ...], limit: int, mlp_post: bool
) -> Trace:
    from model.errors import EmptyPrompt

    if not len(tokenized.token_ids):
        raise EmptyPrompt()
    config = lm.config
    T, L = len(tokenized.token_ids), len(lm.parts.blocks)
    input_ids = torch.from_numpy(tokenized.token_ids).unsqueeze(0).to(lm.device)  # (1, T)
    record = {*RECORDED, "pattern", "embeddings", *(("mlp_post", "mlp_pre") if mlp_post else ())}
    with hooked(lm, T, edits, record) as run:
        # the base model stops at the last block: logits come from the readout, per position, when asked
        lm.model.base_model(input_ids=input_ids, use_cache=False)
    arrays = run.arrays
    if arrays.get("pattern") is None or len(arrays["pattern"]) != L:
        raise RuntimeError("No attention was recorded: this model bypasses the attention interface.")
    resid = arrays["resid_pre"]  # (L+1, T, d): the last block's output was kept as row L
    is_rotary = lm.family.position_kind == "rotary"
    rotary_base, rotary_dim = _rotary(config) if is_rotary else (None, None)
    return Trace(
        model_name=lm.display_name,
        family=lm.family.name,
        prompt=prompt,
        tokens=tokenized.tokens,
        token_bytes=tokenized.token_bytes,
        token_ids=_readonly(tokenized.token_ids),
        offsets=_readonly(tokenized.offsets),
        token_embeddings=_readonly(arrays["token_embeddings"][0]),
        position_embeddings=_readonly(arrays["position_embeddings"][0]) if "position_embeddings" in arrays else None,
        position_kind=lm.family.position_kind,
        rotary_base=rotary_base,
        rotary_dim=rotary_dim,
        resid=_readonly(resid),
        resid_mid=_readonly(arrays["resid_mid"]) if "resid_mid" in arrays else None,
        attn_out=_readonly(arrays["attn_out"]),
        head_out=_readonly(arrays["head_out"]),
        mlp_out=_readonly(arrays["mlp_out"]),
        mlp_post=_readonly(arrays["mlp_post"]) if "mlp_post" in arrays else None,
        mlp_pre=_readonly(arrays["mlp_pre"]) if "mlp_pre" in arrays else None,
        pattern=_readonly(arrays["pattern"]),
        queries=_readonly(arrays["queries"]),
        keys=_readonly(arrays["keys"]),
        attn_scale=_readonly(run.scales),
        readout=readout(lm),
        is_causal=lm.family.is_causal,
        pre_norm=lm.family.pre_norm,
        n_layers=L,
        n_heads=int(arrays["pattern"].shape[1]),
        d_model=int(resid.shape[-1]),
        vocab_size=int(config.vocab_size),
        context_size=lm.context_size,
        token_limit=limit,
        dropped_tokens=tokenized.dropped_tokens,
        edits=tuple(str(e) for e in edits),
    )
