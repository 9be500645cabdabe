"""Read the residual stream as a guess: the logit lens and direct logit attribution (numpy on a Trace).

    rows = lens_states(tr, position)              # [(name, (d,) residual vector)], embedding → final
    logp = logit_lens(lm, tr, position)           # (L+1, V) log-probabilities after each block
    names, grid = sublayer_lens_grid(tr, positions)  # (R, C, V): after every sub-block, at C positions
    parts = logit_attribution(lm, tr, position, token)   # [(component, value)], summing to the logit

The lens applies the model's final norm and unembedding (the trace's `readout`) to an earlier state of
the residual stream. Attribution freezes the final norm's scale at this position, so the norm is a fixed
linear map there and the logit splits exactly into what each component wrote (TransformerLens calls this
`accumulated_resid` and `logit_attrs`). Both need pre-norm blocks, where the stream is a running sum.
"""

from __future__ import annotations

import numpy as np

from model.numeric import log_softmax
from model.types import Trace


def _need_readout(tr: Trace) -> None:
    if tr.readout is None:
        raise ValueError(
            f"{tr.model_name} has no language-model head: the logit lens needs the final norm and unembedding "
            "that turn a residual vector into next-token scores."
        )


def _need_direct_path(tr: Trace) -> None:
    """Splitting a logit into what each part wrote needs a sum of parts and a readout linear in them."""
    _need_readout(tr)
    if not tr.pre_norm:
        raise ValueError(f"{tr.model_name} has post-norm blocks: its residual stream is not a sum of parts.")
    if not tr.readout.linear:
        raise ValueError(f"{tr.model_name}'s head is not linear: a logit does not split into parts.")


def lens_states(tr: Trace, position: int) -> list[tuple[str, np.ndarray]]:
    """The residual stream at `position` after each sub-block: embedding, then attention and MLP of every
    layer. [(name, (d,))]; the last is resid[L], what the model's own prediction reads."""
    if not tr.pre_norm:
        return [("embed", tr.resid[0, position])] + [
            (f"L{layer}", tr.resid[layer + 1, position]) for layer in range(tr.n_layers)
        ]
    rows = [("embed", tr.resid[0, position])]
    for layer in range(tr.n_layers):
        rows.append((f"L{layer} attn", tr.resid[layer, position] + tr.attn_out[layer, position]))
        rows.append((f"L{layer} mlp", tr.resid[layer + 1, position]))
    return rows


def logit_lens(lm, tr: Trace, position: int, final_norm: bool = True) -> np.ndarray:
    """(L+1, V) log-probabilities: row l is the final norm and unembedding applied to resid[l] at
    `position`; row L equals log-softmax of the model's own logits there. `final_norm=False` skips the
    norm (the pitfall the lesson shows)."""
    _need_readout(tr)
    resid = tr.resid[:, position]  # (L+1, d)
    if final_norm:
        return log_softmax(tr.readout.logits(resid))
    logits = resid.astype(np.float32) @ tr.readout.unembed.T
    return log_softmax(logits)


def sublayer_lens(tr: Trace, position: int, final_norm: bool = True, tuned=None) -> tuple[list[str], np.ndarray]:
    """(names, (R, V) log-probabilities) for every row of `lens_states`."""
    names, logp = sublayer_lens_grid(tr, [position], final_norm, tuned)
    return names, logp[:, 0]


def sublayer_lens_grid(tr: Trace, positions, final_norm: bool = True, tuned=None) -> tuple[list[str], np.ndarray]:
    """(names, (R, C, V) log-probabilities): `sublayer_lens` at each of C positions, in one product.
    `tuned`: a tuned lens' translators (A (R-1, d, d), b (R-1, d), from `tuned_lens`), applied to every row
    but the last before it is read; None reads the raw stream (the logit lens)."""
    _need_readout(tr)
    rows = [lens_states(tr, p) for p in positions]
    names = [name for name, _ in rows[0]]
    stack = np.stack([np.stack([v for _, v in row]) for row in rows], axis=1)  # (R, C, d)
    if tuned is not None:
        A, b = tuned
        early = stack[:-1].astype(np.float32)  # (R-1, C, d)
        moved = early + np.einsum("red,rcd->rce", A, early) + b[:, None]  # h + A_r h + b_r, per row r
        stack = np.concatenate([moved, stack[-1:]])
    if len(positions) == 1:
        return names, _lens_logp(tr, stack[:, 0], final_norm)[:, None]
    out = np.empty((*stack.shape[:2], tr.vocab_size), dtype=np.float32)  # float32 keeps a big vocabulary's grid small
    R, C = stack.shape[:2]
    step = max(1, LENS_CHUNK // (R * tr.vocab_size))  # columns per product: few products, bounded float64 scratch
    for c in range(0, C, step):
        out[:, c : c + step] = _lens_logp(tr, stack[:, c : c + step], final_norm)
    return names, out


LENS_CHUNK = 2_000_000  # scores per product in `sublayer_lens_grid` (its float64 log-softmax: 16 MB)


def _lens_logp(tr: Trace, states: np.ndarray, final_norm: bool) -> np.ndarray:
    logits = tr.readout.logits(states) if final_norm else states.astype(np.float32) @ tr.readout.unembed.T
    return log_softmax(logits)


def components(tr: Trace, position: int) -> list[tuple[str, np.ndarray]]:
    """What each part wrote into the residual stream at `position`, [(name, (d,))], summing to resid[L]."""
    parts = []
    if tr.position_embeddings is not None:
        parts += [
            ("token embedding", tr.token_embeddings[position]),
            ("position embedding", tr.position_embeddings[position]),
        ]
    else:
        parts += [("token embedding", tr.resid[0, position])]
    for layer in range(tr.n_layers):
        parts += [(f"L{layer} attn", tr.attn_out[layer, position]), (f"L{layer} mlp", tr.mlp_out[layer, position])]
    return parts


def logit_attribution(lm, tr: Trace, position: int, token: int, rival: int | None = None) -> list[tuple[str, float]]:
    """[(component, value)] whose values add up to the model's logit for `token` at `position` — or, with a
    `rival`, to the logit difference token − rival (which of the two each part favours).

    The final norm's scale is frozen at this position, so each component c contributes
    W_U[token] · (γ ⊙ centred(c) / scale); the norm's bias and the unembedding's bias form the constant."""
    if rival is not None:
        against = dict(logit_attribution(lm, tr, position, rival))
        return [(name, value - against[name]) for name, value in logit_attribution(lm, tr, position, token)]
    _need_direct_path(tr)
    readout = tr.readout
    scale = readout.scale(tr.resid[-1, position])  # (1,)
    direction = readout.unembed[token].astype(np.float64)  # (d,)
    if readout.norm_weight is not None:
        direction = direction * readout.norm_weight
    out = []
    for name, vector in components(tr, position):
        v = vector.astype(np.float64)
        if readout.norm == "layer":
            v = v - v.mean()
        out.append((name, float(direction @ v / scale[0])))
    constant = 0.0
    if readout.norm_bias is not None:
        constant += float(readout.unembed[token].astype(np.float64) @ readout.norm_bias)
    if readout.unembed_bias is not None:
        constant += float(readout.unembed_bias[token])
    out.append(("bias", constant))
    return out


def head_contributions(lm, tr: Trace, position: int, token: int) -> np.ndarray:
    """(L, H) each head's direct contribution to `token`'s logit at `position` (final norm frozen), through
    its slice of the output projection; the projection's bias is not any head's."""
    _need_direct_path(tr)
    from model.weights import output_projections

    readout = tr.readout
    scale = readout.scale(tr.resid[-1, position])[0]
    direction = readout.unembed[token].astype(np.float64)
    if readout.norm_weight is not None:
        direction = direction * readout.norm_weight
    out = np.zeros((tr.n_layers, tr.n_heads))
    for layer, w_o in enumerate(output_projections(lm)):  # (H, dh, d)
        written = np.einsum("hk,hkd->hd", tr.head_out[layer, position].astype(np.float64), w_o)  # (H, d)
        if readout.norm == "layer":
            written = written - written.mean(-1, keepdims=True)
        out[layer] = written @ direction / scale
    return out


def neuron_pushes(lm, tr: Trace, layer: int, position: int, token: int) -> np.ndarray:
    """(m,) each MLP neuron of `layer`'s direct contribution to `token`'s logit at `position`: its activation
    times what it writes, through the frozen final norm. Needs a trace with `mlp_post` (trace(..., mlp_post=True));
    the down projection's bias is no neuron's."""
    _need_direct_path(tr)
    if tr.mlp_post is None:
        raise ValueError("This trace has no MLP activations: trace it with mlp_post=True.")
    from model.weights import neuron_outputs

    readout = tr.readout
    scale = readout.scale(tr.resid[-1, position])[0]
    direction = readout.unembed[token].astype(np.float64)
    if readout.norm_weight is not None:
        direction = direction * readout.norm_weight
    written = neuron_outputs(lm, layer).astype(np.float64)  # (m, d)
    if readout.norm == "layer":
        written = written - written.mean(-1, keepdims=True)
    return tr.mlp_post[layer, position].astype(np.float64) * (written @ direction) / scale


def neuron_promotes(lm, layer: int, neuron: int, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """The k tokens a neuron's output row raises most through the unembedding (no norm): (ids (k,), scores (k,))."""
    from model.tracing import readout as model_readout
    from model.weights import neuron_outputs

    scores = model_readout(lm).unembed @ neuron_outputs(lm, layer)[neuron]  # (V,)
    top = np.argsort(-scores)[:k]
    return top, scores[top]


def activation_curve(lm, layer: int, xs: np.ndarray) -> np.ndarray | None:
    """`layer`'s MLP activation function applied to xs (n,) → (n,): the curve a pre-activation (`Trace.mlp_pre`)
    is read through. None where the model keeps the function outside a module (nothing to call or hook).
    In a gated MLP (Llama) the neuron's value is this times a second projection of the input."""
    import torch

    act = lm.parts.mlp_acts[layer]
    if act is None:
        return None
    with torch.no_grad():
        return act(torch.tensor(np.asarray(xs), dtype=torch.float32)).numpy()  # a copy: traces are read-only


ACTIVATIONS = {"gelu": "GELU", "gelu_new": "GELU", "gelu_pytorch_tanh": "GELU", "silu": "SiLU", "relu": "ReLU"}


def activation_name(lm) -> str:
    """The MLP's activation function as readers know it: "GELU", "SiLU", … (the config's own name otherwise)."""
    raw = getattr(lm.config, "activation_function", None) or getattr(lm.config, "hidden_act", "") or "?"
    return ACTIVATIONS.get(str(raw), str(raw))


def weights_fingerprint(folder) -> str:
    """sha256 of a model folder's weights (model.safetensors): a file made for one model's weights records it,
    so that it is not read against another's (a retrained model in the same folder)."""
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256()
    with open(Path(folder) / "model.safetensors", "rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _made_for(lm, recorded: str | None) -> bool:
    """Whether a shipped file that recorded `recorded` belongs to `lm`'s weights (memoized per model)."""
    if "weights_sha256" not in lm.memo:
        lm.memo["weights_sha256"] = weights_fingerprint(lm.source)
    return recorded == lm.memo["weights_sha256"]


def _shipped(lm, filename: str, read):
    """A file shipped in `lm`'s folder, read once per model by `read(path) -> (value, recorded sha256)`; None
    when the folder has no such file or it was made for other weights."""
    from pathlib import Path

    key = f"shipped:{filename}"
    if key not in lm.memo:
        path = Path(lm.source) / filename if lm.source else None
        value = None
        if path is not None and path.is_file():
            value, recorded = read(path)
            value = value if _made_for(lm, recorded) else None
        lm.memo[key] = value
    return lm.memo[key]


def _read_contexts(path) -> tuple[dict, str]:
    data = dict(np.load(path))
    return data, str(data.get("weights_sha256", ""))


CONTEXT_FILE = "neuron_contexts.npz"  # written by training/neurons.py into a bundled model's folder
CONTEXT_BEFORE = 10  # tokens kept before the firing token in each context
CONTEXT_PAD = 65535  # pads a context cut by the start or end of its window


def contexts_scanned(lm) -> int:
    """Tokens read to find the shipped neuron contexts (0 when there are none)."""
    data = _shipped(lm, CONTEXT_FILE, _read_contexts)
    return int(data["scanned"]) if data is not None else 0


def neuron_contexts(lm, layer: int, neuron: int) -> list[tuple[list[int], int, float]] | None:
    """The training-corpus contexts that fire `neuron` of `layer` most, highest first, as shipped with a bundled
    model: [(token ids, index of the firing token among them, the neuron's value there)]. None when the model
    ships none (a downloaded or random model) or ships them for other weights."""
    data = _shipped(lm, CONTEXT_FILE, _read_contexts)
    if data is None or layer >= data["ids"].shape[0] or neuron >= data["ids"].shape[1]:
        return None
    out = []
    for ids, value in zip(data["ids"][layer, neuron], data["values"][layer, neuron], strict=True):
        kept = ids != CONTEXT_PAD
        out.append((ids[kept].astype(int).tolist(), int(kept[:CONTEXT_BEFORE].sum()), float(value)))
    return out


TUNED_FILE = "tuned_lens.safetensors"  # written by training/tuned_lens.py into a bundled model's folder
TUNED_RECORD = "tuned_lens.json"  # what it was trained on, and the held-out KL per row


def tuned_lens(lm) -> tuple[np.ndarray, np.ndarray, dict] | None:
    """The tuned lens shipped with a bundled decoder: translators A (R-1, d, d), b (R-1, d) for the rows of
    `lens_states` but the last (row r reads h + A[r] @ h + b[r]), and its training record; None when the
    model ships none, or one trained for other weights."""
    return _shipped(lm, TUNED_FILE, _read_tuned)


def _read_tuned(path) -> tuple[tuple, str | None]:
    import json

    from safetensors.numpy import load_file

    weights = load_file(str(path))
    record = json.loads((path.parent / TUNED_RECORD).read_text(encoding="utf-8"))
    return (weights["A"], weights["b"], record), record.get("weights_sha256")
