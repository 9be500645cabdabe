"""TinyTales MLM, the bundled masked-language model: it loads plainly with transformers, our readout equals its
own head, [MASK] slots are filled and ranked as its logits say, and every page works on it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lessons import t
from model import trace
from model.fill import can_fill, fill_masks, hide_token
from model.lens import logit_lens
from model.load import WEIGHTS
from tests.test_pages import charts, run_page, visible_text
from ui.pages import WALK

FOLDER = WEIGHTS / "tinytales-mlm"
SENTENCE = "The king said to the [MASK], “Go and bring me the golden apple.”"


@pytest.fixture(scope="module")
def mlm():
    from ui.state import cached_model

    return cached_model("tinytales-mlm")


def test_it_loads_with_plain_transformers_and_our_readout_is_its_head(mlm):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(FOLDER)
    model = AutoModelForMaskedLM.from_pretrained(FOLDER).eval()
    assert type(model).__name__ == "BertForMaskedLM" and tokenizer.mask_token == "[MASK]"
    encoded = tokenizer(SENTENCE, return_tensors="pt")
    with torch.no_grad():
        theirs = model(**encoded).logits[0].numpy()  # (T, V)
    tr = trace(mlm, SENTENCE)
    assert tr.token_ids.tolist() == encoded["input_ids"][0].tolist()
    assert np.allclose(tr.logits_at(slice(None)), theirs, atol=1e-4)
    assert can_fill(mlm) and not tr.is_causal and not tr.readout.linear


def test_the_lens_reads_every_layer_through_the_same_head(mlm):
    tr = trace(mlm, SENTENCE)
    slot = tr.tokens.index("[MASK]")
    lens = logit_lens(mlm, tr, slot)  # (L+1, V)
    own = torch.log_softmax(torch.from_numpy(tr.logits_at(slot)).double(), -1).numpy()
    assert lens.shape == (tr.n_layers + 1, tr.vocab_size) and np.allclose(lens[-1], own, atol=1e-5)


def test_a_typed_mask_is_filled_and_a_hidden_token_ranked_as_the_logits_say(mlm):
    fills = fill_masks(mlm, trace(mlm, "Once upon a time there was a [MASK] who lived in a [MASK]."))
    assert len(fills) == 2 and all(f.original is None for f in fills)
    assert all(np.all(np.diff(f.probs) <= 0) and f.probs.sum() <= 1 for f in fills)
    tr = trace(mlm, "The cat sat on the mat.")
    fill = hide_token(mlm, tr, 2)  # " cat"
    ids = tr.token_ids.copy()
    ids[2] = mlm.tokenizer.mask_token_id
    with torch.no_grad():
        logits = mlm.model(input_ids=torch.tensor([ids])).logits[0, 2]
    independent = int((logits > logits[tr.token_ids[2]]).sum()) + 1
    assert fill.original == tr.token_ids[2] and fill.rank == independent
    assert fill.ids[0] == int(logits.argmax())


def test_a_decoder_cannot_fill():
    from ui.state import cached_model

    lm = cached_model("tinytales")
    assert not can_fill(lm)
    with pytest.raises(ValueError, match="masked-language"):
        fill_masks(lm, trace(lm, "The cat"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_next_token_page_fills_the_mask(lang):
    at = run_page("pages/6_next_token.py", lang=lang, model="tinytales-mlm", prompt="The cat sat on the mat.")
    assert not at.exception and not at.error
    titles = [f["layout"]["title"]["text"] for f in charts(at)]
    assert len(titles) == 1 and t("next_token.fill.what", lang, vocab=8196)[:20] in visible_text(at)
    at.button(key="fill_example").click().run()
    assert not at.exception and at.session_state["prompt"] == SENTENCE
    assert [f["layout"]["title"]["text"] for f in charts(at)] == [t("next_token.fill.title.typed", lang)]


@pytest.mark.parametrize("page", WALK, ids=lambda p: p.key)
def test_every_page_works_on_the_masked_model(page):
    at = run_page(page.file, model="tinytales-mlm", prompt="The cat sat on the mat. The dog ran to the cat.")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_learning_page_replays_the_masked_run():
    at = run_page("pages/8_learning.py", lang="zh", model="tinytales-mlm")
    assert not at.exception and not at.error
    titles = [f["layout"]["title"]["text"] for f in charts(at)]
    assert any(t("heads.role.next_token", "zh") in title for title in titles)
    assert "掩码语言模型" in visible_text(at)


def test_the_try_this_fills_and_ranks_happen(mlm):
    fill = fill_masks(mlm, trace(mlm, SENTENCE))[0]
    words = [mlm.tokenizer.decode([i]) for i in fill.ids[:3]]
    assert words == [" king", " giant", " princess"] and 0.15 < fill.probs[0] < 0.21
    from ui.state import EXAMPLES

    tr = trace(mlm, EXAMPLES["en"][0])  # the default prompt, "… lived in a wood. One day she"
    ranks = {tr.tokens[i]: hide_token(mlm, tr, i).rank for i in range(1, tr.n_tokens - 1)}
    assert ranks[" was"] == ranks[" in"] == 1 and ranks[" wood"] == ranks[" she"] == 19
