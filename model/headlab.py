"""Find what heads do, then test it by breaking them: role scores, ablation sweeps and activation patching.

    from model import load_model
    from model.headlab import head_roles, ablation_sweep, mean_loss, patch_sweep, logit_diff, READY_PAIRS
    lm = load_model("tinytales")
    roles = head_roles(lm)                         # {"induction": (L, H), "previous_token": (L, H), ...}
    ids = induction_probe(lm)                      # (1 + 2P,) bos + a random sequence written twice
    effect = ablation_sweep(lm, ids, mean_loss(ids, start=second_copy_start(lm)))  # (L, H) Δ loss
    pair = READY_PAIRS[0]
    clean, corrupt, answer, foil = pair_ids(lm, pair)
    maps = patch_sweep(lm, clean, corrupt, logit_diff(-1, answer, foil))  # {"resid_pre": (L, T), ..., "head_out": (L, H)}

Role scores read attention patterns (L, H, T, T), query × key, rows summing to 1, on two fixed probes: a
repeated random-token sequence (induction, duplicate-token) and a short natural text (previous-token,
first-token, entropy). The pure helpers (`previous_scores`, `induction_scores`, …) take a pattern, so they
can be checked on hand-built patterns. Sweeps run one forward per head (or per layer × position) through
`trace_ids(..., edits=[...])`: on TinyTales (4 × 8 heads, ~50 ms a forward) a sweep takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from model.edits import AblateHead, Edit, Patch
from model.numeric import log_softmax, repeated_random_ids
from model.types import Trace

Metric = Callable[[Trace], float]
Progress = Callable[[float, str], None] | None

PERIOD = 24  # length of the random sequence that the induction probe writes twice

# the natural-text probe, ~40 tokens of children's-story English (and Chinese for models trained on it)
PROBE_TEXTS = {
    "en": (
        "Once upon a time, a little girl named Lily found a red ball in the park. She threw the ball to "
        'her dog, and the dog ran after it. Lily laughed and said, "Good dog!"'
    ),
    "zh": "从前有一个小女孩，她在公园里找到了一个红色的球。她把球扔给她的小狗，小狗跑过去追球。她笑着说：“好狗狗！”",
}

ROLES = ("previous_token", "induction", "duplicate_token", "first_token", "entropy")


# ---- pure helpers on patterns (L, H, T, T) ---------------------------------------------------------------


def without_first(pattern: np.ndarray) -> np.ndarray:
    """(L, H, T, T) → (L, H, T-1, T-1): drop query 0 and key 0, renormalise each row over the other keys.

    Many heads "rest" on the first token (an attention sink) when they have nothing to do; after this a
    head's score says where it looks among the other tokens. A row that had all its weight on key 0
    becomes all zeros (there is nothing left to renormalise), so it counts as attending nowhere."""
    rest = pattern[..., 1:, 1:].astype(np.float64)  # (L, H, T-1, T-1)
    total = rest.sum(axis=-1, keepdims=True)  # (L, H, T-1, 1)
    return np.divide(rest, total, out=np.zeros_like(rest), where=total > 1e-12)


def attention_between(pattern: np.ndarray, queries, keys, exclude_first: bool = False) -> np.ndarray:
    """(L, H): mean attention from query `queries[i]` to key `keys[i]` (index arrays (n,) of the full pattern).

    `exclude_first`: score on `without_first(pattern)`; pairs that involve position 0 are left out."""
    q, k = np.asarray(queries, dtype=np.int64), np.asarray(keys, dtype=np.int64)  # (n,), (n,)
    if exclude_first:
        keep = (q >= 1) & (k >= 1)
        pattern, q, k = without_first(pattern), q[keep] - 1, k[keep] - 1
    if not len(q):
        raise ValueError("No query/key pairs to score: the pattern is too short.")
    return pattern[..., q, k].mean(axis=-1).astype(np.float64)  # (L, H)


def previous_scores(pattern: np.ndarray, exclude_first: bool = False) -> np.ndarray:
    """(L, H) mean attention from each query i ≥ 1 to key i-1; 1 for a pure previous-token head."""
    q = np.arange(1, pattern.shape[-1])
    return attention_between(pattern, q, q - 1, exclude_first)


def _second_copy(pattern: np.ndarray, period: int, offset: int) -> np.ndarray:
    """(period,) query positions of the second copy, checking T = offset + 2 × period."""
    T = pattern.shape[-1]
    if T != offset + 2 * period:
        raise ValueError(
            f"The pattern has {T} positions; a probe of {offset} + 2 × {period} tokens has {offset + 2 * period}."
        )
    return np.arange(offset + period, T)


def induction_scores(pattern: np.ndarray, period: int, offset: int = 0, exclude_first: bool = False) -> np.ndarray:
    """(L, H) mean attention from each second-copy token (position q) to the token after its earlier copy
    (q - period + 1). The probe: `offset` tokens (e.g. a BOS), `period` random tokens, the same again."""
    q = _second_copy(pattern, period, offset)
    return attention_between(pattern, q, q - period + 1, exclude_first)


def duplicate_scores(pattern: np.ndarray, period: int, offset: int = 0, exclude_first: bool = False) -> np.ndarray:
    """(L, H) mean attention from each second-copy token (q) to its own earlier copy (q - period)."""
    q = _second_copy(pattern, period, offset)
    return attention_between(pattern, q, q - period, exclude_first)


def first_token_scores(pattern: np.ndarray) -> np.ndarray:
    """(L, H) mean attention from queries 1 … T-1 to key 0 (query 0 of a causal head has no other key)."""
    q = np.arange(1, pattern.shape[-1])
    return attention_between(pattern, q, np.zeros_like(q))


def entropy_bits(pattern: np.ndarray) -> np.ndarray:
    """(L, H) mean entropy, in bits, of the attention rows of queries 1 … T-1: 0 for a head that looks at one
    token, log2(n) for one spread evenly over n keys."""
    rows = pattern[..., 1:, :].astype(np.float64)  # (L, H, T-1, T)
    logs = np.log2(np.where(rows > 0, rows, 1.0))
    return -(rows * logs).sum(axis=-1).mean(axis=-1)  # (L, H)


def role_scores(
    text_pattern: np.ndarray, repeat_pattern: np.ndarray, period: int, offset: int = 0, exclude_first: bool = False
) -> dict[str, np.ndarray]:
    """Every role, (L, H) each, from a natural-text pattern and a repeated-sequence pattern (both (L, H, T, T)).

    previous_token, induction, duplicate_token: in [0, 1], on `without_first` patterns when `exclude_first`.
    first_token: in [0, 1], always on the raw pattern (it measures the sink itself). entropy: bits, raw."""
    return {
        "previous_token": previous_scores(text_pattern, exclude_first),
        "induction": induction_scores(repeat_pattern, period, offset, exclude_first),
        "duplicate_token": duplicate_scores(repeat_pattern, period, offset, exclude_first),
        "first_token": first_token_scores(text_pattern),
        "entropy": entropy_bits(text_pattern),
    }


# ---- probes ------------------------------------------------------------------------------------------------


def _prefix(lm) -> list[int]:
    """[bos] (or eos, or an encoder's [CLS]) where the tokenizer has one, else []."""
    tok = lm.tokenizer
    for name in ("bos_token_id", "eos_token_id", "cls_token_id"):
        value = getattr(tok, name, None)
        if value is not None:
            return [int(value)]
    return []


def _limit(lm) -> int:
    from model.tracing import token_limit

    return token_limit(lm)


def probe_period(lm) -> int:
    """The random sequence's length: PERIOD, or less where the context (or memory budget) is short."""
    return max(2, min(PERIOD, (_limit(lm) - len(_prefix(lm))) // 2))


def induction_probe(lm, seed: int = 0) -> np.ndarray:
    """(offset + 2P,) int64: the prefix token (if any), then P random ids, then the same P ids again."""
    ids = repeated_random_ids(int(lm.config.vocab_size), probe_period(lm), seed=seed)
    return np.asarray([*_prefix(lm), *ids], dtype=np.int64)


def second_copy_start(lm) -> int:
    """The loss position (see `loss_per_position`) where scoring the second copy starts: its first token
    is unpredictable, so the first scored prediction is made at the copy's first token, for its second."""
    return len(_prefix(lm)) + probe_period(lm)


def text_probe(lm) -> np.ndarray:
    """(T,) int64: the prefix token (if any), then the model's language's probe text."""
    text = PROBE_TEXTS.get(lm.language, PROBE_TEXTS["en"])
    ids = [*_prefix(lm), *lm.tokenizer(text, add_special_tokens=False)["input_ids"]]
    return np.asarray(ids[: _limit(lm)], dtype=np.int64)


def head_roles(lm, exclude_first: bool = False) -> dict[str, np.ndarray]:
    """Each head's role scores on the fixed probes: {"previous_token", "induction", "duplicate_token",
    "first_token", "entropy"} → (L, H) read-only float64 (see `role_scores`). Two forwards, memoized per
    (model, exclude_first) in `lm.memo`. Encoders attend both ways; the same scores are defined."""
    key = ("headlab.head_roles", bool(exclude_first))
    if key not in lm.memo:
        from model.tracing import trace_ids

        text = trace_ids(lm, text_probe(lm)).pattern  # (L, H, T, T)
        repeat = trace_ids(lm, induction_probe(lm)).pattern  # (L, H, offset + 2P, offset + 2P)
        scores = role_scores(text, repeat, probe_period(lm), len(_prefix(lm)), exclude_first)
        for array in scores.values():
            array.flags.writeable = False
        lm.memo[key] = scores
    return dict(lm.memo[key])


def top_heads(scores: np.ndarray, k: int = 3) -> list[tuple[int, int, float]]:
    """[(layer, head, score)] of the k highest scores in an (L, H) map, best first (NaN ignored)."""
    flat = np.where(np.isnan(scores), -np.inf, scores).ravel()
    best = np.argsort(-flat, kind="stable")[:k]
    return [(int(i // scores.shape[1]), int(i % scores.shape[1]), float(flat[i])) for i in best]


# ---- losses and metrics ------------------------------------------------------------------------------------


def _need_decoder(lm) -> None:
    if not lm.family.is_causal:
        raise ValueError(
            f"{lm.display_name} is an encoder (it reads both ways): it makes no next-token predictions, "
            "so there is no next-token loss."
        )


def _losses(tr: Trace) -> np.ndarray:
    """(T-1,) next-token cross-entropy, in nats, at each position but the last of a trace."""
    ids = tr.token_ids  # (T,)
    logp = log_softmax(tr.logits_at(slice(0, len(ids) - 1)))  # (T-1, V)
    return -logp[np.arange(len(ids) - 1), ids[1:]]


def loss_per_position(lm, ids: Sequence[int] | np.ndarray, edits: Iterable[Edit] = ()) -> np.ndarray:
    """(T-1,) nats: entry i is the loss of predicting ids[i+1] from ids[0..i], under `edits`."""
    from model.tracing import trace_ids

    _need_decoder(lm)
    if len(ids) < 2:
        raise ValueError("A next-token loss needs at least 2 tokens.")
    return _losses(trace_ids(lm, ids, edits=tuple(edits)))


def mean_loss(ids: Sequence[int] | np.ndarray, start: int = 0) -> Metric:
    """Metric: mean next-token loss (nats) over positions start … T-2 (see `loss_per_position`); the trace
    must be of `ids`. E.g. start = `second_copy_start(lm)` scores the second copy of an induction probe."""
    expected = np.asarray(ids, dtype=np.int64)

    def metric(tr: Trace) -> float:
        if not np.array_equal(tr.token_ids, expected):
            raise ValueError("mean_loss: the trace is not of the token ids this metric was made for.")
        return float(_losses(tr)[start:].mean())

    return metric


def logprob(position: int, token_id: int) -> Metric:
    """Metric: log-probability (nats) of `token_id` as the next token after `position`."""

    def metric(tr: Trace) -> float:
        return float(log_softmax(tr.logits_at(position))[token_id])

    return metric


def logit_diff(position: int, answer_id: int, foil_id: int) -> Metric:
    """Metric: logit of `answer_id` minus logit of `foil_id` at `position` (the patching metric)."""

    def metric(tr: Trace) -> float:
        logits = tr.logits_at(position)  # (V,)
        return float(logits[answer_id] - logits[foil_id])

    return metric


# ---- sweeps ------------------------------------------------------------------------------------------------


def _shape(lm) -> tuple[int, int]:
    return len(lm.parts.blocks), int(lm.config.num_attention_heads)


def ablation_sweep(lm, ids, metric: Metric, mode: str = "zero", progress: Progress = None) -> np.ndarray:
    """(L, H): metric with head (l, h) alone ablated (`AblateHead(l, h, mode)`) minus the clean metric.

    One forward per head plus the clean one. `progress(fraction, message)` is called after each head; an
    exception it raises stops the sweep and propagates (that is how a job is cancelled)."""
    from model.tracing import trace_ids

    L, H = _shape(lm)
    clean = metric(trace_ids(lm, ids))
    out = np.zeros((L, H))
    for n, (layer, head) in enumerate(np.ndindex(L, H), start=1):
        out[layer, head] = metric(trace_ids(lm, ids, edits=[AblateHead(layer, head, mode)])) - clean
        if progress is not None:
            progress(n / (L * H), f"ablated L{layer}H{head}")
    return out


def prompt_ids(lm, prompt: str | Sequence[int] | np.ndarray) -> np.ndarray:
    """(T,) a prompt's token ids as `trace` tokenizes it (ids are passed through)."""
    if isinstance(prompt, str):
        from model.tokens import tokenize

        return tokenize(lm.tokenizer, prompt, lm.token_scheme).token_ids
    return np.asarray(prompt, dtype=np.int64)


def patch_sweep(
    lm,
    clean_ids,
    corrupt_ids,
    metric: Metric,
    sites: Sequence[str] = ("resid_pre", "attn_out", "mlp_out"),
    progress: Progress = None,
) -> dict[str, np.ndarray]:
    """Activation patching, clean → corrupted: {site: (L, T)} for each of `sites`, plus "head_out": (L, H).

    Cell [l, p] of a site: run the corrupted prompt with that one vector (layer l, position p) taken from the
    clean run; cell [l, h] of head_out: head h's z from the clean run at every position. Each value is
    normalised, (m − m_corrupt) / (m_clean − m_corrupt): 1 = the clean behaviour is back, 0 = no effect.
    Where the clean and corrupted metrics differ by less than 1e-6 there is nothing to normalise: every array
    is NaN (and no patched forwards run). Prompts are strings or token ids; they must tokenize to the same
    length (ValueError otherwise). `progress(fraction, message)` is called after each forward; an exception
    it raises propagates."""
    from model.tracing import trace_ids

    clean_ids, corrupt_ids = prompt_ids(lm, clean_ids), prompt_ids(lm, corrupt_ids)
    if len(clean_ids) != len(corrupt_ids):
        raise ValueError(
            f"The clean prompt is {len(clean_ids)} tokens and the corrupted one {len(corrupt_ids)}: "
            "patching swaps activations position by position, so both must be the same length."
        )
    L, H = _shape(lm)
    T = len(clean_ids)
    clean = trace_ids(lm, clean_ids)
    m_clean, m_corrupt = metric(clean), metric(trace_ids(lm, corrupt_ids))
    shapes = {**{site: (L, T) for site in sites}, "head_out": (L, H)}
    out = {name: np.full(shape, np.nan) for name, shape in shapes.items()}
    if abs(m_clean - m_corrupt) < 1e-6:
        if progress is not None:
            progress(1.0, "the clean and corrupted runs score the same: nothing to normalise")
        return out
    jobs = [(site, l, p, Patch(site, l, clean, position=p)) for site in sites for l in range(L) for p in range(T)]
    jobs += [("head_out", l, h, Patch("head_out", l, clean, head=h)) for l in range(L) for h in range(H)]
    for n, (name, layer, index, patch) in enumerate(jobs, start=1):
        m = metric(trace_ids(lm, corrupt_ids, edits=[patch]))
        out[name][layer, index] = (m - m_corrupt) / (m_clean - m_corrupt)
        if progress is not None:
            progress(n / len(jobs), f"patched {name} L{layer} {'H' if name == 'head_out' else '@'}{index}")
    return out


# ---- ready prompt pairs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromptPair:
    """A clean prompt, a corrupted one of the same token length, and the next token each should favour."""

    model: str  # the bundled model whose tokenizer they were checked with
    clean: str
    corrupt: str
    answer: str  # the clean prompt's right next token (one token)
    foil: str  # what the corrupted prompt points to instead (one token)
    note: str = field(default="", compare=False)


# each checked with its model's tokenizer: equal lengths, single-token answer and foil (tests/test_headlab.py)
READY_PAIRS: tuple[PromptPair, ...] = (
    PromptPair(
        "tinytales",
        "There was a king called Arthur. Every morning, King",
        "There was a king called Henry. Every morning, King",
        " Arthur",
        " Henry",
        "which name: copied from earlier in the text",
    ),
    PromptPair(
        "tinytales",
        "When Mary and John went to the store, John gave a drink to",
        "When Mary and John went to the store, Mary gave a drink to",
        " Mary",
        " John",
        "who receives: the name not repeated",
    ),
    PromptPair(
        "tinytales",
        "Ben had a dog and a bird. He took the dog for a walk. The",
        "Ben had a dog and a bird. He took the bird for a walk. The",
        " dog",
        " bird",
        "which animal: the one mentioned last",
    ),
    PromptPair(
        "tinytales-zh", "哥哥和姐姐去商店，姐姐把水给了", "哥哥和姐姐去商店，哥哥把水给了", "哥哥", "姐姐", "谁收到水"
    ),
    PromptPair(
        "tinytales-zh", "奶奶和爷爷去公园，爷爷把花给了", "奶奶和爷爷去公园，奶奶把花给了", "奶奶", "爷爷", "谁收到花"
    ),
    PromptPair(
        "tinytales-zh",
        "王子和公主来到河边，公主把苹果给了",
        "王子和公主来到河边，王子把苹果给了",
        "王子",
        "公主",
        "谁收到苹果",
    ),
)


def single_token(lm, text: str) -> int:
    """The id of `text` where it is one token for `lm`'s tokenizer; ValueError otherwise."""
    ids = lm.tokenizer(text, add_special_tokens=False)["input_ids"]
    if len(ids) != 1:
        raise ValueError(f"{text!r} is {len(ids)} tokens for {lm.display_name}, not one.")
    return int(ids[0])


def pair_ids(lm, pair: PromptPair) -> tuple[np.ndarray, np.ndarray, int, int]:
    """(clean ids (T,), corrupt ids (T,), answer id, foil id) for `lm`, tokenized as `trace` does."""
    clean, corrupt = prompt_ids(lm, pair.clean), prompt_ids(lm, pair.corrupt)
    if len(clean) != len(corrupt):
        raise ValueError(f"The clean prompt is {len(clean)} tokens and the corrupted one {len(corrupt)}.")
    return clean, corrupt, single_token(lm, pair.answer), single_token(lm, pair.foil)
