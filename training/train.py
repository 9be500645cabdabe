"""Train TinyTales: a byte-level BPE tokenizer and a small GPT-2 from scratch on a folder of .txt files.

    python -m training.train --corpus ../shared/corpus/books --out model/weights/tinytales

Whole books are held out for validation. Progress shows as a tqdm bar; every `--eval-every`
steps the script measures validation loss, records sampled continuations of fixed prompts and
the attention pattern of every head on a fixed probe prompt (the training record the lessons
replay), and writes a checkpoint to `--work` that `--resume` continues from.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from model.numeric import induction_score, previous_token_score, random_ids, repeated_random_ids
from model.positions import sinusoidal

EOT = "<|endoftext|>"
POSITION_INITS = ("random", "sinusoidal")  # how the position embeddings start (TrainConfig.position_init)
# per corpus language: the probe whose patterns the record keeps, and the prompts whose continuations it keeps
PROBE_PROMPTS = {
    "en": "The cat sat on the mat. The dog ran to the cat. The cat sat on the mat.",
    "zh": "小猫坐在门口。小狗跑到小猫身边。小猫坐在门口。",
}
SAMPLE_PROMPTS = {
    "en": ["Once upon a time there was a little", "The king said to", "Alice was"],
    "zh": ["从前有一个", "孙悟空", "话说那", "他走进屋里"],
}
PROBE_PROMPT = PROBE_PROMPTS["en"]


@dataclass
class TrainConfig:
    """Defaults: the shipped TinyTales' shape and training. Its run differed from them three times, as its
    model card lists: random runs drew from a 4-token alphabet in steps 2,000–2,800; at step 4,200 the
    cosine schedule, planned over 4,800 steps, was stretched to 5,400; and at step 5,400 it was stretched
    again to 10,800 and the run stopped at 9,600."""

    vocab_size: int = 8192  # BPE vocabulary, incl. the 256 byte symbols and <|endoftext|>
    n_layer: int = 4  # transformer blocks
    n_head: int = 8  # attention heads per block (head width = n_embd / n_head)
    n_embd: int = 256  # residual stream width
    n_positions: int = 256  # context window, tokens
    batch_size: int = 16  # sequences per step (x n_positions tokens)
    max_steps: int = 5400  # optimizer steps
    lr: float = 2e-3  # peak learning rate (AdamW), cosine decay to lr / 10
    warmup_steps: int = 200
    weight_decay: float = 0.1
    eval_every: int = 100  # steps between validation / records / checkpoints
    eval_batches: int = 20  # validation batches per evaluation
    val_books: int = 4  # whole books held out for validation
    seed: int = 1234
    bf16: bool = True  # bf16 autocast (CPU or CUDA)
    repeat_fraction: float = 0.25  # share of windows in which a span repeats (teaches in-context copying)
    repeat_from: int = 1000  # step from which repeated windows are mixed in
    random_repeat_fraction: float = 0.35  # share of windows in which a run of random tokens repeats
    random_repeat_from: int = 2000  # step from which those are mixed in
    random_alphabet: int = 0  # a random run draws from this many token ids (0: the whole vocabulary)
    position_init: str = "sinusoidal"  # "random" (GPT-2's N(0, 0.02)) or "sinusoidal" (same scale, structured)
    language: str = "en"  # the corpus' language: picks the probe and sample prompts ("en" or "zh")
    val_names: str = ""  # comma-separated book file stems to hold out instead of `val_books` drawn at random
    init_from: str = ""  # a model folder of the same shape whose blocks and positions this one starts from


def list_books(corpus: Path) -> list[Path]:
    books = sorted(corpus.glob("*.txt"))
    if not books:
        raise FileNotFoundError(f"No .txt files in {corpus}.")
    return books


def split_books(books: list[Path], n_val: int, seed: int, names: str = "") -> tuple[list[Path], list[Path]]:
    """Hold out whole books: those named in `names` (comma-separated stems), else `n_val` chosen by `seed`."""
    if names:
        wanted = {n.strip() for n in names.split(",") if n.strip()}
        missing = wanted - {p.stem for p in books}
        if missing:
            raise ValueError(f"No book named {sorted(missing)} in the corpus.")
        return [p for p in books if p.stem not in wanted], [p for p in books if p.stem in wanted]
    if len(books) <= n_val:
        raise ValueError(f"Need more than {n_val} books to hold out {n_val}; found {len(books)}.")
    order = list(books)
    random.Random(seed).shuffle(order)
    val = sorted(order[:n_val])
    train = sorted(order[n_val:])
    return train, val


def read_book(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace(EOT, "").strip()


def train_tokenizer(texts: list[str], vocab_size: int):
    """Byte-level BPE (GPT-2 style) trained with the `tokenizers` library, wrapped for transformers."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[EOT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=EOT,
        eos_token=EOT,
        unk_token=EOT,
        model_max_length=1_000_000,
    )


def encode_books(tokenizer, texts: list[str]) -> np.ndarray:
    """All books as one id stream, each followed by <|endoftext|>: (N,) uint16."""
    eot = tokenizer.convert_tokens_to_ids(EOT)
    ids: list[int] = []
    for text in texts:
        paragraphs = text.split("\n\n")
        pieces = [p + "\n\n" for p in paragraphs[:-1]] + paragraphs[-1:]
        for enc in tokenizer(pieces, add_special_tokens=False)["input_ids"]:
            ids.extend(enc)
        ids.append(eot)
    return np.asarray(ids, dtype=np.uint16)


def repeat_span(n_positions: int) -> tuple[int, int]:
    """Lengths a repeated span may take: [low, high) tokens; two copies fit a window with room to spare."""
    return 8, n_positions // 3 + 1


def get_batch(
    data: np.ndarray,
    cfg: TrainConfig,
    rng: np.random.Generator,
    device: str,
    repeat: float = 0.0,
    random_repeat: float = 0.0,
):
    """(x, y): (B, T) windows of the token stream and the same shifted by one (-100: not scored).

    In a share `repeat` of the windows a span of text is written twice: predicting the second copy
    rewards looking back at what followed the same token before — what induction heads do. In a
    share `random_repeat` a run of random tokens is written twice instead: nothing but that look-up
    predicts its second copy, and its unpredictable first copy is not scored.
    """
    starts = rng.integers(0, len(data) - cfg.n_positions - 1, size=cfg.batch_size)
    rows, masks = [], []
    for s in starts:
        row = data[s : s + cfg.n_positions + 1].astype(np.int64)  # (T+1,)
        scored = np.ones(cfg.n_positions + 1, dtype=bool)  # (T+1,) whether the token is a target
        draw = rng.random() if repeat or random_repeat else 1.0
        if draw < repeat + random_repeat:
            # a span of random length, at a random place, written again right after itself:
            # only looking up what followed the same tokens before (not a fixed offset) predicts it
            period = int(rng.integers(*repeat_span(cfg.n_positions)))
            at = int(rng.integers(0, cfg.n_positions + 1 - 2 * period + 1))
            if draw >= repeat:  # random tokens, from above the 256 single bytes
                row[at : at + period] = random_run(rng, cfg, period)
                scored[at : at + period + 1] = False  # the first copy, and where the copy starts
            row[at + period : at + 2 * period] = row[at : at + period]
        rows.append(row)
        masks.append(scored)
    batch = torch.from_numpy(np.stack(rows)).to(device)  # (B, T+1)
    targets = batch[:, 1:].masked_fill(~torch.from_numpy(np.stack(masks))[:, 1:].to(device), -100)
    return batch[:, :-1], targets


def random_run(rng: np.random.Generator, cfg: TrainConfig, n: int) -> np.ndarray:
    """(n,) random token ids, from the whole vocabulary or from `cfg.random_alphabet` of them. Over a small
    alphabet a token recurs within the run, so only the exact order of the last few tokens finds the place
    to copy from; but guessing among those few tokens already earns most of the reward, and in TinyTales'
    run no induction head grew until the runs drew from the whole vocabulary again."""
    if not cfg.random_alphabet:
        return random_ids(rng, cfg.vocab_size, n)
    return rng.choice(random_ids(rng, cfg.vocab_size, cfg.random_alphabet), size=n)


def lr_at(step: int, cfg: TrainConfig) -> float:
    if step < cfg.warmup_steps:
        return cfg.lr * (step + 1) / cfg.warmup_steps
    progress = (step - cfg.warmup_steps) / max(1, cfg.max_steps - cfg.warmup_steps)
    return cfg.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def gpt2(vocab_size: int, n_positions: int, n_embd: int, n_layer: int, n_head: int, seed: int, eot_id=None):
    """A GPT-2 from scratch, seeded, without dropout, its output layer tied to its token embeddings."""
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config(
        vocab_size=vocab_size,
        n_positions=n_positions,
        n_embd=n_embd,
        n_layer=n_layer,
        n_head=n_head,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=eot_id,
        eos_token_id=eot_id,
        tie_word_embeddings=True,
    )
    torch.manual_seed(seed)
    return GPT2LMHeadModel(config)


def build_model(cfg: TrainConfig, eot_id: int):
    model = gpt2(cfg.vocab_size, cfg.n_positions, cfg.n_embd, cfg.n_layer, cfg.n_head, cfg.seed, eot_id)
    if cfg.position_init == "sinusoidal":
        with torch.no_grad():
            codes = torch.from_numpy(sinusoidal(cfg.n_positions, cfg.n_embd)).float()  # (P, W), in [-1, 1]
            model.transformer.wpe.weight.copy_(codes * 0.02 * math.sqrt(2))  # GPT-2's init scale, 0.02 rms
    elif cfg.position_init not in POSITION_INITS:
        raise ValueError(f"position_init must be one of {POSITION_INITS}, not {cfg.position_init!r}")
    if cfg.init_from:
        start_from(model, Path(cfg.init_from), cfg.seed)
    return model


def start_from(model, source: Path, seed: int) -> None:
    """Copy `source`'s blocks, final norm and position embeddings into `model`; its token embeddings start
    afresh (another tokenizer's ids mean other tokens), drawn at the source's own scale so the copied blocks
    see inputs of the size they were trained on. TinyTales 中文 starts from TinyTales this way: what its
    heads learned about positions and copying does not depend on the language."""
    from safetensors.torch import load_file

    weights = load_file(source / "model.safetensors")
    embeddings = weights.pop("transformer.wte.weight")  # (V, W)
    weights.pop("lm_head.weight", None)  # tied to the token embeddings
    own = model.state_dict()
    wrong = {
        k: (tuple(v.shape), tuple(own[k].shape)) for k, v in weights.items() if k in own and v.shape != own[k].shape
    }
    if wrong or set(weights) - set(own):
        raise ValueError(f"{source} is not this model's shape: {wrong or sorted(set(weights) - set(own))}")
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, value in weights.items():
            own[name].copy_(value)
        wte = model.transformer.wte.weight
        wte.copy_(torch.randn(wte.shape, generator=generator) * float(embeddings.float().std()))


def autocast(cfg: TrainConfig, device: str):
    return torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=cfg.bf16)


@torch.no_grad()
def evaluate(model, data: np.ndarray, cfg: TrainConfig, device: str) -> tuple[float, np.ndarray]:
    """Validation cross-entropy over fixed batches, nats per token: the mean, and its mean at each position of
    the window (T,) — how much the first tokens of context lower it."""
    model.eval()
    rng = np.random.default_rng(0)
    per_position = []
    for _ in range(cfg.eval_batches):
        x, y = get_batch(data, cfg, rng, device)
        with autocast(cfg, device):
            logits = model(input_ids=x).logits
        loss = torch.nn.functional.cross_entropy(logits.float().transpose(1, 2), y, reduction="none")  # (B, T)
        per_position.append(loss.mean(0).cpu().numpy())
    model.train()
    by_position = np.mean(per_position, axis=0)  # (T,)
    return float(by_position.mean()), by_position


@torch.no_grad()
def snapshot(model, tokenizer, device: str, language: str = "en") -> tuple[list[dict], np.ndarray, dict]:
    """Continuations of the fixed prompts (greedy and seeded samples) and the probe's patterns."""
    model.eval()
    samples = []
    for prompt in SAMPLE_PROMPTS[language]:
        ids = tokenizer(prompt, return_tensors="pt")["input_ids"].to(device)
        new = max(1, min(24, model.config.n_positions - ids.shape[1]))
        greedy = model.generate(ids, max_new_tokens=new, do_sample=False, pad_token_id=tokenizer.eos_token_id)
        torch.manual_seed(0)
        sampled = model.generate(
            ids, max_new_tokens=new, do_sample=True, temperature=0.8, top_k=50, pad_token_id=tokenizer.eos_token_id
        )
        samples.append(
            {
                "prompt": prompt,
                "greedy": tokenizer.decode(greedy[0, ids.shape[1] :]),
                "sampled": tokenizer.decode(sampled[0, ids.shape[1] :]),
            }
        )
    model.set_attn_implementation("eager")  # sdpa returns no attention weights
    probe = tokenizer(PROBE_PROMPTS[language], return_tensors="pt")["input_ids"][:, : model.config.n_positions].to(
        device
    )
    pattern = torch.stack(model(input_ids=probe, output_attentions=True).attentions)[:, 0]
    pattern = pattern.float().cpu().numpy()  # (L, H, T, T)
    period = min(32, (model.config.n_positions - 1) // 2)  # BOS + two copies must fit the context
    repeated = repeated_random_ids(model.config.vocab_size, period, seed=0)
    ids = torch.tensor([[tokenizer.eos_token_id, *repeated]], device=device)
    induction = torch.stack(model(input_ids=ids, output_attentions=True).attentions)[:, 0].float().cpu().numpy()
    model.set_attn_implementation("sdpa")
    scores = {
        "previous_token": previous_token_score(pattern).astype(float).round(3).tolist(),  # (L, H)
        "induction": induction_score(induction, period, offset=1).astype(float).round(3).tolist(),  # (L, H)
    }
    model.train()
    return samples, pattern, scores


def prepare_data(corpus: Path, out: Path, work: Path, cfg: TrainConfig):
    """Tokenizer (trained once, saved in `out`) and the token streams (cached in `work`)."""
    from transformers import AutoTokenizer

    train_books, val_books = split_books(list_books(corpus), cfg.val_books, cfg.seed, cfg.val_names)
    if (out / "tokenizer.json").exists() and (work / "train.npy").exists():
        tokenizer = AutoTokenizer.from_pretrained(out)
        return tokenizer, np.load(work / "train.npy"), np.load(work / "val.npy"), train_books, val_books
    train_texts = [read_book(p) for p in train_books]
    val_texts = [read_book(p) for p in val_books]
    if (out / "tokenizer.json").exists():  # a model being retrained keeps its tokenizer
        tokenizer = AutoTokenizer.from_pretrained(out)
    else:
        tokenizer = train_tokenizer(train_texts, cfg.vocab_size)
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(out)
    train_ids, val_ids = encode_books(tokenizer, train_texts), encode_books(tokenizer, val_texts)
    np.save(work / "train.npy", train_ids)
    np.save(work / "val.npy", val_ids)
    return tokenizer, train_ids, val_ids, train_books, val_books


def make_optimizer(model, lr: float, weight_decay: float, betas: tuple[float, float]) -> torch.optim.AdamW:
    """AdamW with weight decay on the matrices only (not on biases, norms' gains or other vectors)."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr,
        betas=betas,
    )


def save_checkpoint(path: Path, model, optimizer, step: int, elapsed: float, record: dict) -> None:
    """What `--resume` continues from; written to a temporary file first, so a run stopped mid-write keeps
    its last checkpoint."""
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "step": step,
        "elapsed": elapsed,
        "record": record,
        "torch_rng": torch.get_rng_state(),
    }
    torch.save(state, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)


def train(
    corpus: Path,
    out: Path,
    work: Path,
    cfg: TrainConfig,
    resume: bool = False,
    device: str = "cpu",
    export_only: bool = False,
) -> dict:
    """Train, record and save. Returns the training record (also written to `out`). With `export_only`, the
    checkpoint in `work` is saved to `out` as it stands, untrained further (a run stopped before its end)."""
    torch.set_num_threads(max(1, torch.get_num_threads()))
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    tokenizer, train_ids, val_ids, train_books, val_books = prepare_data(corpus, out, work, cfg)
    eot_id = tokenizer.convert_tokens_to_ids(EOT)
    model = build_model(cfg, eot_id).to(device)
    model.set_attn_implementation("sdpa")  # ~1.3x faster to train than eager here
    optimizer = make_optimizer(model, cfg.lr, cfg.weight_decay, (0.9, 0.95))
    record = {
        "config": asdict(cfg),
        "train_books": [p.name for p in train_books],
        "val_books": [p.name for p in val_books],
        "train_tokens": int(len(train_ids)),
        "val_tokens": int(len(val_ids)),
        "probe_prompt": PROBE_PROMPTS[cfg.language],
        "loss": [],  # {"step", "tokens", "train", "val", "seconds"}
        "samples": [],  # {"step", "samples": [...]}
        "heads": [],  # {"step", "previous_token": (L, H), "induction": (L, H)}
    }
    patterns: dict[str, np.ndarray] = {}
    step, elapsed = 0, 0.0
    ckpt = work / "checkpoint.pt"
    if export_only and not ckpt.exists():
        raise FileNotFoundError(f"No checkpoint to export in {work}.")
    if resume and ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        optimizer.param_groups[0]["weight_decay"] = cfg.weight_decay  # a resumed run may change it
        step, elapsed, record = state["step"], state["elapsed"], state["record"]
        if not export_only:
            record.setdefault("first_config", record["config"])  # the plan the run started with
            record.setdefault("resumed", []).append({"step": step, "config": asdict(cfg)})
            record["config"] = asdict(cfg)
        patterns = dict(np.load(work / "patterns.npz"))
        torch.set_rng_state(state["torch_rng"])
    elif resume and (out / "model.safetensors").exists() and (out / "training_record.json").exists():
        # no checkpoint (a new machine): continue from the shipped weights and record, with a fresh optimizer
        from safetensors.torch import load_file

        weights = load_file(out / "model.safetensors")
        weights.setdefault("lm_head.weight", weights["transformer.wte.weight"])  # tied: saved once
        model.load_state_dict(weights)
        record = json.loads((out / "training_record.json").read_text(encoding="utf-8"))
        step, elapsed = record["loss"][-1]["step"], record["loss"][-1]["seconds"]
        record.setdefault("first_config", record["config"])
        record.setdefault("resumed", []).append({"step": step, "config": asdict(cfg), "optimizer": "fresh"})
        record["config"] = asdict(cfg)
        patterns = dict(np.load(out / "training_attention.npz")) if (out / "training_attention.npz").exists() else {}
    rng = np.random.default_rng(cfg.seed + step)
    model.train()
    bar = tqdm(total=cfg.max_steps, initial=step, desc="training", unit="step", mininterval=10)
    window: list[float] = []
    t0 = time.perf_counter()
    while step < cfg.max_steps and not export_only:
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, cfg)
        repeat = cfg.repeat_fraction if step >= cfg.repeat_from else 0.0
        random_repeat = cfg.random_repeat_fraction if step >= cfg.random_repeat_from else 0.0
        x, y = get_batch(train_ids, cfg, rng, device, repeat, random_repeat)
        with autocast(cfg, device):
            logits = model(input_ids=x).logits
        loss = torch.nn.functional.cross_entropy(logits.float().flatten(0, 1), y.flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        window.append(loss.item())
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.3f}")
        if step % cfg.eval_every == 0 or step == cfg.max_steps:
            elapsed += time.perf_counter() - t0
            t0 = time.perf_counter()
            val, val_by_position = evaluate(model, val_ids, cfg, device)
            samples, pattern, scores = snapshot(model, tokenizer, device, cfg.language)
            tokens = step * cfg.batch_size * cfg.n_positions
            record["loss"].append(
                {
                    "step": step,
                    "tokens": tokens,
                    "train": float(np.mean(window)),
                    "val": val,
                    "val_by_position": val_by_position.round(3).tolist(),  # (T,) the loss at each position
                    "seconds": round(elapsed, 1),
                }
            )
            record["samples"].append({"step": step, "samples": samples})
            record["heads"].append({"step": step, **scores})
            patterns[f"step_{step}"] = pattern.astype(np.float16)
            window = []
            tqdm.write(f"step {step}: train {record['loss'][-1]['train']:.3f} val {val:.3f} | {samples[0]['greedy']!r}")
            np.savez_compressed(work / "patterns.npz", **patterns)
            save_checkpoint(ckpt, model, optimizer, step, elapsed, record)
    bar.close()
    model.eval()
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    (out / "training_record.json").write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    np.savez_compressed(out / "training_attention.npz", **patterns)
    return record


def add_config_args(parser: argparse.ArgumentParser, defaults, choices: dict | None = None) -> None:
    """One --flag per field of a config dataclass, typed and defaulted by it (booleans read "true"/"false")."""
    for field, value in asdict(defaults).items():
        flag = f"--{field.replace('_', '-')}"
        if type(value) is bool:
            parser.add_argument(flag, type=lambda s: s.lower() in ("1", "true", "yes"), default=value)
        else:
            parser.add_argument(flag, type=type(value), default=value, choices=(choices or {}).get(field))


def config_from_args(args: argparse.Namespace, kind):
    """The config dataclass `kind` built from the flags `add_config_args` made."""
    return kind(**{f: getattr(args, f) for f in asdict(kind())})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/books"), help="folder of .txt books")
    parser.add_argument("--out", type=Path, default=Path("model/weights/tinytales"), help="where the model goes")
    parser.add_argument("--work", type=Path, default=Path("runs/tinytales"), help="token cache and checkpoints")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue from the checkpoint in --work, or (none there) from the model in --out, optimizer afresh",
    )
    parser.add_argument("--export", action="store_true", help="save the checkpoint in --work to --out, untrained")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    add_config_args(parser, TrainConfig(), {"position_init": POSITION_INITS, "language": tuple(PROBE_PROMPTS)})
    args = parser.parse_args(argv)
    cfg = config_from_args(args, TrainConfig)
    train(
        args.corpus,
        args.out,
        args.work,
        cfg,
        resume=args.resume or args.export,
        device=args.device,
        export_only=args.export,
    )


if __name__ == "__main__":
    main()
