"""Write the model cards of TinyDates and TinyDates-GPT from their training records and evaluations.

    python -m training.card_dates                   # both folders, model/weights/tinydates{,-gpt}
    python -m training.card_dates --model gpt       # one

Beside the record's numbers the card reports what the shipped model really writes for a few inputs outside
its task (years outside 1800–2099, other spellings, a date that does not exist): run here, not made up.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path

from training import dates
from training.train_dates import KINDS, MAX_NEW_TOKENS, OUT, PROBES, SEPARATOR, predict

# (input, what is unusual about it, the right answer or "" where there is none)
BEYOND = [
    ("3 March 1750", "year before 1800", "1750-03-03"),
    ("3 March 2150", "year after 2099", "2150-03-03"),
    ("March 3rd, 1921", "ordinal in the month-first form", "1921-03-03"),
    ("3 MARCH 1921", "capitals", "1921-03-03"),
    ("03/03/1921", "digits and slashes", "1921-03-03"),
    ("Sept 3 1921", "another abbreviation", "1921-09-03"),
    ("1921-03-03", "already ISO", "1921-03-03"),
    ("February 30, 1921", "a date that does not exist", ""),
    ("3 march 1921", "month in lower case", "1921-03-03"),
    ("1921年03月03日", "leading zeros", "1921-03-03"),
]
NAMES = {"seq2seq": "TinyDates", "gpt": "TinyDates-GPT"}


def load(kind: str, folder: Path):
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    auto = AutoModelForSeq2SeqLM if kind == "seq2seq" else AutoModelForCausalLM
    return auto.from_pretrained(folder).eval(), AutoTokenizer.from_pretrained(folder)


def beyond(kind: str, folder: Path) -> list[dict]:
    """What the shipped model writes for each of BEYOND's inputs."""
    model, tokenizer = load(kind, folder)
    outputs = predict(model, tokenizer, [b[0] for b in BEYOND], kind)
    return [
        {"input": text, "unusual": why, "right": right, "output": out}
        for (text, why, right), out in zip(BEYOND, outputs, strict=True)
    ]


def loading(kind: str, folder: Path) -> str:
    """A few lines that load the model with plain transformers and rewrite one date (as `ruff format` writes
    them: the README's and the cards' code is checked like the rest)."""
    if kind == "seq2seq":
        return f"""```python
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

tok = AutoTokenizer.from_pretrained("{folder}")
model = AutoModelForSeq2SeqLM.from_pretrained("{folder}")
ids = model.generate(**tok("3 March 1921", return_tensors="pt"))
print(tok.decode(ids[0], skip_special_tokens=True))
```

It prints `1921-03-03`."""
    return f"""```python
from transformers import AutoModelForCausalLM, AutoTokenizer

tok = AutoTokenizer.from_pretrained("{folder}")
model = AutoModelForCausalLM.from_pretrained("{folder}")
ids = model.generate(**tok("<s>3 March 1921{SEPARATOR}", add_special_tokens=False, return_tensors="pt"))
print(tok.decode(ids[0], skip_special_tokens=True))
```

It prints the prompt and what follows it: `3 March 1921{SEPARATOR}1921-03-03`."""


def _para(text: str) -> str:
    """One paragraph of prose, wrapped for reading the card as text."""
    return textwrap.fill(" ".join(text.split()), 115, break_long_words=False, break_on_hyphens=False)


def _unknown(text: str) -> str:
    """The characters of `text` the tokenizer reads as <unk>, or "—"."""
    known = set(dates.characters())
    missing = sorted({c for c in text if c not in known})
    return " ".join(f"`{c}`" for c in missing) if missing else "—"


def _shown(output: str) -> str:
    return f"`{output}`" if output else "nothing (special tokens only)"


def _verdict(tried: dict) -> str:
    if not tried["right"]:
        return "(no such date)"
    return "right" if tried["output"] == tried["right"] else f"wrong: {tried['right']}"


def _describe(kind: str, cfg: dict) -> dict[str, str]:
    """The sentences that differ between the encoder–decoder and the decoder alone."""
    if kind == "seq2seq":
        return {
            "what": "a tiny encoder–decoder",
            "shows": "cross-attention",
            "auto": "AutoModelForSeq2SeqLM",
            "arch": "MBart (`MBartForConditionalGeneration`): pre-norm BART, learned positions, output layer tied to "
            "the token embeddings, which encoder and decoder share",
            "shape": f"encoder {cfg['encoder_layers']} blocks, decoder {cfg['decoder_layers']} blocks; "
            f"{cfg['n_head']} heads; width {cfg['d_model']}, MLP {cfg['ffn']}",
            "reads": "The encoder reads the source's characters and `</s>`; the decoder starts from `<s>` and writes "
            "the ten characters of the ISO date and `</s>`, greedily (`generation_config.json`: at most "
            f"{MAX_NEW_TOKENS} new tokens). Its cross-attention is where the output looks back at the input.",
            "attention": "the cross-attention, (layers, heads, 11, source characters + 1): rows `<s>` and the ten "
            "target characters (each row predicts the next output character), columns the source's characters "
            "and `</s>`",
        }
    return {
        "what": "a tiny decoder-only transformer",
        "shows": "the same task done by a GPT",
        "auto": "AutoModelForCausalLM",
        "arch": "GPT-2 (`GPT2LMHeadModel`): a decoder alone, pre-norm, learned positions, output layer tied to the "
        "token embeddings",
        "shape": f"{cfg['gpt_layers']} blocks, {cfg['n_head']} heads, width {cfg['d_model']}, MLP {cfg['ffn']}",
        "reads": f"It reads and writes one sequence, `<s>` + source + `{SEPARATOR}` + target + `</s>`, trained with "
        f"the loss on the target and `</s>` only, and writes the date greedily after `{SEPARATOR}`. It is TinyDates' "
        "task without an encoder: the same tokenizer and data, about the same number of parameters. Where "
        "TinyDates' decoder looks at the source through cross-attention, this one looks back at it with the same "
        "causal self-attention that reads its own output.",
        "attention": f"the attention from the target positions to the source positions, (layers, heads, 11, source "
        f"characters): rows `{SEPARATOR}` and the ten target characters (each row predicts the next output "
        f"character), columns the source's characters; a row sums to less than 1, the rest going to `<s>`, "
        f"`{SEPARATOR}` and the target written so far",
    }


def card(kind: str, folder: Path, record: dict, ev: dict, tried: list[dict], sibling: dict | None = None) -> str:
    """The model card's text. `sibling`: the other model's training record, for a comparison line."""
    cfg, held, last = record["config"], record["held_out"], record["history"][-1]
    say = _describe(kind, cfg)
    forms = "\n".join(
        f"| `{form}` | {example} | {ev['exact_match'][form]:.1%} |" for form, example in record["forms"].items()
    )
    misses = [m for form in record["forms"] for m in ev["errors"][form]]
    missed = (
        "Its misses there (at most five per form): "
        + "; ".join(f"`{m['source']}` → `{m['output']}` (not {m['target']})" for m in misses)
        + "."
        if misses
        else "It missed none."
    )
    tried_rows = "\n".join(
        f"| `{t['input']}` | {t['unusual']} | {_unknown(t['input'])} | {_shown(t['output'])} | {_verdict(t)} |"
        for t in tried
    )
    first_all = next((h["step"] for h in record["history"] if min(h["exact_match"].values()) >= 0.95), None)
    stopped = (
        f"It stopped at step {record['steps']:,} of the {cfg['max_steps']:,} planned."
        if record["steps"] < cfg["max_steps"]
        else "It ran all the planned steps."
    )
    compare = ""
    if sibling:
        other = NAMES["gpt" if kind == "seq2seq" else "seq2seq"]
        compare = (
            f"{other}, the same task by {'a decoder alone' if kind == 'seq2seq' else 'an encoder–decoder'} "
            f"({sibling['parameters']:,} parameters), took {sibling['steps']:,} steps and "
            f"{sibling['train_seconds']:,.0f} seconds the same way."
        )
    intro = _para(
        f"{say['what'].capitalize()} that rewrites a date written in English or Chinese as ISO `YYYY-MM-DD`, "
        "trained from scratch by our own code (`training/train_dates.py`) and bundled with LLM Walkthrough so the "
        f"lessons can show {say['shows']} on a real model, offline. It loads with plain `{say['auto']}` / "
        "`AutoTokenizer`."
    )
    training = _para(
        f"`python -m training.train_dates --model {kind}`: {record['steps']:,} steps of {cfg['batch_size']} fresh "
        f"pairs ({record['steps'] * cfg['batch_size']:,} pairs, the forms uniformly mixed), "
        f"{record['train_seconds']:,.0f} seconds of optimizer steps ({record['seconds']:,.0f} with the evaluations) "
        f"on {cfg['threads']} CPU thread{'s' if cfg['threads'] > 1 else ''}. AdamW (β = 0.9, 0.98, weight decay "
        f"{cfg['weight_decay']}), peak learning rate {cfg['lr']:g} after {cfg['warmup_steps']} warm-up steps, "
        f"cosine decay to a tenth planned over {cfg['max_steps']:,} steps; float32, no dropout, seed {cfg['seed']}. "
        f"Every {cfg['eval_every']} steps it scored greedy decoding on {cfg['eval_per_form']} fixed held-out dates "
        f"per form, to stop at the first evaluation where every form scored at least {cfg['stop_at']:.0%}. "
        + (f"Every form first passed 95% at step {first_all:,}. " if first_all else "")
        + f"{stopped} Training loss over its last {cfg['eval_every']} steps: {last['train']:.4f} nats per target "
        f"character. {compare}"
    )
    record_para = _para(
        f"The record (`training_record.json`, `training_attention.npz`) keeps, every {cfg['eval_every']} steps, the "
        "loss, the per-form exact match and, for the probes "
        + " and ".join(f"`{p}`" for p in PROBES)
        + f" teacher-forced on their target, {say['attention']}: keys `probe0_step_<step>`, "
        "`probe1_step_<step>`, float16; the record's `probes` name the rows and columns."
    )
    return f"""# {NAMES[kind]}

{intro}

## Model

| | |
|---|---|
| architecture | {say["arch"]} |
| shape | {say["shape"]} |
| context | {cfg["max_positions"]} positions |
| vocabulary | {len(dates.characters()) + 5} tokens: `<pad>` `<s>` `</s>` `<unk>`, `{
        SEPARATOR
    }`, one per character the task uses |
| parameters | {record["parameters"]:,} |

{
        _para(
            "The tokenizer is character level: a `tokenizers` WordLevel model, every character its own piece, spaces "
            "included, decoding joins the pieces back exactly; the same tokenizer for TinyDates and TinyDates-GPT. "
            + say["reads"]
        )
    }

## Task

{
        _para(
            f"Years {dates.FIRST.year}–{dates.LAST.year}, real calendar dates only (the Gregorian calendar's leap "
            f"years: 2000-02-29 exists, 1900-02-29 does not). Seven forms, here each writing "
            f"{dates.iso(dates.EXAMPLE_DATE)}; the exact match is the final evaluation's:"
        )
    }

| form | example | exact match |
|---|---|---:|
{forms}

{
        _para(
            f"Held out: {held['dates']:,} of the {held['of']:,} dates ({held['dates'] / held['of']:.1%}): "
            f"{held['rule']}. Every score on this card is on held-out dates only."
        )
    }

## Training

{training}

{record_para}

## Quality

{
        _para(
            f"Exact match of the greedy output on {ev['per_form']:,} held-out dates per form, a fixed sample with none "
            f"of the dates training watched to decide when to stop: **{ev['mean_exact_match']:.1%}** on average, per "
            f"form in the table above. {missed}"
        )
    }

## What it does not do

{
        _para(
            f"It knows the seven forms and the years {dates.FIRST.year}–{dates.LAST.year}, and has no way to refuse: "
            "whatever it reads, it writes something shaped like a date. What the shipped model writes for a few "
            "inputs outside its task (run by `python -m training.card_dates`):"
        )
    }

| input | unusual | read as `<unk>` | output | |
|---|---|---|---|---|
{tried_rows}

## Load it

{loading(kind, folder)}
"""


def write_card(kind: str, folder: Path) -> str:
    record = json.loads((folder / "training_record.json").read_text(encoding="utf-8"))
    ev = json.loads((folder / "evaluation.json").read_text(encoding="utf-8"))
    twin = folder.parent / OUT["gpt" if kind == "seq2seq" else "seq2seq"].name / "training_record.json"
    sibling = json.loads(twin.read_text(encoding="utf-8")) if twin.exists() else None
    text = card(kind, folder, record, ev, beyond(kind, folder), sibling)
    (folder / "MODEL_CARD.md").write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=(*KINDS, "both"), default="both")
    parser.add_argument("--out", type=Path, default=None, help="the model's folder (default: by --model)")
    args = parser.parse_args(argv)
    for kind in KINDS if args.model == "both" else (args.model,):
        folder = args.out or OUT[kind]
        write_card(kind, folder)
        print(f"wrote {folder / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
