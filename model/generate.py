"""Generate: a plain forward per new token (no hooks).

gen = generate(lm, tr, 10, Settings(greedy=True))      # on token ids, as transformers' generate() does
gen.steps[0].token, gen.steps[0].probability, gen.trace.tokens
ext = extend_prompt(lm, tr, prompt, 10, Settings(seed=1))  # what the page's buttons do: the step, repeated
prompt + ext.text                                      # the longer prompt: whole characters only

Every draw is seeded by the seed and its position (`position`: how many tokens come before it), so a token
drawn at the same place after the same text is always the same, however many steps were taken at once.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import numpy as np
import torch

from model.load import LoadedModel
from model.numeric import rank_of
from model.sampling import Settings, choose, distribution
from model.tokens import describe_ids, special_ids
from model.tracing import token_limit, trace_ids
from model.types import Trace

MAX_CHAR_TOKENS = 4  # a UTF-8 character has at most 4 bytes, so at most 4 byte tokens make one


@dataclass(frozen=True)
class Step:
    token_id: int
    token: str  # display text of the chosen token
    probability: float  # in the distribution it was drawn from (after temperature and cuts)
    model_probability: float  # in the model's own distribution (temperature 1, no cuts)
    rank: int  # 1 = the model's favourite


@dataclass(frozen=True)
class Generation:
    steps: list[Step]
    trace: Trace  # the prompt with every chosen token appended, traced once


@dataclass(frozen=True)
class Extension:
    """What the page's buttons add to the prompt."""

    steps: list[Step]  # every token drawn, in order: a step that drew a piece of a character drew more
    text: str  # the text the steps add to the prompt: whole characters only
    joined: int  # tokens drawn only to finish a character the token before began
    dropped_bytes: int  # bytes drawn that make no character, left out of `text`
    next_at: int  # the position the next draw takes: the tokens drawn count, those left out of the text too


def position(tr: Trace) -> int:
    """Where the next token goes: how many tokens the traced text has, those cut to fit included."""
    return tr.n_tokens + tr.dropped_tokens


def _next_logits(lm: LoadedModel, ids: list[int]) -> np.ndarray:
    """(V,) the model's own scores after `ids` (its last context_size): one plain forward, no hooks."""
    window = torch.tensor([ids[-lm.context_size :]], device=lm.device)  # (1, T)
    with lm.lock, torch.no_grad():
        logits = lm.model(input_ids=window, use_cache=False).logits  # (1, T, V)
    return logits[0, -1].to("cpu", torch.float32).numpy()


def _draw(lm: LoadedModel, logits: np.ndarray, settings: Settings, at: int) -> Step:
    """Choose the token at position `at` from `logits` (V,)."""
    dist = distribution(logits, settings)
    token_id = choose(dist, at)
    return Step(
        token_id=token_id,
        token=lm_token_text(lm, token_id),
        probability=float(dist.probs[token_id]),
        model_probability=float(dist.model_probs[token_id]),
        rank=rank_of(dist.model_probs, token_id),
    )


def generate(lm: LoadedModel, tr: Trace, n: int, settings: Settings | None = None) -> Generation:
    """`n` new tokens after `tr`, kept as ids: a plain forward per token, then one trace of the whole result."""
    settings = settings or Settings()
    _check(tr)
    ids, steps, at = tr.token_ids.tolist(), [], position(tr)
    for k in range(n):
        logits = tr.logits_at(-1) if k == 0 else _next_logits(lm, ids)
        steps.append(_draw(lm, logits, settings, at + k))
        ids.append(steps[-1].token_id)
    return Generation(steps=steps, trace=trace_ids(lm, ids))


def extend_prompt(
    lm: LoadedModel,
    tr: Trace,
    prompt: str,
    n: int,
    settings: Settings | None = None,
    max_chars: int | None = None,
    at: int | None = None,
) -> Extension:
    """`n` steps of "Add the next token" after `prompt` (the text `tr` traced): draw the next token, append
    its text, cut the longer text into tokens afresh (its last `max_chars` characters), and again. The first
    draw takes position `at` (default: the text's own, `position(tr)`), each later one the next; so `n` steps
    at once write exactly what `n` single steps write, each given the last one's `next_at`.

    A token can be only part of a character (a lone byte of its UTF-8 code), which is no text yet: that step
    goes on drawing, on the token ids, until the character is complete (at most 4 tokens). Bytes that still
    make no character are left out of the text and counted in `dropped_bytes` — never written as "�". Their
    draws still count, so a step that added nothing is not drawn again the same way."""
    settings = settings or Settings()
    _check(tr)
    limit = token_limit(lm)
    ids, logits = tr.token_ids.tolist(), tr.logits_at(-1)
    at = position(tr) if at is None else at
    steps: list[Step] = []
    added, joined, dropped = "", 0, 0
    for k in range(n):
        if k:  # the text so far, tokenized as a trace of it would be
            text = prompt + added
            full = lm.tokenizer(text[-max_chars:] if max_chars else text, add_special_tokens=True)["input_ids"]
            ids = [int(i) for i in full[-limit:]]
            logits = _next_logits(lm, ids)
        raw = b""
        for extra in range(MAX_CHAR_TOKENS):
            step = _draw(lm, logits, settings, at)
            steps.append(step)
            at += 1
            joined += extra > 0
            raw += text_bytes(lm, step.token_id)
            piece, bad, tail = split_utf8(raw)
            if not tail or extra == MAX_CHAR_TOKENS - 1:
                break
            ids.append(step.token_id)  # an unfinished character: draw the next piece after it
            logits = _next_logits(lm, ids)
        added += piece
        dropped += bad + len(tail)
    return Extension(steps=steps, text=added, joined=joined, dropped_bytes=dropped, next_at=at)


def split_utf8(raw: bytes) -> tuple[str, int, bytes]:
    """(the characters `raw` holds, how many bytes make no character, an unfinished character at the end)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    text = decoder.decode(raw, final=False)
    tail = decoder.getstate()[0]
    return text, len(raw) - len(tail) - len(text.encode("utf-8")), tail


def text_bytes(lm: LoadedModel, token_id: int) -> bytes:
    """The bytes a generated token adds to the text: none for a special token (end of text and the like)."""
    if token_id in special_ids(lm.tokenizer):
        return b""
    if lm.token_scheme in ("byte-level", "sentencepiece"):
        return describe_ids(lm.tokenizer, [token_id], lm.token_scheme)[1][0]
    return lm.tokenizer.decode([token_id]).encode("utf-8")


def _check(tr: Trace) -> None:
    if not tr.has_logits:
        raise ValueError(f"{tr.model_name} is an encoder: it does not predict a next token.")


def lm_token_text(lm: LoadedModel, token_id: int) -> str:
    return describe_ids(lm.tokenizer, [token_id], lm.token_scheme)[0][0]
