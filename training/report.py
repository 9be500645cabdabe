"""Measure a trained TinyTales (English or Chinese) and write its evaluation and model card.

    python -m training.report --model model/weights/tinytales --corpus ../shared/corpus/books

Validation loss on the held-out books (nats per token and per character) against a smoothed bigram
baseline of the same tokenizer, completions of fixed prompts in the corpus' language, per-head previous-token and induction scores,
size and speed. Writes `evaluation.json` and `MODEL_CARD.md` into the model folder.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from model.generate import generate
from model.load import load_model
from model.numeric import induction_score, offset_attention, repeated_random_ids, softmax
from model.sampling import Settings
from model.tokens import continuation, decode
from model.tracing import trace, trace_ids
from training.card import model_card
from training.train import encode_books, list_books, read_book


def held_out_ids(lm, corpus: Path, record: dict) -> tuple[np.ndarray, np.ndarray]:
    books = {p.name: p for p in list_books(corpus)}
    train = encode_books(lm.tokenizer, [read_book(books[n]) for n in record["train_books"]])
    val = encode_books(lm.tokenizer, [read_book(books[n]) for n in record["val_books"]])
    return train.astype(np.int64), val.astype(np.int64)


@torch.no_grad()
def model_loss(lm, ids: np.ndarray, window: int, batch: int = 16) -> float:
    """Mean next-token cross-entropy over non-overlapping windows, nats per token."""
    n = (len(ids) - 1) // window
    x = torch.from_numpy(ids[: n * window].reshape(n, window))
    y = torch.from_numpy(ids[1 : n * window + 1].reshape(n, window))
    total = 0.0
    for i in range(0, n, batch):
        logits = lm.model(input_ids=x[i : i + batch]).logits
        total += torch.nn.functional.cross_entropy(logits.flatten(0, 1), y[i : i + batch].flatten(), reduction="sum")
    return float(total) / (n * window)


def bigram_loss(train: np.ndarray, val: np.ndarray, vocab: int) -> tuple[float, float]:
    """Interpolated bigram P(b|a) = λ c(a,b)/c(a) + (1-λ) P(b), add-one unigram; best λ on the grid."""
    unigram = (np.bincount(train, minlength=vocab) + 1.0) / (len(train) + vocab)
    pair_codes = train[:-1] * vocab + train[1:]
    codes, counts = np.unique(pair_codes, return_counts=True)
    first = np.bincount(train[:-1], minlength=vocab).astype(np.float64)
    val_codes = val[:-1] * vocab + val[1:]
    where = np.searchsorted(codes, val_codes)
    where = np.minimum(where, len(codes) - 1)
    seen = codes[where] == val_codes
    pair = np.where(seen, counts[where], 0).astype(np.float64)
    context = first[val[:-1]]
    ml = np.divide(pair, context, out=np.zeros_like(pair), where=context > 0)
    best = (np.inf, 0.0)
    for lam in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        loss = float(-np.mean(np.log(lam * ml + (1 - lam) * unigram[val[1:]])))
        best = min(best, (loss, lam))
    return best


def head_scores(lm, val: np.ndarray, seeds: int = 5) -> dict:
    """Previous-token score on held-out text and induction score on repeated random tokens: (L, H) each."""
    offsets = []
    for start in np.linspace(0, len(val) - 130, seeds).astype(int):
        pattern = trace_ids(lm, val[start : start + 128]).pattern  # (L, H, T, T)
        offsets.append(np.stack([offset_attention(pattern, k) for k in range(4)], axis=-1))  # (L, H, 4)
    offsets = np.mean(offsets, 0)  # (L, H, 4): attention to 0, 1, 2, 3 tokens back
    period = min(32, (lm.context_size - 1) // 2)
    induction = []
    for seed in range(seeds):
        ids = [lm.tokenizer.eos_token_id, *repeated_random_ids(lm.config.vocab_size, period, seed=seed)]
        induction.append(induction_score(trace_ids(lm, ids).pattern, period, offset=1))
    return {
        "previous_token": offsets[..., 1].round(3).tolist(),  # (L, H): the previous-token score
        "offsets": offsets.round(3).tolist(),  # (L, H, 4)
        "induction": np.mean(induction, 0).round(3).tolist(),  # (L, H)
    }


# per corpus language: prompts whose top-5 next tokens, and whose greedy continuations, the card shows
PROMPTS = {
    "en": {"top5": ["Once upon a time there was a little"], "greedy": ["The king said to", "Alice was"]},
    "zh": {"top5": ["从前有一个", "孙悟空"], "greedy": ["话说那", "他走进屋里"]},
}


@torch.no_grad()
def completions(lm, language: str = "en", new_tokens: int = 20) -> dict:
    """Top-5 next tokens after fixed prompts, and greedy continuations (the app's own sampler)."""
    top5 = []
    for prompt in PROMPTS[language]["top5"]:
        probs = softmax(trace(lm, prompt).logits_at(-1))  # (V,)
        best = np.argsort(-probs)[:5]
        tokens = [{"token": decode(lm, [int(i)]), "probability": round(float(probs[i]), 4)} for i in best]
        top5.append({"prompt": prompt, "tokens": tokens})
    greedy = []
    for prompt in PROMPTS[language]["greedy"]:
        tr = trace(lm, prompt)
        steps = generate(lm, tr, new_tokens, Settings(greedy=True)).steps
        greedy.append({"prompt": prompt, "text": continuation(lm, tr.token_ids.tolist(), [s.token_id for s in steps])})
    return {"top5": top5, "greedy": greedy}


@torch.no_grad()
def speed(lm, tokens: int = 256, runs: int = 20) -> float:
    """Median milliseconds of one plain forward pass of `tokens` tokens."""
    tokens = min(tokens, lm.context_size)
    x = torch.randint(min(300, lm.config.vocab_size - 1), lm.config.vocab_size, (1, tokens))
    lm.model(input_ids=x)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        lm.model(input_ids=x)
        times.append(time.perf_counter() - t0)
    return float(np.median(times) * 1000)


def evaluate(model_dir: Path, corpus: Path) -> dict:
    lm = load_model(str(model_dir), device="cpu")
    record = json.loads((model_dir / "training_record.json").read_text(encoding="utf-8"))
    train_ids, val_ids = held_out_ids(lm, corpus, record)
    bigram, lam = bigram_loss(train_ids, val_ids, lm.config.vocab_size)
    params = sum(p.numel() for p in lm.model.parameters())
    val_loss = model_loss(lm, val_ids, lm.context_size)
    chars_per_token = len(decode(lm, val_ids)) / len(val_ids)  # of the held-out books as tokenized
    language = record["config"].get("language", "en")
    return {
        "language": language,
        "parameters": params,
        "weights_mb": round((model_dir / "model.safetensors").stat().st_size / 1e6, 2),
        "val_loss": round(val_loss, 4),
        "val_loss_per_char": round(val_loss / chars_per_token, 4),
        "bigram_val_loss_per_char": round(bigram / chars_per_token, 4),
        "chars_per_token": round(chars_per_token, 3),
        "train_loss_sample": round(model_loss(lm, train_ids[: len(val_ids)], lm.context_size), 4),
        "bigram_val_loss": round(bigram, 4),
        "bigram_lambda": lam,
        "val_tokens": int(len(val_ids)),
        "forward_ms_256_tokens_cpu": round(speed(lm), 1),
        "torch_threads": torch.get_num_threads(),
        "heads": head_scores(lm, val_ids),
        **completions(lm, language),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=Path("model/weights/tinytales"))
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/books"))
    args = parser.parse_args(argv)
    report = evaluate(args.model, args.corpus)
    (args.model / "evaluation.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    record = json.loads((args.model / "training_record.json").read_text(encoding="utf-8"))
    (args.model / "MODEL_CARD.md").write_text(model_card(record, report), encoding="utf-8")
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
