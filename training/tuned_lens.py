"""Train a tuned lens for a bundled decoder: one learned affine map per row of the logit lens.

    python -m training.tuned_lens --model model/weights/tinytales --corpus ../shared/corpus/books

The logit lens reads the residual stream after a sub-block with the model's own final norm and unembedding;
early rows speak a different "basis" than the last, so it reads them badly. A tuned lens (Belrose et al.
2023, "Eliciting Latent Predictions from Transformers with the Tuned Lens") learns, for each row r, a
translator h ↦ h + A_r h + b_r, trained so that the final norm and unembedding of the translated state
match the model's own output distribution (KL divergence), on the training books; A and b start at zero,
so an untrained translator is the logit lens. The last row is the model's output itself and gets none.

Writes `tuned_lens.safetensors` (A: (R-1, d, d), b: (R-1, d)) and `tuned_lens.json` (what it read, and
the held-out KL per row before and after) into the model folder.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from model.lens import TUNED_FILE, TUNED_RECORD, weights_fingerprint
from model.load import load_model
from training.neurons import sample_windows
from training.train import encode_books, list_books, read_book


def stream_rows(lm, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """For windows x (B, T): the lens rows' states (R-1, B·T, d) — embedding, after each attention and each
    MLP except the last — and the model's own log-probabilities (B·T, V)."""
    parts = lm.parts
    mids, ends = [], []
    hooks = [
        block.register_forward_pre_hook(
            lambda m, args, kwargs: ends.append(args[0] if args else kwargs["hidden_states"]), with_kwargs=True
        )
        for block in parts.blocks
    ]
    hooks += [
        proj.register_forward_hook(lambda m, a, out: mids.append(out[0] if isinstance(out, tuple) else out))
        for proj in parts.out_projs
    ]
    try:
        with torch.no_grad():
            out = lm.model(input_ids=x, use_cache=False)
    finally:
        for hook in hooks:
            hook.remove()
    rows = []
    for layer, start in enumerate(ends):  # start: the stream entering block `layer`
        rows += [start, start + mids[layer]]  # before the block, after its attention
    states = torch.stack(rows).flatten(1, 2)  # (2L, B·T, d): embed, L0 attn, L0 mlp, …, L{L-1} attn
    return states.float(), torch.log_softmax(out.logits.float(), -1).flatten(0, 1)


def readout_logp(lm, states: torch.Tensor) -> torch.Tensor:
    """The model's final norm and unembedding on (…, d) states → log-probabilities (…, V)."""
    return torch.log_softmax(lm.model.get_output_embeddings()(lm.parts.final_norm(states)), -1)


def kl(target_logp: torch.Tensor, logp: torch.Tensor) -> torch.Tensor:
    """KL(target ‖ lens) per token, nats: (…,)."""
    return (target_logp.exp() * (target_logp - logp)).sum(-1)


def row_kl(lm, A, b, windows: np.ndarray, batch: int = 8) -> np.ndarray:
    """(R-1, 2) mean KL to the model's output per row: [the logit lens, the tuned lens], on `windows`."""
    total = torch.zeros(A.shape[0], 2)
    with torch.no_grad():
        for i in range(0, len(windows), batch):
            states, target = stream_rows(lm, torch.from_numpy(windows[i : i + batch]))
            tuned = states + torch.einsum("rnd,red->rne", states, A) + b[:, None]
            total[:, 0] += kl(target, readout_logp(lm, states)).sum(-1)
            total[:, 1] += kl(target, readout_logp(lm, tuned)).sum(-1)
    return (total / (len(windows) * windows.shape[1])).numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--tokens", type=int, default=200_000, help="training tokens read (windows of 128)")
    parser.add_argument("--steps", type=int, default=250)
    parser.add_argument("--batch", type=int, default=8, help="windows per step")
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()
    torch.manual_seed(0)
    lm = load_model(str(args.model))
    for p in lm.model.parameters():
        p.requires_grad_(False)
    record = json.loads((args.model / "training_record.json").read_text())
    books = {p.name: p for p in list_books(args.corpus)}
    train = encode_books(lm.tokenizer, [read_book(books[n]) for n in record["train_books"]])
    val = encode_books(lm.tokenizer, [read_book(books[n]) for n in record["val_books"]])
    windows = sample_windows(train, args.tokens)
    held_out = sample_windows(val, 16 * 128)
    rows, d = 2 * len(lm.parts.blocks), int(lm.config.hidden_size)
    A = torch.zeros(rows, d, d, requires_grad=True)
    b = torch.zeros(rows, d, requires_grad=True)
    before = row_kl(lm, A.detach(), b.detach(), held_out)
    optimizer = torch.optim.Adam([A, b], lr=args.lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.steps)
    rng, started = np.random.default_rng(0), time.time()
    for step in range(args.steps):
        pick = rng.choice(len(windows), args.batch, replace=False)
        states, target = stream_rows(lm, torch.from_numpy(windows[pick]))
        tuned = states + torch.einsum("rnd,red->rne", states, A) + b[:, None]
        loss = kl(target, readout_logp(lm, tuned)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % 25 == 0 or step == args.steps - 1:
            print(f"step {step}: KL {loss.item():.3f} nats ({time.time() - started:.0f} s)", flush=True)
    after = row_kl(lm, A.detach(), b.detach(), held_out)
    save_file({"A": A.detach().contiguous(), "b": b.detach().contiguous()}, str(args.model / TUNED_FILE))
    summary = {
        "method": "tuned lens (Belrose et al. 2023): h + A h + b per lens row, KL to the model's output",
        "rows": rows,
        "train_tokens": int(windows.size),
        "steps": args.steps,
        "batch_windows": args.batch,
        "held_out_tokens": int(held_out.size),
        "held_out_kl_logit_lens": [round(float(v), 4) for v in before[:, 0]],
        "held_out_kl_tuned_lens": [round(float(v), 4) for v in after[:, 1]],
        "seconds": round(time.time() - started),
        "weights_sha256": weights_fingerprint(args.model),  # model.lens reads it only with these weights
    }
    (args.model / TUNED_RECORD).write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
