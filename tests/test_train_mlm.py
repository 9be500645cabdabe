"""The masked-language training script: its tokenizer, its windows, its cheaper loss (equal to
BertForMaskedLM's own) and its accuracy against the frequent-token baseline."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from model.load import WEIGHTS
from training.train_mlm import MlmConfig, build_model, build_tokenizer, evaluate, frequent_tokens, masked_loss, windows

SMALL = MlmConfig(
    n_layer=2, n_head=2, n_embd=32, n_inner=64, n_positions=16, batch_size=4, eval_batches=2, warm_start=False
)


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer(str(WEIGHTS / "tinytales"))


def test_the_tokenizer_wraps_text_and_a_mask_takes_its_space(tokenizer):
    ids = tokenizer("a little [MASK] who")["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    assert tokens == ["[CLS]", "a", "Ġlittle", "[MASK]", "Ġwho", "[SEP]"]
    assert len(tokenizer) == 8192 + 4 and tokenizer.mask_token_id == 8195
    plain = build_tokenizer(str(WEIGHTS / "tinytales"))  # the original ids are unchanged
    assert plain("Once upon a time", add_special_tokens=False)["input_ids"] == [
        i for i in tokenizer("Once upon a time")["input_ids"][1:-1]
    ]


def test_windows_open_with_cls_and_close_with_sep(tokenizer):
    data = np.arange(300, 400, dtype=np.uint16)
    data[50] = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    rows = windows(data, SMALL, np.random.default_rng(0), tokenizer)
    assert rows.shape == (4, 16)
    assert (rows[:, 0] == tokenizer.cls_token_id).all() and (rows[:, -1] == tokenizer.sep_token_id).all()
    assert not (rows == tokenizer.convert_tokens_to_ids("<|endoftext|>")).any()  # a book's end reads as [SEP]


def test_the_masked_only_loss_equals_bert_for_masked_lms_own(tokenizer):
    from transformers import DataCollatorForLanguageModeling

    model = build_model(SMALL, tokenizer)
    rows = windows(np.arange(300, 1300, dtype=np.uint16), SMALL, np.random.default_rng(1), tokenizer)
    batch = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.3, seed=0)([{"input_ids": r} for r in rows])
    ours = masked_loss(model, batch["input_ids"], batch["labels"])
    theirs = model(input_ids=batch["input_ids"], labels=batch["labels"]).loss
    assert torch.isclose(ours, theirs, rtol=1e-5)
    assert (batch["labels"] != -100).any() and (batch["labels"][:, 0] == -100).all()  # [CLS] never chosen


def test_accuracy_and_the_baseline_are_shares_of_the_masked_tokens(tokenizer):
    model = build_model(SMALL, tokenizer)
    data = np.tile(np.array([300, 301, 302, 303, 300, 300], dtype=np.uint16), 200)
    frequent = frequent_tokens(data, tokenizer)
    assert frequent[0] == 300 and set(frequent[1:4]) == {301, 302, 303}
    many = MlmConfig(**{**SMALL.__dict__, "eval_batches": 40, "batch_size": 8})  # about 670 masked tokens
    scores = evaluate(model, data, many, tokenizer, frequent)
    assert 0.45 < scores["baseline_top1"] < 0.55  # half of this text is token 300
    assert math.isclose(scores["baseline_top5"], 1.0)  # only four distinct tokens, all among the five
    assert 0 <= scores["top1"] <= scores["top5"] <= 1 and scores["val"] > 0


def test_the_warm_start_copies_tinytales_embeddings_row_for_row(tokenizer):
    from transformers import AutoModelForCausalLM

    model = build_model(MlmConfig(n_layer=1), tokenizer)  # TinyTales' width, one block: quick to build
    decoder = AutoModelForCausalLM.from_pretrained(WEIGHTS / "tinytales").transformer
    ours = model.bert.embeddings
    assert torch.equal(ours.word_embeddings.weight[:8192], decoder.wte.weight)
    assert torch.equal(ours.position_embeddings.weight, decoder.wpe.weight[:128])
    assert not torch.equal(ours.word_embeddings.weight[8192:], torch.zeros(4, 256))  # the four new tokens: random
