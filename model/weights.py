"""Intent-named views of a loaded model's weights and vocabulary, as read-only numpy (computed once per model).

embedding_matrix(lm)      # (V, d) token embedding rows
position_table(lm)        # (P, d) learned position rows, or None for rotary models
vocabulary(lm)            # (raw pieces, display texts), one per embedding row
"""

from __future__ import annotations

import numpy as np
import torch

from model.load import LoadedModel
from model.tokens import display_text, token_bytes


def _numpy(weight: torch.Tensor) -> np.ndarray:
    array = weight.detach().to("cpu", torch.float32).numpy()  # a view on a CPU float32 model
    array.flags.writeable = False
    return array


def embedding_matrix(lm: LoadedModel) -> np.ndarray:
    """(V, d) the token embedding matrix: row i is what token id i looks up."""
    if "embedding_matrix" not in lm.memo:
        lm.memo["embedding_matrix"] = _numpy(lm.parts.token_embedding.weight)
    return lm.memo["embedding_matrix"]


def position_table(lm: LoadedModel) -> np.ndarray | None:
    """(P, d) the learned position table, or None for a rotary model."""
    if "position_table" not in lm.memo:
        table = lm.parts.position_embedding
        lm.memo["position_table"] = None if table is None else _numpy(table.weight)
    return lm.memo["position_table"]


def vocabulary(lm: LoadedModel) -> tuple[list[str], list[str]]:
    """(raw pieces, display texts) of every row of the embedding matrix; rows beyond the tokenizer are empty."""
    if "vocabulary" not in lm.memo:
        n_rows = embedding_matrix(lm).shape[0]
        ids = list(range(min(n_rows, len(lm.tokenizer))))
        pieces = [p or "" for p in lm.tokenizer.convert_ids_to_tokens(ids)]
        pieces += [""] * (n_rows - len(pieces))
        lm.memo["vocabulary"] = (pieces, [display_text(token_bytes(p, lm.token_scheme)) for p in pieces])
    return lm.memo["vocabulary"]


def rope_scaling(lm: LoadedModel) -> str | None:
    """The name of a RoPE frequency rescaling in the config ("llama3", "yarn", …), or None for plain RoPE."""
    config = lm.config
    params = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    kind = params.get("rope_type", params.get("type")) if isinstance(params, dict) else None
    return None if kind in (None, "default") else str(kind)


def barely_trained(lm: LoadedModel, ids, threshold: float = 0.999) -> np.ndarray:
    """(n,) bool for token `ids`: is its embedding row pointing almost exactly the way another row does
    (cosine > `threshold`)?

    Rows the training hardly ever updated drift together (in TinyTales: the byte pieces of Chinese
    characters, and rare ASCII such as `$` or `^`), so their cosine similarities say nothing about how
    the tokens are used. Only the asked rows are compared with the whole matrix: (n, V), never V × V."""
    matrix = embedding_matrix(lm)  # (V, d)
    ids = np.asarray(ids, dtype=np.int64)
    if "unit_rows" not in lm.memo:
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit = matrix / np.where(norms == 0, 1.0, norms)
        unit.flags.writeable = False
        lm.memo["unit_rows"] = unit  # (V, d)
    unit = lm.memo["unit_rows"]
    sims = unit[ids] @ unit.T  # (n, V)
    sims[np.arange(len(ids)), ids] = 0.0  # not itself
    return (sims > threshold).any(axis=1)


def output_projections(lm: LoadedModel) -> list[np.ndarray]:
    """Per layer, (H, dh, d): how each head's output z is written into the residual stream (W_O by head)."""
    if "output_projections" not in lm.memo:
        heads = int(lm.config.num_attention_heads)
        out = []
        for proj in lm.parts.out_projs:
            weight = proj.weight.detach().to("cpu", torch.float64).numpy()
            weight = weight if type(proj).__name__ == "Conv1D" else weight.T  # (H·dh, d): GPT-2's Conv1D is (in, out)
            out.append(weight.reshape(heads, -1, weight.shape[-1]))
        lm.memo["output_projections"] = out
    return lm.memo["output_projections"]


def neuron_outputs(lm: LoadedModel, layer: int) -> np.ndarray:
    """(m, d) what each MLP neuron of `layer` writes into the residual stream per unit of activation (its row of
    the down projection)."""
    key = f"neuron_outputs_{layer}"
    if key not in lm.memo:
        proj = lm.parts.mlp_downs[layer]
        weight = proj.weight.detach().to("cpu", torch.float32).numpy()
        weight = weight if type(proj).__name__ == "Conv1D" else weight.T  # (m, d): GPT-2's Conv1D is (in, out)
        weight.flags.writeable = False
        lm.memo[key] = weight
    return lm.memo[key]
