"""Edits: replace an activation at a named site during a forward pass (see model.types.SITES).

    tr = trace(lm, prompt, edits=[AblateHead(3, 3)])                      # head 3 of layer 3 writes nothing
    tr = trace(lm, corrupted, edits=[Patch("resid_pre", 2, clean, position=5)])  # one vector from another run

An edit sees the site's activation with its batch axis, (B, T, d) or (B, T, H, dh) for `head_out`,
and returns the replacement. Edits are frozen and hashable, so a cache can key on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import torch

from model.errors import BadEdit
from model.types import SEQ2SEQ_SITES, SITES, Site, Trace

if TYPE_CHECKING:
    from model.load import LoadedModel


class Edit:
    """Base class. `site` and `layer` say where it acts; `apply` returns the new activation."""

    site: Site
    layer: int

    def check(self, lm: LoadedModel, n_tokens: int) -> None:
        """Raise BadEdit when this edit cannot act on `lm` over `n_tokens` tokens."""
        n_layers = len(lm.parts.blocks)
        if self.site not in SITES:
            raise BadEdit(reason=f"unknown site '{self.site}'; the sites are {', '.join(SITES)}")
        if self.site == "resid_mid" and lm.parts.resid_mids is None:
            raise BadEdit(reason=f"{lm.display_name} has no separate resid_mid (it is pre-norm: resid_pre + attn_out)")
        if self.site in SEQ2SEQ_SITES and not lm.family.is_seq2seq:
            raise BadEdit(reason=f"{lm.display_name} has no encoder–decoder attention, so no {self.site}")
        if self.site == "encoder_out" and self.layer != 0:
            raise BadEdit(reason="the encoder has one output: encoder_out takes layer 0")
        if not 0 <= self.layer < n_layers:
            raise BadEdit(reason=f"layer {self.layer} does not exist; {lm.display_name} has layers 0–{n_layers - 1}")

    def prepare(self, lm: LoadedModel) -> None:
        """Work to do before the forward (outside the hooks), e.g. a reference mean."""

    def apply(self, value: torch.Tensor, lm: LoadedModel) -> torch.Tensor:
        raise NotImplementedError


@dataclass(frozen=True)
class AblateHead(Edit):
    """Knock out one head: its output z becomes 0 ("zero") or its mean over a reference text ("mean")."""

    layer: int
    head: int
    mode: Literal["zero", "mean"] = "zero"
    site: Site = field(default="head_out", init=False)

    def check(self, lm: LoadedModel, n_tokens: int) -> None:
        super().check(lm, n_tokens)
        n_heads = int(lm.config.num_attention_heads)
        if not 0 <= self.head < n_heads:
            raise BadEdit(reason=f"head {self.head} does not exist; each layer has heads 0–{n_heads - 1}")
        if self.mode not in ("zero", "mean"):
            raise BadEdit(reason=f"ablation mode '{self.mode}' is neither 'zero' nor 'mean'")

    def prepare(self, lm: LoadedModel) -> None:
        if self.mode == "mean":
            from model.reference import mean_head_out

            mean_head_out(lm)  # computed once per model and kept

    def apply(self, value: torch.Tensor, lm: LoadedModel) -> torch.Tensor:
        out = value.clone()  # (B, T, H, dh)
        if self.mode == "zero":
            out[:, :, self.head] = 0
        else:
            from model.reference import mean_head_out

            mean = mean_head_out(lm)[self.layer, self.head]  # (dh,)
            out[:, :, self.head] = torch.tensor(mean, device=out.device, dtype=out.dtype)
        return out

    def __str__(self) -> str:
        return f"ablate L{self.layer}H{self.head} ({self.mode})"


@dataclass(frozen=True)
class Zero(Edit):
    """The site writes nothing: its activation becomes 0 at every position. `Zero("cross_out", l)` for every
    decoder layer l knocks out cross-attention: the decoder no longer reads the source at all."""

    site: Site
    layer: int

    def apply(self, value: torch.Tensor, lm: LoadedModel) -> torch.Tensor:
        return torch.zeros_like(value)

    def __str__(self) -> str:
        return f"zero {self.site} L{self.layer}"


def knock_out_cross(lm: LoadedModel) -> tuple[Edit, ...]:
    """Every decoder layer's cross-attention zeroed: an encoder–decoder's decoder left to itself."""
    return tuple(Zero("cross_out", layer) for layer in range(len(lm.parts.blocks)))


@dataclass(frozen=True, eq=False)
class Patch(Edit):
    """Take the activation at `site` of `layer` from another trace `source` of the same length: at every
    position, or at `position` only; for `head_out`, one `head` only (or all)."""

    site: Site
    layer: int
    source: Trace
    position: int | None = None
    head: int | None = None

    def _source_value(self) -> np.ndarray:
        stored = {
            "resid_pre": self.source.resid,
            "attn_out": self.source.attn_out,
            "head_out": self.source.head_out,
            "resid_mid": self.source.resid_mid,
            "mlp_post": self.source.mlp_post,
            "mlp_out": self.source.mlp_out,
            "cross_out": self.source.cross_out,
        }[self.site]
        if stored is None:
            raise BadEdit(reason=f"the source trace did not record {self.site} (trace it with mlp_post=True)")
        return stored[self.layer]  # (T, ...)

    def check(self, lm: LoadedModel, n_tokens: int) -> None:
        super().check(lm, n_tokens)
        if self.site == "encoder_out":
            raise BadEdit(
                reason="a patch takes decoder positions; the encoder's output is patched by tracing that source"
            )
        if self.source.n_tokens != n_tokens:
            raise BadEdit(
                reason=f"the source has {self.source.n_tokens} tokens and this prompt {n_tokens}: "
                "a patch needs two prompts of the same length in tokens"
            )
        self._source_value()
        if self.position is not None and not -n_tokens <= self.position < n_tokens:
            raise BadEdit(reason=f"position {self.position} is outside the prompt's {n_tokens} tokens")
        if self.head is not None and (self.site != "head_out" or not 0 <= self.head < self.source.n_heads):
            raise BadEdit(reason="a head can only be chosen for head_out, and must exist")

    def apply(self, value: torch.Tensor, lm: LoadedModel) -> torch.Tensor:
        source = torch.tensor(self._source_value(), device=value.device, dtype=value.dtype)  # (T, ...)
        out = value.clone()
        where = slice(None) if self.position is None else self.position
        if self.head is None:
            out[:, where] = source[where]
        else:
            out[:, where, self.head] = source[where, self.head]
        return out

    def __str__(self) -> str:
        at = "" if self.position is None else f" @{self.position}"
        head = "" if self.head is None else f"H{self.head}"
        return f"patch {self.site} L{self.layer}{head}{at} from {self.source.prompt[:20]!r}"

    def __hash__(self) -> int:
        return hash((self.site, self.layer, id(self.source), self.position, self.head))
