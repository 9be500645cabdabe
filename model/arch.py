"""Where each architecture family keeps its parts.

One `Family` per layout; paths are dotted attribute names, relative to `model.base_model`
(blocks, embeddings, final norm) or to one block (the rest). The hooks of `model.hooks` find every
named site of `model.types.SITES` through these modules, matched by identity:

    resid_pre   input of the block              attn_out   output of `out_proj`
    head_out    input of `out_proj` (H × dh)    mlp_post   input of `mlp_down`
    mlp_out     output of `mlp_down`            resid_mid  output of `resid_mid` (post-norm only)

`attention` is the module that the registered attention function receives (see model/attention.py).

An encoder–decoder (MBart) names its decoder's parts in the fields above, and its encoder and cross-attention
in the `encoder_*` and `cross_*` fields: the encoder's blocks feed `encoder_resid`, its final norm's output is
the `encoder_out` site, each decoder block's cross-attention output projection the `cross_out` site, and the
attention function tells the three kinds of attention apart by module identity (model/hooks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch

from model.errors import UnsupportedArchitecture


@dataclass(frozen=True)
class Family:
    name: str  # shown to users, e.g. "GPT-2"
    model_types: tuple[str, ...]  # config.model_type values it covers
    token_embedding: str  # nn.Embedding, relative to base_model
    position_embedding: str | None  # learned table, or None (rotary)
    blocks: str  # nn.ModuleList of blocks
    attention: str  # the self-attention module the attention function is called with, relative to a block
    out_proj: str  # attention's output projection (its input: the heads' z side by side), relative to a block
    mlp_down: str  # the MLP's down projection (its input: the neurons), relative to a block
    mlp_act: str  # the MLP's activation function module (its input: the pre-activations), relative to a block
    resid_mid: str | None  # module whose output is the block's state between attention and MLP (post-norm)
    final_norm: str | None  # relative to base_model; None for post-norm encoders
    position_kind: Literal["learned", "rotary"]
    is_causal: bool  # decoder (masked) or encoder (bidirectional)
    pre_norm: bool  # resid[l+1] = resid[l] + attn_out[l] (+ cross_out[l]) + mlp_out[l] holds
    # an encoder–decoder's other half: the paths above then name the decoder's parts (relative to base_model)
    encoder_blocks: str | None = None  # the encoder's nn.ModuleList, relative to base_model
    encoder_attention: str | None = None  # an encoder block's self-attention, relative to that block
    encoder_final_norm: str | None = None  # its output is what cross-attention reads, relative to base_model
    cross_attention: str | None = None  # a decoder block's encoder–decoder attention, relative to that block
    cross_out_proj: str | None = None  # its output projection, relative to a decoder block

    @property
    def is_seq2seq(self) -> bool:
        """An encoder–decoder: an encoder reads the source, a decoder writes the output and reads the
        encoder's output through cross-attention."""
        return self.encoder_blocks is not None


GPT2 = Family(
    name="GPT-2",
    model_types=("gpt2",),
    token_embedding="wte",
    position_embedding="wpe",
    blocks="h",
    attention="attn",
    out_proj="attn.c_proj",
    mlp_down="mlp.c_proj",
    mlp_act="mlp.act",
    resid_mid=None,
    final_norm="ln_f",
    position_kind="learned",
    is_causal=True,
    pre_norm=True,
)
LLAMA = Family(
    name="Llama-style (Llama, Qwen2/3, Mistral, SmolLM, …)",
    model_types=("llama", "mistral", "qwen2", "qwen3", "olmo2", "granite", "helium"),
    token_embedding="embed_tokens",
    position_embedding=None,
    blocks="layers",
    attention="self_attn",
    out_proj="self_attn.o_proj",
    mlp_down="mlp.down_proj",
    mlp_act="mlp.act_fn",
    resid_mid=None,
    final_norm="norm",
    position_kind="rotary",
    is_causal=True,
    pre_norm=True,
)
NEOX = Family(
    name="GPT-NeoX (Pythia)",
    model_types=("gpt_neox",),
    token_embedding="embed_in",
    position_embedding=None,
    blocks="layers",
    attention="attention",
    out_proj="attention.dense",
    mlp_down="mlp.dense_4h_to_h",
    mlp_act="mlp.act",
    resid_mid=None,
    final_norm="final_layer_norm",
    position_kind="rotary",
    is_causal=True,
    pre_norm=True,
)
BERT = Family(
    name="BERT-style encoders (BERT, MiniLM, RoBERTa)",
    model_types=("bert", "roberta", "xlm-roberta", "electra"),
    token_embedding="embeddings.word_embeddings",
    position_embedding="embeddings.position_embeddings",
    blocks="encoder.layer",
    attention="attention.self",
    out_proj="attention.output.dense",
    mlp_down="output.dense",
    mlp_act="intermediate.intermediate_act_fn",
    resid_mid="attention",
    final_norm=None,
    position_kind="learned",
    is_causal=False,
    pre_norm=False,
)
MBART = Family(  # pre-norm BART: a decoder block is self-attention, cross-attention, MLP, each after a LayerNorm
    name="MBart-style encoder–decoders (MBart, TinyDates)",
    model_types=("mbart",),
    token_embedding="decoder.embed_tokens",
    position_embedding="decoder.embed_positions",
    blocks="decoder.layers",
    attention="self_attn",
    out_proj="self_attn.out_proj",
    mlp_down="fc2",
    mlp_act="activation_fn",
    resid_mid=None,
    final_norm="decoder.layer_norm",
    position_kind="learned",
    is_causal=True,
    pre_norm=True,
    encoder_blocks="encoder.layers",
    encoder_attention="self_attn",
    encoder_final_norm="encoder.layer_norm",
    cross_attention="encoder_attn",
    cross_out_proj="encoder_attn.out_proj",
)
FAMILIES = (GPT2, LLAMA, NEOX, BERT, MBART)


def supported_families() -> str:
    return "; ".join(f.name for f in FAMILIES)


def family_for(model_type: str, name: str = "") -> Family:
    """The family whose layout a `config.model_type` follows, or UnsupportedArchitecture."""
    for family in FAMILIES:
        if model_type in family.model_types:
            return family
    raise UnsupportedArchitecture(name=name or model_type, model_type=model_type, families=supported_families())


@dataclass(frozen=True)
class Parts:
    """The modules of one loaded model, found through its family's paths."""

    family: Family
    token_embedding: torch.nn.Embedding
    position_embedding: torch.nn.Embedding | None
    blocks: list[torch.nn.Module]
    attentions: list[torch.nn.Module]  # per layer: what the attention function is called with
    out_projs: list[torch.nn.Module]  # per layer: attention's output projection
    mlp_downs: list[torch.nn.Module]  # per layer: the MLP's down projection
    mlp_acts: list[torch.nn.Module | None]  # per layer: the activation module; None where it is a bare function
    resid_mids: list[torch.nn.Module] | None  # per layer, post-norm families only
    final_norm: torch.nn.Module | None
    unembed: torch.nn.Module | None  # lm_head for decoders; a masked-language model's decoder
    head_transform: torch.nn.Module | None = None  # a masked-language head's dense + activation + norm (BERT's)
    # an encoder–decoder's encoder and cross-attention (None otherwise); `blocks` etc. above are the decoder's
    encoder_blocks: list[torch.nn.Module] | None = None
    encoder_attentions: list[torch.nn.Module] | None = None  # per encoder layer
    encoder_final_norm: torch.nn.Module | None = None
    cross_attentions: list[torch.nn.Module] | None = None  # per decoder layer
    cross_out_projs: list[torch.nn.Module] | None = None  # per decoder layer


def _module_or_none(block: torch.nn.Module, path: str) -> torch.nn.Module | None:
    """The module at `path`, or None where the model keeps a plain function there (it cannot be hooked)."""
    owner, _, attr = path.rpartition(".")
    found = getattr(block.get_submodule(owner) if owner else block, attr)
    return found if isinstance(found, torch.nn.Module) else None


def masked_lm_head(model: torch.nn.Module) -> torch.nn.Module | None:
    """BERT's masked-language head transform (dense, activation, LayerNorm before the decoder), if the model
    has one: BertForMaskedLM does; a bare encoder (MiniLM) does not."""
    predictions = getattr(getattr(model, "cls", None), "predictions", None)
    transform = getattr(predictions, "transform", None)
    return transform if all(hasattr(transform, a) for a in ("dense", "transform_act_fn", "LayerNorm")) else None


def find_parts(model: torch.nn.Module, family: Family, name: str = "") -> Parts:
    """Resolve every path now, so a layout that does not match fails at load, not mid-lesson."""
    base = model.base_model
    head = masked_lm_head(model)
    try:
        blocks = list(base.get_submodule(family.blocks))
        halves = _encoder_parts(base, blocks, family)
        return Parts(
            family=family,
            token_embedding=base.get_submodule(family.token_embedding),
            position_embedding=base.get_submodule(family.position_embedding) if family.position_embedding else None,
            blocks=blocks,
            attentions=[b.get_submodule(family.attention) for b in blocks],
            out_projs=[b.get_submodule(family.out_proj) for b in blocks],
            mlp_downs=[b.get_submodule(family.mlp_down) for b in blocks],
            mlp_acts=[_module_or_none(b, family.mlp_act) for b in blocks],
            resid_mids=[b.get_submodule(family.resid_mid) for b in blocks] if family.resid_mid else None,
            final_norm=base.get_submodule(family.final_norm) if family.final_norm else None,
            unembed=model.get_output_embeddings() if family.is_causal or head is not None else None,
            head_transform=head,
            **halves,
        )
    except AttributeError as err:
        raise UnsupportedArchitecture(
            name=name, model_type=f"{model.config.model_type} ({err})", families=supported_families()
        ) from err


def _encoder_parts(base: torch.nn.Module, blocks: list[torch.nn.Module], family: Family) -> dict:
    """An encoder–decoder's encoder and cross-attention modules, for Parts (nothing for one stack)."""
    if not family.is_seq2seq:
        return {}
    encoder = list(base.get_submodule(family.encoder_blocks))
    return {
        "encoder_blocks": encoder,
        "encoder_attentions": [b.get_submodule(family.encoder_attention) for b in encoder],
        "encoder_final_norm": base.get_submodule(family.encoder_final_norm) if family.encoder_final_norm else None,
        "cross_attentions": [b.get_submodule(family.cross_attention) for b in blocks],
        "cross_out_projs": [b.get_submodule(family.cross_out_proj) for b in blocks],
    }
