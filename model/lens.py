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


def sublayer_lens(tr: Trace, position: int, final_norm: bool = True) -> tuple[list[str], np.ndarray]:
    """(names, (R, V) log-probabilities) for every row of `lens_states`."""
    names, logp = sublayer_lens_grid(tr, [position], final_norm)
    return names, logp[:, 0]


def sublayer_lens_grid(tr: Trace, positions, final_norm: bool = True) -> tuple[list[str], np.ndarray]:
    """(names, (R, C, V) log-probabilities): `sublayer_lens` at each of C positions, in one product."""
    _need_readout(tr)
    rows = [lens_states(tr, p) for p in positions]
    names = [name for name, _ in rows[0]]
    stack = np.stack([np.stack([v for _, v in row]) for row in rows], axis=1)  # (R, C, d)
    if len(positions) == 1:
        return names, _lens_logp(tr, stack[:, 0], final_norm)[:, None]
    out = np.empty((*stack.shape[:2], tr.vocab_size), dtype=np.float32)  # float32 keeps a big vocabulary's grid small
    for c in range(stack.shape[1]):
        out[:, c] = _lens_logp(tr, stack[:, c], final_norm)
    return names, out


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
    _need_readout(tr)
    if not tr.pre_norm:
        raise ValueError(f"{tr.model_name} has post-norm blocks: its residual stream is not a sum of parts.")
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
    _need_readout(tr)
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
    _need_readout(tr)
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
