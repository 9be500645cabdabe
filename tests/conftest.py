"""Shared fixtures: tiny random models of every family, built in memory, no downloads."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a test that tries to download fails loudly

import pytest
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertModel,
    GPT2Config,
    GPT2LMHeadModel,
    GPTNeoXConfig,
    GPTNeoXForCausalLM,
    LlamaConfig,
    LlamaForCausalLM,
    MBartConfig,
    MBartForConditionalGeneration,
    PreTrainedTokenizerFast,
)

from model import from_model
from model.load import minilm_path

TEXT = [
    "Once upon a time there was a little girl who lived in a wood.",
    "The king said to the queen that the dragon was asleep.",
    "Alice was beginning to get very tired of sitting by her sister.",
] * 20
VOCAB = 320


@pytest.fixture(scope="session")
def bpe_tokenizer():
    """A small byte-level BPE tokenizer (GPT-2 scheme) trained on a few sentences."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(TEXT, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>")


@pytest.fixture(scope="session")
def wordpiece_tokenizer():
    return AutoTokenizer.from_pretrained(minilm_path())


def _tiny(config_cls, model_cls, **kw):
    torch.manual_seed(0)
    config = config_cls(attn_implementation="eager", **kw)
    return model_cls(config).eval()


def make_model(family: str):
    small = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64)
    if family == "gpt2":
        return _tiny(
            GPT2Config,
            GPT2LMHeadModel,
            vocab_size=VOCAB,
            n_positions=64,
            n_embd=32,
            n_layer=2,
            n_head=4,
            bos_token_id=0,
            eos_token_id=0,
        )
    if family == "llama":  # grouped-query attention: 4 query heads share 2 key/value heads
        return _tiny(
            LlamaConfig,
            LlamaForCausalLM,
            vocab_size=VOCAB,
            max_position_embeddings=64,
            num_key_value_heads=2,
            bos_token_id=0,
            eos_token_id=0,
            pad_token_id=0,
            **small,
        )
    if family == "neox":
        return _tiny(
            GPTNeoXConfig,
            GPTNeoXForCausalLM,
            vocab_size=VOCAB,
            max_position_embeddings=64,
            rotary_pct=0.5,
            bos_token_id=0,
            eos_token_id=0,
            **small,
        )
    if family == "bert":
        return _tiny(BertConfig, BertModel, vocab_size=30522, max_position_embeddings=64, **small)
    if family == "mbart":  # an encoder–decoder; weights drawn wide enough that greedy decoding varies
        return _tiny(
            MBartConfig,
            MBartForConditionalGeneration,
            vocab_size=VOCAB,
            d_model=32,
            encoder_layers=2,
            decoder_layers=3,
            encoder_attention_heads=4,
            decoder_attention_heads=4,
            encoder_ffn_dim=64,
            decoder_ffn_dim=64,
            max_position_embeddings=64,
            init_std=0.3,
            pad_token_id=1,
            bos_token_id=0,
            eos_token_id=VOCAB - 1,
            decoder_start_token_id=0,
            forced_eos_token_id=None,
        )
    raise ValueError(family)


FAMILIES = ["gpt2", "llama", "neox", "bert"]  # one stack each; "mbart", the encoder–decoder, is tested apart


@pytest.fixture(scope="session")
def tiny_folder(tmp_path_factory, bpe_tokenizer, wordpiece_tokenizer):
    """family name → a folder holding a tiny random model and its tokenizer, as a user's own model looks
    (safetensors weights, config.json, tokenizer files); saved once a session."""
    cache = {}

    def get(family: str):
        if family not in cache:
            folder = tmp_path_factory.mktemp(f"tiny-{family}")
            make_model(family).save_pretrained(folder, safe_serialization=True)
            (wordpiece_tokenizer if family == "bert" else bpe_tokenizer).save_pretrained(folder)
            cache[family] = folder
        return cache[family]

    return get


@pytest.fixture(scope="session")
def tiny(bpe_tokenizer, wordpiece_tokenizer):
    """family name → LoadedModel of a tiny random model (cached for the session)."""
    cache = {}

    def get(family: str):
        if family not in cache:
            tokenizer = wordpiece_tokenizer if family == "bert" else bpe_tokenizer
            cache[family] = from_model(make_model(family), tokenizer, name=f"tiny-{family}")
        return cache[family]

    return get
