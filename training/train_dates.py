"""Train TinyDates: a character tokenizer and a tiny encoder–decoder (MBart) — or its decoder-only twin (GPT-2) —
that rewrite a date in English or Chinese as ISO `YYYY-MM-DD` (the task: training/dates.py).

    python -m training.train_dates --model seq2seq   # → model/weights/tinydates
    python -m training.train_dates --model gpt       # → model/weights/tinydates-gpt
    python -m training.card_dates                    # both model cards, from their records

Every step draws a fresh batch of (source, target) pairs from the training dates, the forms uniformly mixed; the
held-out dates are never drawn. Every `--eval-every` steps the script records the training loss, the exact match of
greedy decoding on a fixed sample of held-out dates per form, and how two fixed probes, teacher-forced on their
correct target, attend from the output to the input (the encoder–decoder's cross-attention; the decoder's
attention from its target positions to its source positions): the record the lesson replays. It stops when every
form of that sample is right at `--stop-at` or at `--max-steps`, then scores `--final-per-form` held-out dates of
every form. A checkpoint goes to `--work` at every evaluation; `--resume` continues from it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from training import dates
from training.train import add_config_args, config_from_args, lr_at, make_optimizer, save_checkpoint

KINDS = ("seq2seq", "gpt")  # the encoder–decoder, and the decoder alone
OUT = {"seq2seq": Path("model/weights/tinydates"), "gpt": Path("model/weights/tinydates-gpt")}
SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]  # ids 0, 1, 2, 3
PAD, BOS, EOS = 0, 1, 2
SEPARATOR = "→"  # the decoder-only twin reads "<s>" + source + "→" and writes target + "</s>"
MAX_NEW_TOKENS = 12  # the ISO date's 10 characters and "</s>", with one to spare
# "the 3rd of March, 1921" and "一九二一年三月三日": their attention is recorded at every evaluation
PROBES = [dates.write(dates.EXAMPLE_DATE, form) for form in ("the_dth_of_month_y", "zh_numerals")]
PROBE_TARGET = dates.iso(dates.EXAMPLE_DATE)


@dataclass
class DatesConfig:
    """Defaults: the shipped TinyDates (`--model seq2seq`) and TinyDates-GPT (`--model gpt`)."""

    model: str = "seq2seq"  # "seq2seq" (MBart encoder–decoder) or "gpt" (GPT-2 decoder alone)
    d_model: int = 128  # residual stream width
    n_head: int = 4  # attention heads per block (head width 32)
    ffn: int = 512  # MLP width
    encoder_layers: int = 3  # seq2seq: encoder blocks
    decoder_layers: int = 3  # seq2seq: decoder blocks (self-attention, cross-attention, MLP)
    gpt_layers: int = 7  # gpt: blocks; 7 give about the encoder–decoder's parameter count
    max_positions: int = 64  # longest sequence: the gpt's "<s>" + 27-character source + "→" + 10 + "</s>" is 40
    batch_size: int = 128  # fresh synthetic pairs per step
    max_steps: int = 2000  # optimizer steps at most; the cosine schedule is planned over them
    lr: float = 2e-3  # peak learning rate (AdamW), cosine decay to lr / 10
    warmup_steps: int = 100
    weight_decay: float = 0.01
    eval_every: int = 100  # steps between evaluations / records / checkpoints
    eval_per_form: int = 100  # held-out dates per form scored at every evaluation (a fixed sample)
    stop_at: float = 1.0  # stop at the first evaluation where every form scores at least this (above 1: never)
    final_per_form: int = 1000  # held-out dates per form in the final evaluation (another fixed sample)
    seed: int = 1234
    threads: int = 1  # CPU threads torch may use


def build_tokenizer():
    """Character-level WordLevel tokenizer over every character the task can produce, wrapped for transformers:
    the source's characters then "</s>" (its post-processor appends it); decode() gives the string back."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate([*SPECIALS, SEPARATOR, *dates.characters()])}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), "isolated")  # every character its own piece, spaces too
    tok.decoder = decoders.Fuse()  # pieces joined as they are: no spaces added or removed
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B:1 </s>:1", special_tokens=[("</s>", EOS)]
    )
    tok.add_special_tokens(SPECIALS)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=64,
        clean_up_tokenization_spaces=False,
        model_input_names=["input_ids", "attention_mask"],  # MBart takes no token_type_ids
    )


def build_model(cfg: DatesConfig, vocab_size: int):
    """The seeded, untrained model: a pre-norm MBart or a GPT-2, no dropout, output layer tied to the embeddings."""
    from transformers import GenerationConfig, GPT2Config, GPT2LMHeadModel, MBartConfig, MBartForConditionalGeneration

    ids = {"pad_token_id": PAD, "bos_token_id": BOS, "eos_token_id": EOS}
    torch.manual_seed(cfg.seed)
    if cfg.model == "seq2seq":
        config = MBartConfig(
            vocab_size=vocab_size,
            d_model=cfg.d_model,
            encoder_layers=cfg.encoder_layers,
            decoder_layers=cfg.decoder_layers,
            encoder_attention_heads=cfg.n_head,
            decoder_attention_heads=cfg.n_head,
            encoder_ffn_dim=cfg.ffn,
            decoder_ffn_dim=cfg.ffn,
            max_position_embeddings=cfg.max_positions,
            dropout=0.0,
            attention_dropout=0.0,
            activation_dropout=0.0,
            activation_function="gelu",
            scale_embedding=False,
            decoder_start_token_id=BOS,
            forced_bos_token_id=None,
            forced_eos_token_id=None,
            tie_word_embeddings=True,
            **ids,
        )
        model = MBartForConditionalGeneration(config)
        start = {"decoder_start_token_id": BOS}
    elif cfg.model == "gpt":
        config = GPT2Config(
            vocab_size=vocab_size,
            n_positions=cfg.max_positions,
            n_embd=cfg.d_model,
            n_layer=cfg.gpt_layers,
            n_head=cfg.n_head,
            n_inner=cfg.ffn,
            resid_pdrop=0.0,
            embd_pdrop=0.0,
            attn_pdrop=0.0,
            tie_word_embeddings=True,
            **ids,
        )
        model = GPT2LMHeadModel(config)
        start = {}
    else:
        raise ValueError(f"--model must be one of {KINDS}, not {cfg.model!r}")
    greedy = {"do_sample": False, "num_beams": 1, "max_new_tokens": MAX_NEW_TOKENS}
    model.generation_config = GenerationConfig(**greedy, **ids, **start)
    return model


def chars(tokenizer, texts: list[str]) -> list[list[int]]:
    """Each text's character ids, no special tokens."""
    return tokenizer(texts, add_special_tokens=False)["input_ids"]


def gpt_prompt(tokenizer, source: str) -> list[int]:
    """The decoder-only twin's prompt: "<s>" + source + "→"."""
    return [BOS, *chars(tokenizer, [source + SEPARATOR])[0]]


def _pad(rows: list[list[int]], value: int) -> torch.Tensor:
    width = max(len(r) for r in rows)
    return torch.tensor([r + [value] * (width - len(r)) for r in rows])


def encode(tokenizer, pairs: list[tuple[str, str, str]], kind: str) -> dict[str, torch.Tensor]:
    """The model's keyword arguments for a batch of (source, target, form), labels included (-100: not scored).

    seq2seq: input_ids, attention_mask (B, S) = source + "</s>"; decoder_input_ids (B, 11) = "<s>" + target;
    labels (B, 11) = target + "</s>" (passed ourselves: MBart's own shift moves the last token to the front).
    gpt: input_ids, attention_mask, labels (B, T) for "<s>" + source + "→" + target + "</s>", scored only on
    target + "</s>" (the model shifts labels by one itself)."""
    sources, targets = [p[0] for p in pairs], [p[1] for p in pairs]
    target_ids = chars(tokenizer, targets)
    if kind == "seq2seq":
        batch = tokenizer(sources, padding=True, return_tensors="pt")
        batch["decoder_input_ids"] = _pad([[BOS, *t] for t in target_ids], PAD)
        batch["labels"] = _pad([[*t, EOS] for t in target_ids], -100)
        return dict(batch)
    rows, labels = [], []
    for source, target in zip(sources, target_ids, strict=True):
        prompt = gpt_prompt(tokenizer, source)
        rows.append([*prompt, *target, EOS])
        labels.append([-100] * len(prompt) + [*target, EOS])
    input_ids = _pad(rows, PAD)  # (B, T)
    return {"input_ids": input_ids, "attention_mask": (input_ids != PAD).long(), "labels": _pad(labels, -100)}


def batch_at(step: int, cfg: DatesConfig) -> list[tuple[str, str, str]]:
    """The training pairs of optimizer step `step`: drawn from (seed, step) alone, so a resumed run sees the same."""
    return dates.sample(np.random.default_rng([cfg.seed, step]), cfg.batch_size, "train")


@torch.no_grad()
def predict(model, tokenizer, sources: list[str], kind: str, batch: int = 512) -> list[str]:
    """Greedy output strings for `sources` through plain `generate` and the model's generation config.
    The decoder-only twin's prompts are batched by length, so no row needs padding."""
    model.eval()
    if kind == "seq2seq":
        out: list[str] = []
        for i in range(0, len(sources), batch):
            enc = tokenizer(sources[i : i + batch], padding=True, return_tensors="pt")
            out += tokenizer.batch_decode(model.generate(**enc), skip_special_tokens=True)
        return out
    prompts = [gpt_prompt(tokenizer, s) for s in sources]
    by_length: dict[int, list[int]] = defaultdict(list)
    for i, prompt in enumerate(prompts):
        by_length[len(prompt)].append(i)
    out = [""] * len(sources)
    for n, rows in by_length.items():
        ids = torch.tensor([prompts[i] for i in rows])  # (B, n)
        new = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids))[:, n:]  # (B, ≤ 12)
        for i, text in zip(rows, tokenizer.batch_decode(new, skip_special_tokens=True), strict=True):
            out[i] = text
    return out


def exact_match(
    model, tokenizer, kind: str, sample: dict[str, list[tuple[str, str, str]]], errors: int = 0
) -> tuple[dict[str, float], dict[str, list[dict]]]:
    """({form: share of its pairs decoded exactly}, {form: up to `errors` misses, {"source", "target", "output"}})."""
    flat = [p for pairs in sample.values() for p in pairs]
    guesses = iter(predict(model, tokenizer, [p[0] for p in flat], kind))
    scores, misses = {}, {}
    for form, pairs in sample.items():
        got = [next(guesses) for _ in pairs]
        scores[form] = float(np.mean([g == p[1] for g, p in zip(got, pairs, strict=True)]))
        misses[form] = [
            {"source": p[0], "target": p[1], "output": g} for g, p in zip(got, pairs, strict=True) if g != p[1]
        ][:errors]
    return scores, misses


@torch.no_grad()
def probe_attention(model, tokenizer, kind: str, source: str) -> np.ndarray:
    """How the output attends to the input on the probe `source`, teacher-forced on its target, 1921-03-03.

    seq2seq: the cross-attention (L, H, 11, S+1): rows "<s>" + the target's 10 characters (each row predicts
    the next output character), columns the source's characters + "</s>".
    gpt: (L, H, 11, S): rows the positions of "→" and the target's characters (what each predicts is the next),
    columns the source's characters; a row sums to less than 1 (the rest goes to "<s>", "→" and the target)."""
    target = PROBE_TARGET
    model.eval()
    model.set_attn_implementation("eager")  # sdpa returns no attention weights
    if kind == "seq2seq":
        enc = tokenizer(source, return_tensors="pt")
        dec = torch.tensor([[BOS, *chars(tokenizer, [target])[0]]])
        out = model(**enc, decoder_input_ids=dec, output_attentions=True, use_cache=False)
        pattern = torch.stack(out.cross_attentions)[:, 0]  # (L, H, 11, S+1)
    else:
        prompt = gpt_prompt(tokenizer, source)
        ids = torch.tensor([[*prompt, *chars(tokenizer, [target])[0]]])  # (1, T)
        full = torch.stack(model(input_ids=ids, output_attentions=True).attentions)[:, 0]  # (L, H, T, T)
        pattern = full[:, :, len(prompt) - 1 :, 1 : len(prompt) - 1]  # (L, H, 11, S)
    model.set_attn_implementation("sdpa")
    return pattern.float().numpy()


def probe_layout(tokenizer, kind: str) -> list[dict]:
    """What the rows and columns of each probe's recorded pattern are."""
    layout = []
    for source in PROBES:
        target = PROBE_TARGET
        rows = ["<s>" if kind == "seq2seq" else SEPARATOR, *target]
        columns = [*source, "</s>"] if kind == "seq2seq" else list(source)
        layout.append({"source": source, "target": target, "rows": rows, "columns": columns})
    return layout


def parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())  # tied weights counted once


def train(cfg: DatesConfig, out: Path, work: Path, resume: bool = False, quiet: bool = False) -> dict:
    """Train, record, evaluate and save to `out`; returns the training record (also `out/training_record.json`)."""
    torch.set_num_threads(cfg.threads)
    tokenizer = build_tokenizer()
    model = build_model(cfg, len(tokenizer))
    model.set_attn_implementation("sdpa")
    optimizer = make_optimizer(model, cfg.lr, cfg.weight_decay, (0.9, 0.98))
    watch = dates.held_out_sample(cfg.eval_per_form, seed=cfg.seed)  # the fixed sample every evaluation scores
    record = {
        "config": asdict(cfg),
        "task": "a date in English or Chinese → ISO YYYY-MM-DD, years 1800–2099",
        "forms": {form: dates.write(dates.EXAMPLE_DATE, form) for form in dates.FORMS},
        "held_out": {
            "rule": dates.HELD_OUT_RULE,
            "dates": int(len(dates.split("held_out"))),
            "of": int(len(dates.split("held_out")) + len(dates.split("train"))),
        },
        "probes": probe_layout(tokenizer, cfg.model),
        "parameters": parameters(model),
        "history": [],  # {"step", "train", "lr", "exact_match": {form: share}, "seconds", "train_seconds"}
    }
    patterns: dict[str, np.ndarray] = {}
    step, elapsed, stepping = 0, 0.0, 0.0
    ckpt = work / "checkpoint.pt"
    if resume and ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step, elapsed, record = state["step"], state["elapsed"], state["record"]
        stepping = record["history"][-1]["train_seconds"]
        if record["config"] != asdict(cfg):
            record.setdefault("resumed", []).append({"step": step, "config": asdict(cfg)})
            record["config"] = asdict(cfg)
        patterns = dict(np.load(work / "patterns.npz"))
    work.mkdir(parents=True, exist_ok=True)

    def evaluate_and_record(window: list[float]) -> bool:
        """One point of the record; True when every form of the fixed sample reached `stop_at`."""
        scores, _ = exact_match(model, tokenizer, cfg.model, watch)
        for i, source in enumerate(PROBES):
            patterns[f"probe{i}_step_{step}"] = probe_attention(model, tokenizer, cfg.model, source).astype(np.float16)
        record["history"].append(
            {
                "step": step,
                "train": float(np.mean(window)) if window else None,
                "lr": lr_at(max(0, step - 1), cfg),
                "exact_match": scores,
                "seconds": round(elapsed, 1),
                "train_seconds": round(stepping, 1),
            }
        )
        model.train()
        if not quiet:
            worst, mean = min(scores, key=scores.get), np.mean(list(scores.values()))
            loss = f"{np.mean(window):.4f}" if window else "-"
            tqdm.write(f"step {step}: loss {loss} | exact match {mean:.3f}, worst {worst} {scores[worst]:.2f}")
        np.savez_compressed(work / "patterns.npz", **patterns)
        save_checkpoint(ckpt, model, optimizer, step, elapsed, record)
        return min(scores.values()) >= cfg.stop_at

    t0 = time.perf_counter()
    done = evaluate_and_record([]) if step == 0 else min(record["history"][-1]["exact_match"].values()) >= cfg.stop_at
    model.train()
    bar = tqdm(total=cfg.max_steps, initial=step, desc=cfg.model, unit="step", mininterval=10, disable=quiet)
    window: list[float] = []
    while step < cfg.max_steps and not done:
        t_step = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, cfg)
        loss = model(**encode(tokenizer, batch_at(step, cfg), cfg.model), use_cache=False).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        stepping += time.perf_counter() - t_step
        step += 1
        window.append(loss.item())
        bar.update(1)
        if step % cfg.eval_every == 0 or step == cfg.max_steps:
            elapsed += time.perf_counter() - t0
            t0 = time.perf_counter()
            done = evaluate_and_record(window)
            window = []
    bar.close()
    elapsed += time.perf_counter() - t0
    model.eval()
    record["steps"], record["seconds"], record["train_seconds"] = step, round(elapsed, 1), round(stepping, 1)
    final = dates.held_out_sample(cfg.final_per_form, seed=cfg.seed + 1, besides=watch)
    scores, misses = exact_match(model, tokenizer, cfg.model, final, errors=5)
    evaluation = {
        "exact_match": scores,  # {form: share of its held-out dates decoded exactly}
        "mean_exact_match": float(np.mean(list(scores.values()))),
        "per_form": cfg.final_per_form,  # held-out dates per form, none of those training watched
        "held_out_rule": dates.HELD_OUT_RULE,
        "errors": misses,  # {form: up to 5 misses: {"source", "target", "output"}}
        "parameters": record["parameters"],
        "steps": step,
    }
    record["evaluation"] = evaluation
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    (out / "training_record.json").write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / "evaluation.json").write_text(json.dumps(evaluation, indent=1, ensure_ascii=False), encoding="utf-8")
    np.savez_compressed(out / "training_attention.npz", **patterns)
    return record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="where the model goes (default: by --model)")
    parser.add_argument("--work", type=Path, default=None, help="checkpoints (default: runs/<the out folder's name>)")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint in --work")
    add_config_args(parser, DatesConfig(), {"model": KINDS})
    args = parser.parse_args(argv)
    cfg = config_from_args(args, DatesConfig)
    out = args.out or OUT[cfg.model]
    train(cfg, out, args.work or Path("runs") / out.name, resume=args.resume)


if __name__ == "__main__":
    main()
