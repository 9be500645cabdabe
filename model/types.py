"""The data a trace hands to the lessons: plain numpy, importable without torch (viz/ reads these).

from model.types import Trace
tr.pattern[layer, head]        # (T, T) attention of every query token over every key token
tr.logits_at(-1)               # (V,) next-token scores after the last token
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

# Named places in a forward pass where an activation can be read and replaced (per layer):
#   resid_pre  (T, d)     what enters block l: resid[l]
#   attn_out   (T, d)     what block l's attention writes (its output projection's output)
#   head_out   (T, H, dh) each head's output z, before the output projection mixes the heads
#   resid_mid  (T, d)     after attention, before the MLP: only where a family has a distinct one
#                         (post-norm BERT: LayerNorm(resid_pre + attn_out)); pre-norm: resid_pre + attn_out
#   mlp_post   (T, m)     the MLP's hidden activations (after the non-linearity), the "neurons"
#   mlp_pre    (T, m)     what the activation function receives (a gated MLP multiplies its output further)
#   mlp_out    (T, d)     what block l's MLP writes (its down projection's output)
# and in an encoder–decoder only (the sites above are then the decoder's):
#   cross_out   (T, d)    what decoder block l's cross-attention writes (its output projection's output)
#   encoder_out (S, d)    the encoder's output, after its final norm: what every cross-attention reads (layer 0)
SITES = ("resid_pre", "attn_out", "head_out", "resid_mid", "mlp_post", "mlp_out", "cross_out", "encoder_out")
SEQ2SEQ_SITES = ("cross_out", "encoder_out")
Site = Literal["resid_pre", "attn_out", "head_out", "resid_mid", "mlp_post", "mlp_out", "cross_out", "encoder_out"]


@dataclass(frozen=True, eq=False)
class Readout:
    """The model's last step, final norm then unembedding, as numpy arrays shared by every trace of a model.

    It turns any residual vector into next-token scores: the model's own logits from resid[L], and the
    logit lens from any earlier layer. Arrays are read-only views of the model's weights where possible."""

    norm: Literal["layer", "rms"] | None  # the final norm's kind; None: no final norm
    norm_weight: np.ndarray | None  # (d,)
    norm_bias: np.ndarray | None  # (d,) LayerNorm only
    eps: float
    unembed: np.ndarray  # (V, d): logits = normed @ unembed.T + unembed_bias
    unembed_bias: np.ndarray | None  # (V,)
    # a masked-language model's head first transforms the vector: act(resid @ head_weight.T + head_bias), then
    # its norm (above) and the unembedding; None for a decoder, whose readout is the final norm alone
    head_weight: np.ndarray | None = None  # (d, d)
    head_bias: np.ndarray | None = None  # (d,)
    head_act: Callable | None = None  # the model's own activation function (on a torch tensor)

    @property
    def linear(self) -> bool:
        """Whether the readout, its norm's scale frozen, is linear in the residual vector: what splitting a
        logit into the parts that wrote the vector needs. A masked-language head's activation is not."""
        return self.head_weight is None

    def transform(self, resid: np.ndarray) -> np.ndarray:
        """(..., d) the masked-language head's dense layer and activation (the vector itself for a decoder)."""
        x = resid.astype(np.float32)
        if self.head_weight is None:
            return x
        import torch  # only a loaded model's readout has a head: torch is there

        dense = x @ self.head_weight.T + (self.head_bias if self.head_bias is not None else 0.0)
        return self.head_act(torch.from_numpy(np.ascontiguousarray(dense, dtype=np.float32))).numpy()

    def scale(self, resid: np.ndarray) -> np.ndarray:
        """(..., 1) what the final norm divides each vector by (its standard deviation, or root mean square)."""
        return self._scale_of(self.transform(resid))

    def _scale_of(self, x: np.ndarray) -> np.ndarray:
        if self.norm is None:
            return np.ones((*x.shape[:-1], 1), dtype=np.float32)
        if self.norm == "rms":
            return np.sqrt((x * x).mean(-1, keepdims=True) + np.float32(self.eps))
        centred = x - x.mean(-1, keepdims=True)
        return np.sqrt((centred * centred).mean(-1, keepdims=True) + np.float32(self.eps))

    def normalize(self, resid: np.ndarray, scale: np.ndarray | None = None) -> np.ndarray:
        """(..., d) the final norm applied to `resid` (after a masked-language head's transform); a given `scale`
        (..., 1) is used instead of its own."""
        x = self.transform(resid)
        if self.norm is None:
            return x
        s = self._scale_of(x) if scale is None else scale
        centred = x if self.norm == "rms" else x - x.mean(-1, keepdims=True)
        out = centred / s
        if self.norm_weight is not None:
            out = out * self.norm_weight
        if self.norm_bias is not None:
            out = out + self.norm_bias
        return out

    def logits(self, resid: np.ndarray) -> np.ndarray:
        """(..., V) next-token scores for residual vectors (..., d)."""
        out = self.normalize(resid) @ self.unembed.T
        return out + self.unembed_bias if self.unembed_bias is not None else out


@dataclass(frozen=True, eq=False)
class Trace:
    """One forward pass, on the CPU, batch dimension dropped. Axes:
    T tokens, d residual width, L layers (blocks), H heads per layer, dh head width, m MLP width,
    V vocabulary.

    Arrays are read-only: a trace is shared, never copied, between every page and session that asks for it.
    Larger views are derived on demand from what is stored: logits (`logits_at`, `logits`), the logit lens
    and per-head contributions (`model.lens`), the MLP's neurons (`mlp_post`, stored only when asked for).
    """

    model_name: str  # display name of the model
    family: str  # architecture family, e.g. "GPT-2"
    prompt: str  # the text that was traced (after any cut); `offsets` index it
    tokens: list[str]  # (T,) text of each token; "<e4 bd>" for a piece of a character
    token_bytes: list[bytes]  # (T,) raw bytes of each token
    token_ids: np.ndarray  # (T,) int64 ids fed to the model
    offsets: np.ndarray  # (T, 2) character span [start, end) in `prompt`; (0, 0) for special tokens
    token_embeddings: np.ndarray  # (T, d) rows of the embedding matrix for these ids
    position_embeddings: np.ndarray | None  # (T, d) learned position rows; None for rotary models
    position_kind: Literal["learned", "rotary"]
    rotary_base: float | None  # RoPE theta, for rotary models
    rotary_dim: int | None  # dimensions per head that rotate, for rotary models
    resid: np.ndarray  # (L+1, T, d) residual stream: [l] enters block l, [L] leaves the last block
    resid_mid: np.ndarray | None  # (L, T, d) between attention and MLP, where distinct (post-norm encoders)
    attn_out: np.ndarray  # (L, T, d) what each block's attention writes (before any post-norm)
    head_out: np.ndarray  # (L, T, H, dh) each head's output z, before the output projection
    mlp_out: np.ndarray  # (L, T, d) what each block's MLP writes (before any post-norm)
    mlp_post: np.ndarray | None  # (L, T, m) MLP hidden activations; only when the trace asked for them
    mlp_pre: np.ndarray | None  # (L, T, m) the activation function's input, with mlp_post; None where not hookable
    pattern: np.ndarray  # (L, H, T, T) float32 attention probabilities, query × key
    queries: np.ndarray  # (L, H, T, dh) query vectors as attention uses them (after rotary)
    keys: np.ndarray  # (L, H, T, dh) key vectors, grouped key heads repeated to H
    attn_scale: np.ndarray  # (L,) score scale, usually 1/sqrt(dh): score = q·k × scale
    readout: Readout | None  # final norm + unembedding; None for an encoder without an LM head
    is_causal: bool  # decoder (masked) or encoder (bidirectional)
    pre_norm: bool  # resid[l+1] = resid[l] + attn_out[l] + mlp_out[l] holds
    n_layers: int
    n_heads: int
    d_model: int
    vocab_size: int
    context_size: int  # most tokens the model reads at once
    token_limit: int  # most tokens this trace could hold: the context, or less under the memory budget
    dropped_tokens: int  # tokens cut to fit `token_limit` (0 if none)
    edits: tuple[str, ...] = ()  # descriptions of the edits applied during the forward ("" for none)
    # An encoder–decoder's trace (None for one stack). The fields above are then the decoder's: `tokens` runs from
    # the decoder start token through the output, `offsets` index `output`, and `prompt` is the source text.
    # S source tokens, Le encoder layers.
    output: str | None = None  # the decoder's text, special tokens left out
    source_tokens: list[str] | None = None  # (S,) what the encoder read, its closing token included
    source_ids: np.ndarray | None = None  # (S,) int64
    source_offsets: np.ndarray | None = None  # (S, 2) character span in `prompt`
    encoder_resid: np.ndarray | None = None  # (Le+1, S, d) the encoder's residual stream
    encoder_out: np.ndarray | None = None  # (S, d) after the encoder's final norm: what cross-attention reads
    encoder_pattern: np.ndarray | None = None  # (Le, H, S, S) encoder self-attention, bidirectional
    cross_pattern: np.ndarray | None = None  # (L, H, T, S) cross-attention: decoder position × source token
    cross_out: np.ndarray | None = None  # (L, T, d) what each decoder block's cross-attention writes

    @property
    def n_tokens(self) -> int:
        return len(self.tokens)

    @property
    def is_seq2seq(self) -> bool:
        return self.cross_pattern is not None

    @property
    def has_logits(self) -> bool:
        return self.readout is not None

    def logits_at(self, position: int | slice) -> np.ndarray:
        """(V,) or (n, V): the model's next-token scores at `position`, from resid[L] through the readout."""
        if self.readout is None:
            raise ValueError(f"{self.model_name} is an encoder without a language-model head: it has no logits.")
        return self.readout.logits(self.resid[-1, position])

    @property
    def logits(self) -> np.ndarray | None:
        """(T, V) scores at every position, computed on each access (prefer `logits_at`); None for an encoder."""
        return self.logits_at(slice(None)) if self.readout is not None else None

    @property
    def nbytes(self) -> int:
        """Bytes held by this trace's own arrays (the shared readout is not counted)."""
        arrays = (self.token_embeddings, self.position_embeddings, self.resid, self.resid_mid, self.attn_out)
        arrays += (self.head_out, self.mlp_out, self.mlp_post, self.mlp_pre, self.pattern, self.queries, self.keys)
        arrays += (self.encoder_resid, self.encoder_out, self.encoder_pattern, self.cross_pattern, self.cross_out)
        return int(sum(a.nbytes for a in arrays if a is not None))
