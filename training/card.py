"""Write a TinyTales model card (English or Chinese corpus) from its training record and evaluation (see
training/report.py). What differs by corpus — name, sources, limits — is in CORPUS; the rest is measured."""

from __future__ import annotations

import numpy as np

from model.numeric import strongest_head
from training.train import repeat_span

CORPUS = {
    "en": {
        "title": "TinyTales",
        "about": "trained from scratch on public-domain children's books",
        "data": (
            "The texts are public-domain English children's literature and fairy tales from Project Gutenberg\n"
            "(via the GITenberg mirrors), with the Project Gutenberg header, footer and licence text removed.\n"
            "They are public domain in the USA; check the status for your own jurisdiction before\n"
            "redistributing. The corpus itself is not part of this repository."
        ),
        "limits": (
            "- A few million parameters trained on 19 MB of old children's books: it writes fairy-tale English with\n"
            "  old spelling and dialogue, loses the thread after a sentence or two, and knows no facts.\n"
            "- It has seen almost no text in other languages: Chinese and emoji are spelled out as byte tokens and\n"
            "  predicted poorly — useful for the tokens lesson, not for generation (TinyTales 中文 reads Chinese)."
        ),
    },
    "zh": {
        "title": "TinyTales 中文",
        "about": "trained from scratch on public-domain Chinese fiction (鲁迅, 许地山, 柔石 and six classic vernacular novels)",
        "data": (
            "The texts are public-domain Chinese narrative prose in simplified characters: 鲁迅's stories and\n"
            "memoirs, 许地山 and 柔石, and the vernacular novels 西游记, 红楼梦, 儒林外史, 镜花缘, 儿女英雄传 and\n"
            "济公全传 — authors who died in 1945 or earlier, or pre-modern works, with the modern editorial notes\n"
            "removed (the corpus' MANIFEST.md gives sources, cleaning and the public-domain basis). Whole works are\n"
            "held out, one modern and one classic. The corpus itself is not part of this repository."
        ),
        "limits": (
            "- A few million parameters trained on 13 MB of Chinese fiction, about 83% of it pre-modern vernacular:\n"
            "  it writes in the voice of 红楼梦 and 西游记 more than of modern Chinese, loses the thread within a\n"
            "  clause or two, and knows no facts.\n"
            "- Its tokenizer was trained on Chinese text only: English words fall apart into single letters.\n"
            "- It was trained on far fewer tokens than TinyTales (2 CPU cores, one session), so its loss is higher."
        ),
    },
}


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
    legs = record.get("history") or _legs(record)
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


def _legs(record: dict) -> list[dict]:
    """Legs of a run resumed with a changed step budget, from the record's "resumed" entries."""
    resumed = record.get("resumed", [])
    if not resumed:
        return []
    starts = [0] + [r["step"] for r in resumed]
    ends = starts[1:] + [record["loss"][-1]["step"]]
    first = record.get("first_config", resumed[0]["config"])  # the plan before any resume
    plans = [first["max_steps"]] + [r["config"]["max_steps"] for r in resumed]
    cfg = record["config"]
    data = (
        f"from step {cfg['repeat_from']:,}, {cfg['repeat_fraction']:.0%} repeat text; from step "
        f"{cfg['random_repeat_from']:,}, {cfg['random_repeat_fraction']:.0%} repeat random tokens"
    )
    return [
        {"steps": f"{a:,}–{b:,}", "schedule": f"cosine planned over {plan:,} steps", "data": data}
        for a, b, plan in zip(starts, ends, plans, strict=True)
        if b > a
    ]


def _positions(cfg: dict) -> str:
    if cfg.get("position_init") == "sinusoidal":
        return "learned position embeddings, started from the original Transformer's sin/cos codes"
    return "learned position embeddings"


def _position_note(cfg: dict) -> str:
    if cfg.get("position_init") != "sinusoidal":
        return ""
    earlier = (
        " (An earlier TinyTales of the same shape, started from random position vectors, had after 5,800 steps "
        "only layer-2 heads that look roughly nearby; its best previous-token score was 0.35.)"
        if cfg.get("language", "en") == "en"
        else ""
    )
    return (
        "The position embeddings start as sin/cos codes (at the scale of GPT-2's random start) and are then "
        "learned. In those codes position p + 1 is one fixed rotation of position p, so a head can learn to look "
        f"exactly one token back with a single linear map.{earlier}\n\n"
    )


def _init_note(record: dict) -> str:
    """Where the blocks started, for a model warm-started from another's (`init_from`), and the cold starts that
    came before it (record["cold_starts"]: {"run", "result"})."""
    source = record["config"].get("init_from")
    if not source:
        return ""
    earlier = "".join(f"\n- {run['run']}: {run['result']}" for run in record.get("cold_starts", []))
    if earlier:
        earlier = "\n\nThe runs from scratch before it, none shipped:" + earlier
    return (
        f"Its blocks, final norm and position embeddings started from `{source}`'s trained weights (same shape, "
        "`--init-from`); its token embeddings started afresh, drawn at that model's own scale, since the ids of "
        "another tokenizer mean other tokens. What TinyTales' previous-token and induction heads do — look one "
        "position back, then copy what followed the same token before — depends on positions and on matching a "
        "token with itself, not on the language. With fresh token embeddings its induction head already scored "
        f"0.23 on repeated random tokens (3 seeds of 32) before any step here.{earlier}\n\n"
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


def _induction_limits(ind: tuple[int, int, float], record: dict, clear: float = 0.5) -> str:
    """How greedy decoding behaves, and (when no head copies yet) the missing induction head."""
    if ind[2] >= clear:
        return (
            "- Greedy decoding soon repeats itself: its induction head copies what came before. Sampling\n"
            "  (temperature around 0.8) reads better.\n"
        )
    tokens = record["loss"][-1]["tokens"]
    return (
        "- Greedy decoding soon repeats itself; sampling (temperature around 0.8) reads better.\n"
        f"- **No induction head yet**: the best head scores {ind[2]:.2f} on repeated random tokens (a clear one "
        f"scores 0.5 or more). It has seen {tokens / 1e6:.1f} M training tokens; TinyTales' induction heads "
        "appeared after about 15 M. Training continues from this folder with `python -m training.train --resume` "
        "(the same flags as the run, a larger `--max-steps`; `--device cuda` where there is a GPU).\n"
    )


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
        f"{share[2]} two back and {share[3]} three back): the stripe it draws is blurred.{tried}\n"
    )


def model_card(record: dict, report: dict) -> str:
    cfg = record["config"]
    last = record["loss"][-1]
    hours = last["seconds"] / 3600
    prev = strongest_head(report["heads"]["previous_token"])
    ind = strongest_head(report["heads"]["induction"])
    corpus = dict(CORPUS[report.get("language", "en")])
    if cfg.get("init_from"):  # not from scratch: its blocks started from another model's
        corpus["about"] = corpus["about"].replace("trained from scratch on", "trained on") + (
            f",\nits blocks started from `{cfg['init_from']}`'s"
        )
    name = corpus["title"]
    top5 = "\n".join(
        f'- after "{row["prompt"]}": ' + ", ".join(f"`{t['token']}` ({t['probability']:.1%})" for t in row["tokens"])
        for row in report["top5"]
    )
    greedy = "\n".join(f"- **{row['prompt']}**{row['text'].replace(chr(10), ' ¶ ')}" for row in report["greedy"])
    margin = report["bigram_val_loss"] - report["val_loss"]
    autocast = "bf16 autocast on the CPU" if cfg.get("bf16") else "float32"
    return f"""# {name}

A small GPT-2-architecture language model {corpus["about"]},
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
{corpus["data"]}

## Training

`python -m training.train` — AdamW (β = 0.9, 0.95, weight decay {cfg["weight_decay"]}), {cfg["warmup_steps"]} warm-up steps and cosine
decay to a tenth of the peak, batches of {cfg["batch_size"]} × {cfg["n_positions"]} tokens, {last["step"]:,} steps ({last["tokens"]:,} tokens,
about {last["tokens"] / record["train_tokens"]:.1f} epochs), {autocast}, no dropout, seed {cfg["seed"]}. Training took
{hours:.1f} hours on 2 CPU cores.

{_position_note(cfg)}{_init_note(record)}{_curriculum(record)}

{_emergence(record)}

The loss curve, sampled continuations every {cfg["eval_every"]} steps and the attention patterns of every
head on a fixed probe prompt are in `training_record.json` and `training_attention.npz`.

## Quality

| | nats per token | nats per character |
|---|---|---|
| {name}, held-out books | **{report["val_loss"]:.3f}** | **{report["val_loss_per_char"]:.3f}** |
| smoothed bigram of the same tokenizer (interpolated, λ = {report["bigram_lambda"]}), held-out books | {report["bigram_val_loss"]:.3f} | {report["bigram_val_loss_per_char"]:.3f} |
| {name}, a training sample of the same size | {report["train_loss_sample"]:.3f} | |

{name} beats the bigram baseline by {margin:.2f} nats per token (perplexity {np.exp(report["val_loss"]):.0f} vs
{np.exp(report["bigram_val_loss"]):.0f}); a token is {report["chars_per_token"]:.2f} characters of the held-out text on average.

Top 5 next tokens:

{top5}

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

{corpus["limits"]}
- Context of {cfg["n_positions"]} tokens; longer prompts are cut by the app with a notice.
{_induction_limits(ind, record)}{_diffuse_previous(prev, report["heads"], record.get("trials", []))}- Trained for teaching; not evaluated for bias or safety beyond its source books, which reflect their times.
"""
