"""Write TinyTales' MODEL_CARD.md from its training record and evaluation (see training/report.py)."""

from __future__ import annotations

import numpy as np

from model.numeric import strongest_head
from training.train import repeat_span


def _heads_table(scores: list[list[float]], title: str) -> str:
    grid = np.array(scores)  # (L, H)
    head = "| layer | " + " | ".join(f"head {h}" for h in range(grid.shape[1])) + " |"
    rule = "|---" * (grid.shape[1] + 1) + "|"
    rows = [f"| {layer} | " + " | ".join(f"{v:.2f}" for v in grid[layer]) + " |" for layer in range(grid.shape[0])]
    return "\n".join([f"**{title}**", "", head, rule, *rows])


def _curriculum(record: dict) -> str:
    """How the repeated-span windows were mixed in, and the legs of training if it was resumed."""
    cfg = record["config"]
    low, high = repeat_span(cfg["n_positions"])
    why = (
        f"Some training windows repeat a span ({low}–{high - 1} tokens, at a random place) right after "
        "itself: a span of their own text, or a run of random tokens whose first copy is not scored. Predicting "
        "the copy pays for looking up what followed the same token before — the job of an induction head, which "
        "book text alone grows only after far more tokens than this corpus holds. Random lengths and places keep "
        "a fixed-offset shortcut from doing that job. Validation uses plain book text."
    )
    legs = record.get("history")
    if legs:
        rows = [f"| {leg['steps']} | {leg['schedule']} | {leg['data']} |" for leg in legs]
        head = ["It was trained in legs, resumed from checkpoints:", "", "| steps | learning rate | training windows |"]
        return "\n".join([why, "", *head, "|---|---|---|", *rows])
    if not cfg.get("repeat_fraction") and not cfg.get("random_repeat_fraction"):
        return ""
    when = (
        f"From step {cfg['repeat_from']:,}, {cfg['repeat_fraction']:.0%} of the windows repeat text; from step "
        f"{cfg['random_repeat_from']:,}, {cfg['random_repeat_fraction']:.0%} repeat random tokens."
    )
    if cfg.get("random_alphabet"):
        when += (
            f" Each random run draws from only {cfg['random_alphabet']} token ids, so a token recurs within it "
            "and only the exact order of the last few tokens finds the place to copy from (meant to pay a head "
            "that looks exactly one token back; guessing among those few tokens already earns most of it)."
        )
    return f"{why} {when}"


def _positions(cfg: dict) -> str:
    if cfg.get("position_init") == "sinusoidal":
        return "learned position embeddings, started from the original Transformer's sin/cos codes"
    return "learned position embeddings"


def _position_note(cfg: dict) -> str:
    if cfg.get("position_init") != "sinusoidal":
        return ""
    return (
        "The position embeddings start as sin/cos codes (at the scale of GPT-2's random start) and are then "
        "learned. In those codes position p + 1 is one fixed rotation of position p, so a head can learn to look "
        "exactly one token back with a single linear map. (An earlier TinyTales of the same shape, started "
        "from random position vectors, had after 5,800 steps only layer-2 heads that look roughly nearby; its best "
        "previous-token score was 0.35.)\n\n"
    )


def _emergence(record: dict, threshold: float = 0.3) -> str:
    """The first recorded step at which some head's score passed `threshold`, per score."""
    lines = []
    for key, name in (("previous_token", "previous-token"), ("induction", "induction")):
        for entry in record.get("heads", []):
            grid = np.array(entry[key])  # (L, H), scored on the probe / repeated random tokens
            if grid.max() >= threshold:
                layer, head = np.unravel_index(int(np.argmax(grid)), grid.shape)
                lines.append(
                    f"- {'an' if name[0] in 'aeiou' else 'a'} {name} head first scored {threshold} or more at step {entry['step']:,} "
                    f"(layer {layer}, head {head}: {grid.max():.2f})"
                )
                break
        else:
            lines.append(f"- no {name} head scored {threshold} or more during training")
    every = record["config"]["eval_every"]
    intro = (
        f"In the training record (every {every} steps; previous-token score on the probe prompt, "
        "induction score on one repeated random sequence):"
    )
    return "\n".join([intro, "", *lines])


def _diffuse_previous(prev: tuple[int, int, float], heads: dict, trials: list[dict], clear: float = 0.5) -> str:
    """A known limit, when no head puts at least `clear` of its attention on the previous token, with the
    trial runs (record["trials"]: {"change", "result"}) that did not sharpen it."""
    if prev[2] >= clear:
        return ""
    share = [f"{p:.0%}" for p in heads["offsets"][prev[0]][prev[1]]]  # attention to 0, 1, 2, 3 tokens back
    tried = "".join(f"\n  - {trial['change']}: {trial['result']}" for trial in trials)
    if tried:
        tried = " Trial runs that did not sharpen it (none shipped; previous-token score on the probe prompt):" + tried
    return (
        f"- No head attends to just the previous token: the clearest, layer {prev[0]} head {prev[1]}, looks roughly "
        f"nearby (on held-out text it puts {share[0]} on the current token, {share[1]} on the one before, "
        f"{share[2]} two back and {share[3]} three back). That is enough for the induction heads above it, but "
        f"the stripe it draws is blurred.{tried}\n"
    )


def model_card(record: dict, report: dict) -> str:
    cfg = record["config"]
    last = record["loss"][-1]
    hours = last["seconds"] / 3600
    prev = strongest_head(report["heads"]["previous_token"])
    ind = strongest_head(report["heads"]["induction"])
    top5 = ", ".join(f"`{t['token']}` ({t['probability']:.1%})" for t in report["top5_once_upon_a_time"])
    greedy = "\n".join(
        f"- **{k.removeprefix('greedy: ')}**{v}" for k, v in report.items() if k.startswith("greedy: ")
    ).replace("\n\n", " ¶ ")
    margin = report["bigram_val_loss"] - report["val_loss"]
    return f"""# TinyTales

A small GPT-2-architecture language model trained from scratch on public-domain children's books,
bundled with LLM Walkthrough so that every lesson runs on a real model, offline.

## Model

| | |
|---|---|
| architecture | GPT-2 (`GPT2LMHeadModel`), {_positions(cfg)}, tied input/output embeddings |
| layers × heads × width | {cfg["n_layer"]} × {cfg["n_head"]} × {cfg["n_embd"]} (head width {cfg["n_embd"] // cfg["n_head"]}) |
| context window | {cfg["n_positions"]} tokens |
| vocabulary | {cfg["vocab_size"]:,} byte-level BPE tokens (trained with `tokenizers` on the training books) |
| parameters | {report["parameters"]:,} |
| weights | {report["weights_mb"]} MB, float32 safetensors |
| forward pass, 256 tokens, CPU | {report["forward_ms_256_tokens_cpu"]} ms (median, {report["torch_threads"]} threads) |

## Data

{len(record["train_books"])} books for training ({record["train_tokens"]:,} tokens) and {len(record["val_books"])} whole
books held out for validation ({record["val_tokens"]:,} tokens): {", ".join(f"`{b}`" for b in record["val_books"])}.
The texts are public-domain English children's literature and fairy tales from Project Gutenberg
(via the GITenberg mirrors), with the Project Gutenberg header, footer and licence text removed.
They are public domain in the USA; check the status for your own jurisdiction before
redistributing. The corpus itself is not part of this repository.

## Training

`python -m training.train` — AdamW (β = 0.9, 0.95, weight decay {cfg["weight_decay"]}), {cfg["warmup_steps"]} warm-up steps and cosine
decay to a tenth of the peak, batches of {cfg["batch_size"]} × {cfg["n_positions"]} tokens, {last["step"]:,} steps ({last["tokens"]:,} tokens,
about {last["tokens"] / record["train_tokens"]:.1f} epochs), bf16 autocast on the CPU, no dropout, seed {cfg["seed"]}. Training took
{hours:.1f} hours on 2 CPU cores.

{_position_note(cfg)}{_curriculum(record)}

{_emergence(record)}

The loss curve, sampled continuations every {cfg["eval_every"]} steps and the attention patterns of every
head on a fixed probe prompt are in `training_record.json` and `training_attention.npz`.

## Quality

| | nats per token |
|---|---|
| TinyTales, held-out books | **{report["val_loss"]:.3f}** |
| smoothed bigram of the same tokenizer (interpolated, λ = {report["bigram_lambda"]}), held-out books | {report["bigram_val_loss"]:.3f} |
| TinyTales, a training sample of the same size | {report["train_loss_sample"]:.3f} |

TinyTales beats the bigram baseline by {margin:.2f} nats per token (perplexity {np.exp(report["val_loss"]):.0f} vs
{np.exp(report["bigram_val_loss"]):.0f}).

Top 5 next tokens after "Once upon a time there was a little": {top5}.

Greedy continuations (20 tokens):

{greedy}

## Heads worth poking at

Previous-token score: mean attention from each token to the one before it, on held-out text.
Induction score: mean attention from the second copy of a repeated random token sequence (32 tokens,
5 seeds) to the token after the current token's first copy. Clearest previous-token head: layer
{prev[0]}, head {prev[1]} ({prev[2]:.2f}); clearest induction head: layer {ind[0]}, head {ind[1]} ({ind[2]:.2f}).

{_heads_table(report["heads"]["previous_token"], "Previous-token score")}

{_heads_table(report["heads"]["induction"], "Induction score")}

## Known limits

- A few million parameters trained on 19 MB of old children's books: it writes fairy-tale English with
  old spelling and dialogue, loses the thread after a sentence or two, and knows no facts.
- It has seen almost no text in other languages: Chinese and emoji are spelled out as byte tokens and
  predicted poorly — useful for the tokens lesson, not for generation.
- Context of {cfg["n_positions"]} tokens; longer prompts are cut by the app with a notice.
- Greedy decoding soon repeats itself: its induction head copies what came before. Sampling
  (temperature around 0.8) reads better.
{_diffuse_previous(prev, report["heads"], record.get("trials", []))}- Trained for teaching; not evaluated for bias or safety beyond its source books, which reflect their times.
"""
