"""Trace an encoder–decoder: the encoder reads the source, the decoder writes the output greedily, reading the
encoder's output through cross-attention in every layer.

    lm = load_model("tinydates")
    tr = trace(lm, "the 3rd of March, 1921")     # trace() hands an encoder–decoder to trace_seq2seq
    tr.output                                     # "1921-03-03": the greedy output
    tr.cross_pattern[layer, head]                 # (T, S) decoder position × source token
    blind = trace(lm, "the 3rd of March, 1921", edits=knock_out_cross(lm))   # the decoder on its own

The output is decoded under the edits, one token at a time, each step a full forward (a tiny model: no cache
to get wrong); then one recorded forward over the whole output gives the trace. Its decoder rows equal what
each step saw, since the decoder is causal. With `target` the output is given instead (teacher forcing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch

from model.edits import Edit, Patch
from model.errors import BadEdit, EmptyPrompt, PromptTooLong
from model.hooks import RECORDED, hooked
from model.load import LoadedModel
from model.tokens import Tokenized, describe_ids, encode_plain, offsets_from_bytes, special_mask, tokenize
from model.tracing import _cut, _readonly, readout, trace_ids
from model.types import Trace

DEFAULT_NEW_TOKENS = 24  # the most output tokens, where the model's generation config sets none


def source_limit(lm: LoadedModel) -> int:
    """The most source tokens the encoder reads (its position table)."""
    return lm.context_size


def most_new_tokens(lm: LoadedModel) -> int:
    generation = getattr(lm.model, "generation_config", None)
    wanted = getattr(generation, "max_new_tokens", None) or DEFAULT_NEW_TOKENS
    return max(1, min(int(wanted), lm.context_size - 1))


def _special(lm: LoadedModel, name: str) -> int:
    value = getattr(lm.config, name, None)
    if value is None:
        raise ValueError(f"{lm.display_name} sets no {name}: it cannot decode.")
    return int(value)


@torch.no_grad()
def greedy_output(lm: LoadedModel, source_ids: torch.Tensor, edits: tuple[Edit, ...], most: int) -> list[int]:
    """Decoder ids from the start token through the greedy output (and the end token, if it came): (T,)."""
    start, end = _special(lm, "decoder_start_token_id"), _special(lm, "eos_token_id")
    ids = [start]
    with hooked(lm, 1, edits, record=()):
        for _ in range(most):
            decoder = torch.tensor([ids], device=lm.device)
            logits = lm.model(input_ids=source_ids, decoder_input_ids=decoder, use_cache=False).logits  # (1, t, V)
            ids.append(int(logits[0, -1].argmax()))
            if ids[-1] == end:
                break
    return ids


def _source(lm: LoadedModel, source: str, truncate: bool) -> Tokenized:
    """The source's tokens; over the encoder's positions, cut at the end (its closing token kept) or refused."""
    tokenized = tokenize(lm.tokenizer, source, lm.token_scheme)
    limit = source_limit(lm)
    n = len(tokenized.token_ids)
    if n <= limit:
        return tokenized
    if not truncate:
        raise PromptTooLong(n_tokens=n, model=lm.display_name, limit=limit, dropped=n - limit)
    frame = special_mask(lm.tokenizer, tokenized.token_ids, tokenized.offsets)  # (S,) the closing </s>
    return _cut(tokenized, limit, keep_last=False, special=frame)


@torch.no_grad()
def trace_seq2seq(
    lm: LoadedModel,
    source: str,
    edits: Iterable[Edit] = (),
    target: str | None = None,
    truncate: bool = True,
    mlp_post: bool = False,
) -> Trace:
    """Trace `source` through the encoder and the decoder's greedy output (or `target`, teacher-forced), with
    `edits` applied to both the decoding and the recorded forward."""
    edits = tuple(edits)
    if target is None and any(isinstance(e, Patch) for e in edits):
        raise BadEdit(reason="a patch needs an output of fixed length: give the target to decode")
    src = _source(lm, source, truncate)
    source_ids = torch.from_numpy(src.token_ids).unsqueeze(0).to(lm.device)  # (1, S)
    if target is None:
        ids = greedy_output(lm, source_ids, edits, most_new_tokens(lm))
    else:
        if not target.strip():
            raise EmptyPrompt()
        body = encode_plain(lm, target)[: lm.context_size - 2]
        ids = [_special(lm, "decoder_start_token_id"), *body, _special(lm, "eos_token_id")]
    tokens, raw = describe_ids(lm.tokenizer, ids, lm.token_scheme)
    record = {*RECORDED, "pattern", "embeddings", "encoder_pattern", "cross_pattern", "encoder_resid"}
    record |= {"encoder_out", "cross_out", *(("mlp_post", "mlp_pre") if mlp_post else ())}
    with hooked(lm, len(ids), edits, record) as run:
        decoder = torch.tensor([ids], device=lm.device)  # (1, T)
        lm.model(input_ids=source_ids, decoder_input_ids=decoder, use_cache=False)
    return _assemble(lm, source, src, ids, tokens, raw, run, edits)


def _assemble(lm, source: str, src: Tokenized, ids: list[int], tokens, raw, run, edits) -> Trace:
    a = run.arrays
    L = len(lm.parts.blocks)
    special = special_mask(lm.tokenizer, ids)  # (T,) start and end tokens: no span in the output text
    pieces = [b"" if s else r for r, s in zip(raw, special, strict=True)]
    offsets = offsets_from_bytes(pieces)  # (T, 2) spans in `output`
    resid = a["resid_pre"]  # (L+1, T, d)
    return Trace(
        model_name=lm.display_name,
        family=lm.family.name,
        prompt=source,
        tokens=tokens,
        token_bytes=raw,
        token_ids=_readonly(np.asarray(ids, dtype=np.int64)),
        offsets=_readonly(offsets),
        token_embeddings=_readonly(a["token_embeddings"][0]),
        position_embeddings=_readonly(a["position_embeddings"][0]) if "position_embeddings" in a else None,
        position_kind=lm.family.position_kind,
        rotary_base=None,
        rotary_dim=None,
        resid=_readonly(resid),
        resid_mid=None,
        attn_out=_readonly(a["attn_out"]),
        head_out=_readonly(a["head_out"]),
        mlp_out=_readonly(a["mlp_out"]),
        mlp_post=_readonly(a["mlp_post"]) if "mlp_post" in a else None,
        mlp_pre=_readonly(a["mlp_pre"]) if "mlp_pre" in a else None,
        pattern=_readonly(a["pattern"]),
        queries=_readonly(a["queries"]),
        keys=_readonly(a["keys"]),
        attn_scale=_readonly(run.scales),
        readout=readout(lm),
        is_causal=True,
        pre_norm=lm.family.pre_norm,
        n_layers=L,
        n_heads=int(a["pattern"].shape[1]),
        d_model=int(resid.shape[-1]),
        vocab_size=int(lm.config.vocab_size),
        context_size=lm.context_size,
        token_limit=lm.context_size,
        dropped_tokens=src.dropped_tokens,
        edits=tuple(str(e) for e in edits),
        output=lm.tokenizer.decode(ids, skip_special_tokens=True),
        source_tokens=src.tokens,
        source_ids=_readonly(src.token_ids),
        source_offsets=_readonly(src.offsets),
        encoder_resid=_readonly(a["encoder_resid"]),
        encoder_out=_readonly(a["encoder_out"][0]),
        encoder_pattern=_readonly(a["encoder_pattern"]),
        cross_pattern=_readonly(a["cross_pattern"]),
        cross_out=_readonly(a["cross_out"]),
    )


def next_token_probs(tr: Trace, ids: np.ndarray) -> np.ndarray:
    """(T-1,) the probability `tr` gives ids[t+1] at each decoder position t: how sure it is of that output."""
    logits = tr.logits_at(slice(0, len(ids) - 1))  # (T-1, V)
    logits = logits - logits.max(-1, keepdims=True)
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    return probs[np.arange(len(ids) - 1), ids[1:]]


@dataclass(frozen=True)
class Knockout:
    """An encoder–decoder with and without its cross-attention (every decoder layer's zeroed)."""

    normal: Trace  # greedy, as the model is
    blind: Trace  # greedy, cross-attention knocked out: what the decoder writes without reading the source
    forced: Trace  # cross-attention knocked out, teacher-forced on the normal output

    def sureness(self) -> tuple[np.ndarray, np.ndarray]:
        """(T-1,), (T-1,): the probability of each next token of the normal output, with and without the source."""
        ids = self.normal.token_ids
        return next_token_probs(self.normal, ids), next_token_probs(self.forced, ids)


def knockout(lm: LoadedModel, source: str) -> Knockout:
    """Trace `source` as the model is and with cross-attention knocked out (see `Knockout`)."""
    from model.edits import knock_out_cross

    normal = trace_seq2seq(lm, source)
    blind = knock_out_cross(lm)
    output = lm.tokenizer.decode(normal.token_ids[1:], skip_special_tokens=True)
    forced = trace_seq2seq(lm, source, edits=blind, target=output) if output.strip() else normal
    return Knockout(normal=normal, blind=trace_seq2seq(lm, source, edits=blind), forced=forced)


@dataclass(frozen=True)
class Bridge:
    """A decoder-only twin's self-attention from its output positions to its input, cut out of its triangle, beside
    the encoder–decoder's cross-attention over the same rows and columns (the source's characters)."""

    twin: Trace  # "<s>" + source + separator + the twin's greedy output
    rows: list[str]  # (R,) what each row has just read: the separator, then the output's characters
    columns: list[str]  # (C,) the source's tokens
    block: np.ndarray  # (L, H, R, C) the twin's attention, output row → source column
    output: str  # the twin's output


def bridge(twin: LoadedModel, source: str, separator: str, most: int = 16) -> Bridge:
    """Run `twin` over "<s>" + `source` + `separator`, decode greedily, and keep its output → input attention."""
    start, end = _special(twin, "bos_token_id"), _special(twin, "eos_token_id")
    prompt = [start, *encode_plain(twin, source + separator)]
    ids = list(prompt)
    with torch.no_grad():
        for _ in range(most):
            logits = twin.model(input_ids=torch.tensor([ids], device=twin.device)).logits  # (1, t, V)
            ids.append(int(logits[0, -1].argmax()))
            if ids[-1] == end:
                break
    tr = trace_ids(twin, ids)
    first = len(prompt) - 1  # the separator's position: the first row that writes the output
    n_source = len(prompt) - 2  # the source's tokens, between "<s>" and the separator
    block = tr.pattern[:, :, first : tr.n_tokens - 1, 1 : 1 + n_source]  # (L, H, R, C)
    return Bridge(
        twin=tr,
        rows=tr.tokens[first : tr.n_tokens - 1],
        columns=tr.tokens[1 : 1 + n_source],
        block=_readonly(np.ascontiguousarray(block)),
        output=twin.tokenizer.decode(ids[len(prompt) :], skip_special_tokens=True),
    )


def sharpest_head(patterns: np.ndarray) -> tuple[int, int]:
    """(layer, head) whose rows put the most weight on one column, on average: patterns (L, H, R, C)."""
    focus = patterns.max(-1).mean(-1)  # (L, H)
    layer, head = np.unravel_index(int(focus.argmax()), focus.shape)
    return int(layer), int(head)
