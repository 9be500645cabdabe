"""Find, once, the training-corpus contexts that fire each MLP neuron of a bundled model most.

    python -m training.neurons --model model/weights/tinytales --corpus ../shared/corpus/books

Reads evenly spaced windows from the model's training books (its `training_record.json` names them),
runs the model over them with a hook on each MLP's down projection (whose input is the neurons), and keeps,
per neuron, the K windows where it fired highest, at most one per window. Writes `neuron_contexts.npz`
into the model folder, a few hundred KB: token ids only, a dozen per context, no running text.

    ids      (L, m, K, W) uint16  the context: W_BEFORE tokens, the firing token, the rest after; PAD pads
    values   (L, m, K)    float16 the neuron's value at the firing token, highest first
    scanned  ()           int     tokens read
    weights_sha256 ()     str     the weights they were found with (model.lens ignores them for others)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from model.lens import CONTEXT_BEFORE, CONTEXT_FILE, CONTEXT_PAD, weights_fingerprint
from model.load import load_model
from training.train import encode_books, list_books, read_book

W_BEFORE, W_AFTER = CONTEXT_BEFORE, 2  # context kept around the firing token
PAD = CONTEXT_PAD
WINDOW = 128  # tokens per forward window; contexts come from inside one window


def sample_windows(ids: np.ndarray, n_tokens: int, window: int = WINDOW) -> np.ndarray:
    """(n, window) windows spread evenly over the id stream, n · window ≈ n_tokens."""
    n = max(1, min(n_tokens // window, len(ids) // window))
    starts = np.linspace(0, len(ids) - window, n).astype(np.int64)
    return np.stack([ids[s : s + window] for s in starts]).astype(np.int64)


@torch.no_grad()
def top_contexts(lm, windows: np.ndarray, k: int = 3, batch: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Per layer and neuron the k windows (ids (L, m, k, W), values (L, m, k)) where it fired highest.

    A window counts once per neuron (its highest position), so the k contexts are k different passages."""
    parts = lm.parts
    L = len(parts.blocks)
    seen: list[torch.Tensor] = []
    hooks = [
        down.register_forward_pre_hook(lambda module, args, layer=layer: seen.append(args[0]))
        for layer, down in enumerate(parts.mlp_downs)
    ]
    best_v = best_w = best_p = None  # (L, m, k) value, window index, position
    try:
        for start in range(0, len(windows), batch):
            x = torch.from_numpy(windows[start : start + batch])
            seen.clear()
            lm.model.base_model(input_ids=x, use_cache=False)
            acts = torch.stack(seen).float()  # (L, B, T, m)
            peak, where = acts.max(dim=2)  # (L, B, m): each window's highest position per neuron
            peak, where = peak.permute(0, 2, 1), where.permute(0, 2, 1)  # (L, m, B)
            index = torch.arange(start, start + x.shape[0]).expand_as(peak)
            if best_v is not None:
                peak = torch.cat([best_v, peak], -1)
                where = torch.cat([best_p, where], -1)
                index = torch.cat([best_w, index], -1)
            order = peak.topk(min(k, peak.shape[-1]), dim=-1).indices
            best_v, best_p, best_w = (t.gather(-1, order) for t in (peak, where, index))
    finally:
        for hook in hooks:
            hook.remove()
    W = W_BEFORE + 1 + W_AFTER
    m = best_v.shape[1]
    ids = np.full((L, m, best_v.shape[2], W), PAD, dtype=np.uint16)
    padded = np.pad(windows, ((0, 0), (W_BEFORE, W_AFTER)), constant_values=PAD)  # (n, T + W - 1)
    w, p = best_w.numpy(), best_p.numpy()
    for offset in range(W):
        ids[..., offset] = padded[w, p + offset]
    return ids, best_v.numpy().astype(np.float16)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="a bundled model folder")
    parser.add_argument("--corpus", type=Path, required=True, help="the folder of .txt books it was trained on")
    parser.add_argument("--tokens", type=int, default=400_000, help="tokens to scan")
    parser.add_argument("--top", type=int, default=3, help="contexts kept per neuron")
    args = parser.parse_args()
    torch.manual_seed(0)
    lm = load_model(str(args.model))
    record = json.loads((args.model / "training_record.json").read_text())
    books = {p.name: p for p in list_books(args.corpus)}
    stream = encode_books(lm.tokenizer, [read_book(books[name]) for name in record["train_books"]])
    windows = sample_windows(stream, args.tokens)
    ids, values = top_contexts(lm, windows, args.top)
    out = args.model / CONTEXT_FILE
    made_for = np.str_(weights_fingerprint(args.model))
    np.savez_compressed(out, ids=ids, values=values, scanned=np.int64(windows.size), weights_sha256=made_for)
    print(f"{out}: {ids.shape[0]} layers × {ids.shape[1]} neurons × {ids.shape[2]} contexts, {windows.size:,} tokens")


if __name__ == "__main__":
    main()
