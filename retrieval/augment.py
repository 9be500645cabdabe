"""Retrieved chunks → the prompt a decoder reads → what its next token becomes: the "augment" and "generate" of RAG.

    found = Index(texts, "en").search(question, k=3)
    prompt = build_prompt([texts[i] for i, _ in found], question, lm.tokenizer, lm.context_size)
    prompt.text, prompt.spans, prompt.n_tokens, prompt.cut         # or: text, spans, n_tokens, cut = prompt
    answer_probability(lm, prompt.text, " green")                  # P(first token of the answer | prompt)
    answer_probability(lm, question, " green")                     # the same question without the chunks
    copy_attention(lm, prompt.text, " green")                      # (L, H) attention onto the copy target
    leave_one_out(lm, chunks, question, " green")                  # [P without chunk 0, without chunk 1, …]
    arrangements(lm, relevant, distractors, question, " green")    # {"first": p, "middle": p, "last": p}

The prompt is the chunks, one a line and best first, then the question on its own line. A small story model
cannot answer a question; what it can do is continue a sentence by copying from its context (lesson 7's
induction heads), so questions here are cloze sentences ("The lighthouse of Pell is painted") and the
measure is the probability of the answer's first token, read from `trace`'s logits at the last position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from model.load import LoadedModel
from model.numeric import softmax
from model.tracing import token_limit, trace

SEPARATOR = "\n"  # between chunks, and between the last chunk and the question
PLACES = ("first", "middle", "last")  # where the relevant chunk sits among the distractors
N_DISTRACTORS = 3  # chunks around the relevant one in the position experiment


@dataclass(frozen=True)
class Cloze:
    """A ready question about the world of Mirrow (retrieval/world): a sentence to continue, the word the world
    says comes next, and a made-up chunk that says something else."""

    key: str
    question: str
    answer: str  # with TinyTales' leading space in English (" green"); its first token is what is measured
    wrong: str  # a distractor chunk stating a wrong answer
    wrong_answer: str


READY = {
    "en": (
        Cloze(
            "lighthouse",
            "The lighthouse of Pell is painted",
            " green",
            "The lighthouse of Pell is painted red.",
            " red",
        ),
        Cloze(
            "goat",
            "Marta lives at the top of the tower with a goat called",
            " Pepper",
            "Marta lives at the top of the tower with a goat called Daisy.",
            " Daisy",
        ),
        Cloze("dragon", "Ember eats nothing but", " apples", "Ember eats nothing but fish.", " fish"),
        Cloze(
            "market",
            "The people of Pell hold a market every",
            " Tuesday",
            "The people of Pell hold a market every Friday.",
            " Friday",
        ),
    ),
    "zh": (
        Cloze("lighthouse", "佩尔镇的灯塔漆成", "绿", "佩尔镇的灯塔漆成红色。", "红"),
        Cloze("goat", "玛尔塔和一只叫", "胡椒", "玛尔塔和一只叫小白的山羊住在一起。", "小白"),
        Cloze("dragon", "余烬只吃", "苹果", "余烬只吃鱼。", "鱼"),
        Cloze("market", "佩尔镇的人赶集是在每个", "星期二", "佩尔镇的人赶集是在每个月初。", "月初"),
    ),
}


class Prompt(NamedTuple):
    """The augmented prompt: unpack it as (text, spans, n_tokens, cut)."""

    text: str  # chunks, then the question
    spans: list[tuple[int, int]]  # (start, end) in `text` of each chunk kept, in the order given
    n_tokens: int  # the tokenizer's count of `text`
    cut: list[int]  # positions in the given list of the chunks left out to fit, least relevant first


def flatten(text: str) -> str:
    """A chunk as one line: every run of whitespace (the world's files wrap lines) becomes one space."""
    return " ".join(text.split())


def count_tokens(tokenizer, text: str) -> int:
    """How many tokens the model reads for `text` (with whatever special tokens its tokenizer adds)."""
    return len(tokenizer(text)["input_ids"])


def compose(chunks: list[str], question: str) -> tuple[str, list[tuple[int, int]]]:
    """The prompt text for these chunks (in this order) and the question, with each chunk's span."""
    parts, spans, at = [], [], 0
    for chunk in chunks:
        line = flatten(chunk)
        spans.append((at, at + len(line)))
        parts.append(line + SEPARATOR)
        at += len(line) + len(SEPARATOR)
    return "".join(parts) + question.strip(), spans


def build_prompt(chunks: list[str], question: str, tokenizer, context: int) -> Prompt:
    """Chunks (most relevant first), then the question, in at most `context` tokens: while it does not fit,
    the least relevant chunk left is cut. When even the question alone does not fit, every chunk is cut
    (and the model reads the question's last `context` tokens)."""
    if not question.strip():
        raise ValueError("The question is empty: type a sentence for the model to continue.")
    kept = list(range(len(chunks)))
    while True:
        text, spans = compose([chunks[i] for i in kept], question)
        n_tokens = count_tokens(tokenizer, text)
        if n_tokens <= context or not kept:
            return Prompt(text, spans, n_tokens, [i for i in range(len(chunks)) if i not in kept][::-1])
        kept.pop()


def spaced(answer: str, language: str = "en") -> str:
    """The answer as the model would write it after a sentence. TinyTales' byte-level BPE keeps a word's
    leading space inside its token (" green" is one token, "green" another), so an English answer typed
    without its space gets one; Chinese has no spaces between words."""
    if language == "en" and answer[:1].isalnum():
        return " " + answer
    return answer


def answer_token(lm: LoadedModel, answer: str | int) -> int:
    """The id of the answer's first token (give the answer with its leading space: see `spaced`); an id as is."""
    if isinstance(answer, int | np.integer):
        return int(answer)
    ids = lm.tokenizer(answer, add_special_tokens=False)["input_ids"]
    if not answer or not ids:
        raise ValueError("The answer is empty: type the word the model should write next.")
    return int(ids[0])


def next_token_probs(lm: LoadedModel, prompt: str) -> np.ndarray:
    """(V,) the model's next-token probabilities after `prompt` (one traced forward, under the model's lock)."""
    return softmax(trace(lm, prompt).logits_at(-1))


def answer_probability(lm: LoadedModel, prompt: str, answer: str | int) -> float:
    """P(the answer's first token | prompt)."""
    return float(next_token_probs(lm, prompt)[answer_token(lm, answer)])


def copy_target(lm: LoadedModel, prompt: str, answer: str | int) -> int | None:
    """The position of the answer's first token where it first occurs in the prompt (before the last token),
    or None. An induction head at the last position looks there: the token that followed the last token's
    earlier copy ("… painted ·green" → "… painted" attends to ·green and copies it)."""
    ids = trace(lm, prompt).token_ids
    hits = np.flatnonzero(ids[:-1] == answer_token(lm, answer))
    return int(hits[0]) if len(hits) else None


def copy_attention(lm: LoadedModel, prompt: str, answer: str | int) -> np.ndarray:
    """(L, H) how much attention each head pays, from the last position (where the answer is predicted), to
    the copy target (see `copy_target`). ValueError when the answer's first token is not in the prompt."""
    tr = trace(lm, prompt)
    hits = np.flatnonzero(tr.token_ids[:-1] == answer_token(lm, answer))
    if not len(hits):
        raise ValueError("The answer's first token is not in the prompt: there is nothing to copy.")
    return tr.pattern[:, :, -1, int(hits[0])].astype(np.float64)  # (L, H, T, T) → (L, H)


def leave_one_out(
    lm: LoadedModel, chunks: list[str], question: str, answer: str | int, context: int | None = None
) -> list[float]:
    """P(answer) with each chunk left out in turn (the rest in their order): [without chunk 0, without 1, …].
    A chunk the answer depends on makes its probability fall when it goes."""
    context = token_limit(lm) if context is None else context
    out = []
    for i in range(len(chunks)):
        rest = chunks[:i] + chunks[i + 1 :]
        out.append(answer_probability(lm, build_prompt(rest, question, lm.tokenizer, context).text, answer))
    return out


def arranged(relevant: str, distractors: list[str]) -> dict[str, list[str]]:
    """The chunk lists of the position experiment: the relevant chunk first, in the middle, or last."""
    half = len(distractors) // 2
    return {
        "first": [relevant, *distractors],
        "middle": [*distractors[:half], relevant, *distractors[half:]],
        "last": [*distractors, relevant],
    }


def fitting(relevant: str, distractors: list[str], question: str, tokenizer, context: int) -> list[str]:
    """As many distractors as fit beside the relevant chunk and the question (cut from the end)."""
    kept = list(distractors)
    while kept and count_tokens(tokenizer, compose([relevant, *kept], question)[0]) > context:
        kept.pop()
    return kept


def arrangement_prompts(
    lm: LoadedModel, relevant: str, distractors: list[str], question: str, context: int | None = None
) -> dict[str, str]:
    """{"first", "middle", "last"} → the prompt text, with as many distractors as fit in the context."""
    context = token_limit(lm) if context is None else context
    kept = fitting(relevant, distractors, question, lm.tokenizer, context)
    return {place: compose(chunks, question)[0] for place, chunks in arranged(relevant, kept).items()}


def arrangements(
    lm: LoadedModel, relevant: str, distractors: list[str], question: str, answer: str | int, context: int | None = None
) -> dict[str, float]:
    """P(answer) with the relevant chunk first, in the middle, or last among the distractors ("lost in the
    middle", in miniature)."""
    prompts = arrangement_prompts(lm, relevant, distractors, question, context)
    return {place: answer_probability(lm, text, answer) for place, text in prompts.items()}


def holds(chunk: str, answer: str) -> bool:
    """Whether a chunk states the answer (its text, spaces ignored at the ends, as a word or a run of characters)."""
    word = answer.strip()
    if not word:
        return False
    if word.isascii():
        return re.search(rf"(?<!\w){re.escape(word)}", flatten(chunk)) is not None
    return word in chunk


def relevant_and_distractors(
    chunks: list[str], scores: np.ndarray, answer: str, n: int = N_DISTRACTORS
) -> tuple[int | None, list[int]]:
    """For the position experiment: the best-scoring chunk that states the answer (None if none does), and the
    `n` best-scoring chunks that do not (best first)."""
    order = [int(i) for i in np.argsort(-scores, kind="stable")]  # (N,) best first
    relevant = next((i for i in order if holds(chunks[i], answer)), None)
    return relevant, [i for i in order if not holds(chunks[i], answer)][:n]


def project_2d(vectors: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PCA of chunk vectors (N, d) to 2-D, the query (d,) projected the same way: (points (N, 2), query (2,),
    share of the chunks' variance on each axis (2,)). Axes are the top two right singular vectors of the
    centred chunks; each sign is fixed so the largest loading is positive (the same map every run)."""
    mean = vectors.mean(axis=0)  # (d,)
    centred = (vectors - mean).astype(np.float64)  # (N, d)
    _, sing, axes = np.linalg.svd(centred, full_matrices=False)  # axes (min(N, d), d)
    axes = axes[:2]
    if len(axes) < 2:  # one chunk: one direction (or none); pad with zeros
        axes = np.vstack([axes, np.zeros((2 - len(axes), vectors.shape[1]))])
        sing = np.concatenate([sing, np.zeros(2)])
    signs = np.sign(axes[np.arange(2), np.abs(axes).argmax(axis=1)])
    axes = axes * np.where(signs == 0, 1.0, signs)[:, None]  # (2, d)
    total = float((sing**2).sum()) or 1.0
    return centred @ axes.T, (query - mean) @ axes.T, (sing[:2] ** 2) / total
