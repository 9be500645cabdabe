"""Train TinyTales MLM: a small BERT masked-language model on the English corpus, with TinyTales' own
tokenizer plus the four special tokens BERT needs ([PAD] [CLS] [SEP] [MASK]).

    python -m training.train_mlm --corpus ../shared/corpus/books --out model/weights/tinytales-mlm \
        --work runs/tinytales-mlm            # add --resume to continue from the checkpoint in --work

The same whole books as TinyTales are held out. Each step masks 15 % of the tokens with transformers'
`DataCollatorForLanguageModeling` (80 % [MASK], 10 % a random token, 10 % unchanged; the loss counts only
there). Every `--eval-every` steps it measures held-out loss and masked top-1 / top-5 accuracy, fills the
masks of fixed sentences, scores every head on a probe, and writes a checkpoint.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from model.numeric import offset_attention, previous_token_score
from training.train import (
    EOT,
    PROBE_PROMPTS,
    add_config_args,
    config_from_args,
    encode_books,
    list_books,
    lr_at,
    make_optimizer,
    read_book,
    save_checkpoint,
    split_books,
)

SPECIALS = {"pad_token": "[PAD]", "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]"}
# byte-level BPE keeps a word's space in front of it (" cat"): a [MASK] takes the space before it, as in RoBERTa,
# so "a little [MASK]" asks for " cat" and not for a lone space followed by "cat"
# sentences whose masks the record fills every evaluation: the replay of how filling in was learned
FILL_PROMPTS = [
    "Once upon a time there was a little [MASK] who lived in a [MASK].",
    'The king said to the [MASK], "Go and bring me the [MASK]."',
    "Alice was [MASK] tired of sitting by her sister on the [MASK].",
]


@dataclass
class MlmConfig:
    n_layer: int = 4
    n_head: int = 8
    n_embd: int = 256
    n_inner: int = 1024
    n_positions: int = 128  # [CLS] + 126 tokens + [SEP]
    batch_size: int = 32
    max_steps: int = 8000
    lr: float = 1e-3  # peak (AdamW), cosine decay to lr / 10
    warmup_steps: int = 300
    weight_decay: float = 0.01
    eval_every: int = 200
    eval_batches: int = 20
    mask_probability: float = 0.15
    seed: int = 1234
    tokenizer: str = "model/weights/tinytales"  # whose BPE it reads; its record names the held-out books
    warm_start: bool = True  # start the token and position embeddings from that decoder's (same tokenizer)


def build_tokenizer(source: str):
    """TinyTales' tokenizer with [PAD] [CLS] [SEP] [MASK] added, and "[CLS] text [SEP]" around every input."""
    from tokenizers import AddedToken, processors
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source)
    tokenizer.add_special_tokens({**SPECIALS, "mask_token": AddedToken(SPECIALS["mask_token"], lstrip=True)})
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    tokenizer.backend_tokenizer.post_processor = processors.Sequence(
        [
            processors.ByteLevel(trim_offsets=False),
            processors.TemplateProcessing(
                single="[CLS] $A [SEP]",
                pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
            ),
        ]
    )
    return tokenizer


def build_model(cfg: MlmConfig, tokenizer):
    from transformers import BertConfig, BertForMaskedLM

    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=cfg.n_embd,
        num_hidden_layers=cfg.n_layer,
        num_attention_heads=cfg.n_head,
        intermediate_size=cfg.n_inner,
        max_position_embeddings=cfg.n_positions,
        type_vocab_size=2,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    torch.manual_seed(cfg.seed)
    model = BertForMaskedLM(config)
    if cfg.warm_start:
        warm_embeddings(model, cfg.tokenizer)
    return model


def warm_embeddings(model, decoder: str) -> None:
    """Copy TinyTales' trained token embeddings (and its first positions) into the encoder: the same tokenizer,
    so row i is the same token. From a random start this small post-norm BERT sat for 1,000 steps at about the
    frequent-token plateau (14% top-1 at the masks); started from these rows it was there after 150."""
    from transformers import AutoModelForCausalLM

    source = AutoModelForCausalLM.from_pretrained(decoder).transformer
    embeddings = model.bert.embeddings
    with torch.no_grad():
        rows = source.wte.weight.shape[0]
        embeddings.word_embeddings.weight[:rows] = source.wte.weight
        n = embeddings.position_embeddings.weight.shape[0]
        embeddings.position_embeddings.weight[:] = source.wpe.weight[:n]


def windows(data: np.ndarray, cfg: MlmConfig, rng: np.random.Generator, tokenizer) -> torch.Tensor:
    """(B, T) windows of the token stream, each "[CLS] … [SEP]"; <|endoftext|> between books becomes [SEP]."""
    body = cfg.n_positions - 2
    starts = rng.integers(0, len(data) - body, size=cfg.batch_size)
    rows = np.stack([data[s : s + body] for s in starts]).astype(np.int64)  # (B, T-2)
    rows[rows == tokenizer.convert_tokens_to_ids(EOT)] = tokenizer.sep_token_id
    cls = np.full((cfg.batch_size, 1), tokenizer.cls_token_id)
    sep = np.full((cfg.batch_size, 1), tokenizer.sep_token_id)
    return torch.from_numpy(np.concatenate([cls, rows, sep], axis=1))


def mask_batch(collator, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(inputs, labels): BERT's 80/10/10 masking by transformers' collator; labels -100 where not chosen."""
    batch = collator([{"input_ids": row} for row in ids])
    return batch["input_ids"], batch["labels"]


def masked_loss(model, inputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """BertForMaskedLM's loss, with the output head run only where a label is: the same number (a test checks)
    for about 40 % less work, since the head's vocabulary-wide product dominates a model this small."""
    hidden = model.bert(input_ids=inputs).last_hidden_state  # (B, T, W)
    chosen = labels != -100  # (B, T)
    logits = model.cls(hidden[chosen])  # (M, V)
    return torch.nn.functional.cross_entropy(logits, labels[chosen])


@torch.no_grad()
def evaluate(model, data: np.ndarray, cfg: MlmConfig, tokenizer, frequent: np.ndarray) -> dict:
    """Held-out loss and masked accuracy on fixed windows and a fixed draw of masks; beside them the same
    accuracy of always guessing the training text's most frequent tokens (`frequent`, most first)."""
    from transformers import DataCollatorForLanguageModeling

    model.eval()
    rng = np.random.default_rng(0)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=cfg.mask_probability, seed=0)
    losses, top1, top5, base1, base5, n = [], 0, 0, 0, 0, 0
    for _ in range(cfg.eval_batches):
        inputs, labels = mask_batch(collator, windows(data, cfg, rng, tokenizer))
        logits = model(input_ids=inputs).logits  # (B, T, V)
        losses.append(torch.nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten()).item())
        chosen = labels != -100
        truth = labels[chosen]  # (M,)
        best = logits[chosen].topk(5, dim=-1).indices  # (M, 5)
        top1 += int((best[:, 0] == truth).sum())
        top5 += int((best == truth[:, None]).any(-1).sum())
        base1 += int(np.isin(truth.numpy(), frequent[:1]).sum())
        base5 += int(np.isin(truth.numpy(), frequent[:5]).sum())
        n += int(chosen.sum())
    model.train()
    return {
        "val": float(np.mean(losses)),
        "top1": top1 / n,
        "top5": top5 / n,
        "baseline_top1": base1 / n,
        "baseline_top5": base5 / n,
    }


@torch.no_grad()
def snapshot(model, tokenizer) -> tuple[list[dict], np.ndarray, dict]:
    """Each fixed sentence with its masks filled (greedy), and every head's pattern and scores on the probe."""
    model.eval()
    samples = []
    for prompt in FILL_PROMPTS:
        enc = tokenizer(prompt, return_tensors="pt")
        logits = model(**enc).logits[0]  # (T, V)
        ids = enc["input_ids"][0].clone()
        where = ids == tokenizer.mask_token_id
        ids[where] = logits[where].argmax(-1)
        filled = [tokenizer.decode([i]) for i in ids[where].tolist()]
        samples.append({"prompt": prompt, "greedy": tokenizer.decode(ids[1:-1]), "fills": filled})
    probe = tokenizer(PROBE_PROMPTS["en"], return_tensors="pt")
    model.set_attn_implementation("eager")  # sdpa returns no attention weights
    pattern = torch.stack(model(**probe, output_attentions=True).attentions)[:, 0].float().numpy()  # (L, H, T, T)
    model.set_attn_implementation("sdpa")
    flipped = pattern[..., ::-1, ::-1]  # the next token becomes the previous one
    scores = {
        "previous_token": previous_token_score(pattern).astype(float).round(3).tolist(),  # (L, H)
        "next_token": offset_attention(flipped, 1).astype(float).round(3).tolist(),  # (L, H)
    }
    model.train()
    return samples, pattern, scores


def frequent_tokens(data: np.ndarray, tokenizer, k: int = 5) -> np.ndarray:
    """The k most frequent token ids of the training text (the baseline's guesses), most first."""
    counts = np.bincount(data, minlength=len(tokenizer))
    counts[tokenizer.convert_tokens_to_ids(EOT)] = 0
    return np.argsort(-counts, kind="stable")[:k]


def prepare_data(corpus: Path, work: Path, cfg: MlmConfig, tokenizer):
    record = json.loads((Path(cfg.tokenizer) / "training_record.json").read_text(encoding="utf-8"))
    names = ",".join(Path(n).stem for n in record["val_books"])
    train_books, val_books = split_books(list_books(corpus), len(record["val_books"]), cfg.seed, names)
    if (work / "train.npy").exists():
        return np.load(work / "train.npy"), np.load(work / "val.npy"), train_books, val_books
    work.mkdir(parents=True, exist_ok=True)
    train_ids = encode_books(tokenizer, [read_book(p) for p in train_books])
    val_ids = encode_books(tokenizer, [read_book(p) for p in val_books])
    np.save(work / "train.npy", train_ids)
    np.save(work / "val.npy", val_ids)
    return train_ids, val_ids, train_books, val_books


def train(corpus: Path, out: Path, work: Path, cfg: MlmConfig, resume: bool = False, export_only: bool = False) -> dict:
    """Train, record and save to `out`; returns the training record. `export_only`: save the checkpoint as is."""
    from transformers import DataCollatorForLanguageModeling

    tokenizer = build_tokenizer(cfg.tokenizer)
    train_ids, val_ids, train_books, val_books = prepare_data(corpus, work, cfg, tokenizer)
    frequent = frequent_tokens(train_ids, tokenizer)
    model = build_model(cfg, tokenizer)
    model.set_attn_implementation("sdpa")
    optimizer = make_optimizer(model, cfg.lr, cfg.weight_decay, (0.9, 0.98))
    record = {
        "config": asdict(cfg),
        "objective": "masked",
        "train_books": [p.name for p in train_books],
        "val_books": [p.name for p in val_books],
        "train_tokens": int(len(train_ids)),
        "val_tokens": int(len(val_ids)),
        "probe_prompt": PROBE_PROMPTS["en"],
        "loss": [],  # {"step", "tokens", "train", "val", "top1", "top5", "baseline_top1", "baseline_top5", "seconds"}
        "samples": [],  # {"step", "samples": [{"prompt", "greedy", "fills"}]}
        "heads": [],  # {"step", "previous_token": (L, H), "next_token": (L, H)}
    }
    patterns: dict[str, np.ndarray] = {}
    step, elapsed = 0, 0.0
    ckpt = work / "checkpoint.pt"
    if (resume or export_only) and ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step, elapsed, record = state["step"], state["elapsed"], state["record"]
        if not export_only and record["config"] != asdict(cfg):
            record.setdefault("resumed", []).append({"step": step, "config": asdict(cfg)})
            record["config"] = asdict(cfg)
        patterns = dict(np.load(work / "patterns.npz"))
        torch.set_rng_state(state["torch_rng"])
    elif export_only:
        raise FileNotFoundError(f"No checkpoint to export in {work}.")
    rng = np.random.default_rng(cfg.seed + step)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=cfg.mask_probability, seed=cfg.seed + step)
    model.train()
    bar = tqdm(total=cfg.max_steps, initial=step, desc="training", unit="step", mininterval=30)
    window: list[float] = []
    t0 = time.perf_counter()
    while step < cfg.max_steps and not export_only:
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, cfg)
        inputs, labels = mask_batch(collator, windows(train_ids, cfg, rng, tokenizer))
        loss = masked_loss(model, inputs, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        window.append(loss.item())
        bar.update(1)
        if step % cfg.eval_every == 0 or step == cfg.max_steps:
            elapsed += time.perf_counter() - t0
            t0 = time.perf_counter()
            scores = evaluate(model, val_ids, cfg, tokenizer, frequent)
            samples, pattern, heads = snapshot(model, tokenizer)
            record["loss"].append(
                {
                    "step": step,
                    "tokens": step * cfg.batch_size * cfg.n_positions,
                    "train": float(np.mean(window)),
                    **scores,
                    "seconds": round(elapsed, 1),
                }
            )
            record["samples"].append({"step": step, "samples": samples})
            record["heads"].append({"step": step, **heads})
            patterns[f"step_{step}"] = pattern.astype(np.float16)
            window = []
            tqdm.write(
                f"step {step}: train {record['loss'][-1]['train']:.3f} val {scores['val']:.3f} "
                f"top1 {scores['top1']:.3f} top5 {scores['top5']:.3f} | {samples[0]['greedy']!r}"
            )
            np.savez_compressed(work / "patterns.npz", **patterns)
            save_checkpoint(ckpt, model, optimizer, step, elapsed, record)
    bar.close()
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    (out / "training_record.json").write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    np.savez_compressed(out / "training_attention.npz", **patterns)
    return record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/books"), help="folder of .txt books")
    parser.add_argument("--out", type=Path, default=Path("model/weights/tinytales-mlm"), help="where the model goes")
    parser.add_argument("--work", type=Path, default=Path("runs/tinytales-mlm"), help="token cache and checkpoints")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint in --work")
    parser.add_argument("--export", action="store_true", help="save the checkpoint in --work to --out, untrained")
    add_config_args(parser, MlmConfig())
    args = parser.parse_args(argv)
    cfg = config_from_args(args, MlmConfig)
    train(args.corpus, args.out, args.work, cfg, resume=args.resume, export_only=args.export)


if __name__ == "__main__":
    main()
