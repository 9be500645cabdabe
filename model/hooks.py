"""One context for recording and editing a forward pass: `hooked(lm, n_tokens, edits, record)`.

    with hooked(lm, T, edits=[AblateHead(3, 3)], record=RECORDED) as run:
        lm.model(input_ids=ids)
    run.arrays["head_out"]           # (L, T, H, dh) numpy, with the edit applied

Hooks are global state on a shared model, so they live only inside this context: registered under the
model's lock (re-entrant: code inside an edit may call `trace()` again), matched to modules by identity,
and removed in `finally`. Each hook acts only for the run that registered it and only in its own thread,
so a nested run or another thread's plain forward never sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy as np
import torch

from model.attention import active_runs
from model.edits import Edit
from model.load import LoadedModel

# what a trace records by default; "mlp_post" (4 × d per token per layer) only on request
RECORDED = ("resid_pre", "attn_out", "head_out", "resid_mid", "mlp_out")


def _first(output):
    return output[0] if isinstance(output, tuple) else output


def _replace_first(output, value):
    return (value, *output[1:]) if isinstance(output, tuple) else value


class Run:
    """What one hooked forward keeps: numpy arrays (L, T, ...) per site, filled layer by layer."""

    def __init__(self, lm: LoadedModel, n_layers: int, edits: tuple[Edit, ...], record: set[str]):
        self.lm = lm
        self.n_layers = n_layers
        self.edits = edits
        self.record = record
        self.arrays: dict[str, np.ndarray] = {}
        parts = lm.parts
        # each attention module → (what its pattern is kept as, layer): the decoder's (or only stack's) self-attention,
        # and an encoder–decoder's encoder self-attention and cross-attention
        self.attention_layer = {id(m): ("pattern", layer) for layer, m in enumerate(parts.attentions)}
        for name, modules in (("encoder_pattern", parts.encoder_attentions), ("cross_pattern", parts.cross_attentions)):
            self.attention_layer.update({id(m): (name, layer) for layer, m in enumerate(modules or [])})
        self.scales = np.zeros(n_layers, dtype=np.float32)
        n_encoder = len(parts.encoder_blocks or [])
        # rows per array: resid_pre also keeps the last block's output as row L (the residual stream's end)
        self.rows = {"resid_pre": n_layers + 1, "token_embeddings": 1, "position_embeddings": 1}
        self.rows |= {"encoder_resid": n_encoder + 1, "encoder_pattern": n_encoder, "encoder_out": 1}

    def keep(self, name: str, layer: int, value: torch.Tensor) -> None:
        """Copy value[0] into arrays[name][layer], allocating (rows, *shape) on first use."""
        row = value[0].detach().to("cpu", torch.float32).numpy()
        if name not in self.arrays:
            self.arrays[name] = np.empty((self.rows.get(name, self.n_layers), *row.shape), dtype=np.float32)
        self.arrays[name][layer] = row

    def attention_called(self, module, query, key, scale: float, weights) -> None:
        name, layer = self.attention_layer.get(id(module), (None, 0))
        if name is None or name not in self.record:
            return
        self.keep(name, layer, weights)
        if name == "pattern":  # the attention lesson's q·k steps: the (decoder's) self-attention only
            self.keep("queries", layer, query)
            self.keep("keys", layer, key)
            self.scales[layer] = scale

    def site_value(self, site: str, layer: int, value: torch.Tensor) -> torch.Tensor | None:
        """Apply this run's edits for (site, layer), record the result; the new value, or None if unchanged."""
        edited = None
        for edit in self.edits:
            if edit.site == site and edit.layer == layer:
                edited = edit.apply(value if edited is None else edited, self.lm)
        if site in self.record:
            self.keep(site, layer, value if edited is None else edited)
        return edited


def _active(run: Run) -> bool:
    runs = active_runs()
    return bool(runs) and runs[-1] is run


def _heads_view(value: torch.Tensor, n_heads: int) -> torch.Tensor:
    return value.view(*value.shape[:-1], n_heads, value.shape[-1] // n_heads)  # (B, T, H, dh)


def _register(run: Run, lm: LoadedModel) -> list:
    """Every hook this run needs; returns their handles."""
    parts, handles = lm.parts, []
    n_heads = int(lm.config.num_attention_heads)
    wanted = run.record | {e.site for e in run.edits}

    def embedding(name):
        def hook(module, args, output):
            if _active(run):
                run.keep(name, 0, output)

        return hook

    def block_input(layer):
        def hook(module, args, kwargs):
            if not _active(run):
                return None
            value = args[0] if args else kwargs["hidden_states"]
            new = run.site_value("resid_pre", layer, value)
            if new is None:
                return None
            return ((new, *args[1:]), kwargs) if args else (args, {**kwargs, "hidden_states": new})

        return hook

    def block_output(name, row):
        def hook(module, args, output):
            if _active(run) and name in run.record:
                run.keep(name, row, _first(output))

        return hook

    def encoder_input(layer):
        def hook(module, args, kwargs):
            if _active(run):
                run.keep("encoder_resid", layer, args[0] if args else kwargs["hidden_states"])

        return hook

    def module_input(site, layer, heads=False):
        def hook(module, args):
            if not _active(run):
                return None
            value = _heads_view(args[0], n_heads) if heads else args[0]
            new = run.site_value(site, layer, value)
            if new is None:
                return None
            return (new.reshape(args[0].shape), *args[1:])

        return hook

    def module_output(site, layer):
        def hook(module, args, output):
            if not _active(run):
                return None
            new = run.site_value(site, layer, _first(output))
            return None if new is None else _replace_first(output, new)

        return hook

    if "embeddings" in run.record:
        handles.append(parts.token_embedding.register_forward_hook(embedding("token_embeddings")))
        if parts.position_embedding is not None:
            handles.append(parts.position_embedding.register_forward_hook(embedding("position_embeddings")))
    handles.append(parts.blocks[-1].register_forward_hook(block_output("resid_pre", run.n_layers)))
    if parts.encoder_blocks is not None:
        handles.extend(_register_encoder(run, parts, wanted, encoder_input, block_output, module_output))
    for layer in range(run.n_layers):
        if "resid_pre" in wanted:
            handles.append(parts.blocks[layer].register_forward_pre_hook(block_input(layer), with_kwargs=True))
        if "head_out" in wanted:
            handles.append(parts.out_projs[layer].register_forward_pre_hook(module_input("head_out", layer, True)))
        if "attn_out" in wanted:
            handles.append(parts.out_projs[layer].register_forward_hook(module_output("attn_out", layer)))
        if "mlp_post" in wanted:
            handles.append(parts.mlp_downs[layer].register_forward_pre_hook(module_input("mlp_post", layer)))
        if "mlp_pre" in wanted and parts.mlp_acts[layer] is not None:
            handles.append(parts.mlp_acts[layer].register_forward_pre_hook(module_input("mlp_pre", layer)))
        if "mlp_out" in wanted:
            handles.append(parts.mlp_downs[layer].register_forward_hook(module_output("mlp_out", layer)))
        if "resid_mid" in wanted and parts.resid_mids is not None:
            handles.append(parts.resid_mids[layer].register_forward_hook(module_output("resid_mid", layer)))
        if "cross_out" in wanted and parts.cross_out_projs is not None:
            handles.append(parts.cross_out_projs[layer].register_forward_hook(module_output("cross_out", layer)))
    return handles


def _register_encoder(run: Run, parts, wanted: set[str], encoder_input, block_output, module_output) -> list:
    """An encoder–decoder's encoder: its residual stream, and its output (the `encoder_out` site)."""
    handles = []
    if "encoder_resid" in wanted:
        for layer, block in enumerate(parts.encoder_blocks):
            handles.append(block.register_forward_pre_hook(encoder_input(layer), with_kwargs=True))
        last = len(parts.encoder_blocks)
        handles.append(parts.encoder_blocks[-1].register_forward_hook(block_output("encoder_resid", last)))
    if "encoder_out" in wanted and parts.encoder_final_norm is not None:
        handles.append(parts.encoder_final_norm.register_forward_hook(module_output("encoder_out", 0)))
    return handles


@contextmanager
def hooked(lm: LoadedModel, n_tokens: int, edits: Iterable[Edit] = (), record: Iterable[str] = ()) -> Iterator[Run]:
    """Hold the model's lock, register the hooks for `record` and `edits`, yield the Run, remove them all."""
    edits = tuple(edits)
    for edit in edits:
        edit.check(lm, n_tokens)
    for edit in edits:
        edit.prepare(lm)  # before the hooks exist: a reference trace of its own
    run = Run(lm, len(lm.parts.blocks), edits, set(record))
    with lm.lock:
        handles: list = []
        runs = active_runs()
        try:
            handles = _register(run, lm)
            runs.append(run)
            yield run
        finally:
            if runs and runs[-1] is run:
                runs.pop()
            for handle in handles:
                handle.remove()
