"""The two models the app ships with load offline and trace real text."""

from __future__ import annotations

import numpy as np
import pytest

from model import load_model, trace
from model.load import WEIGHTS
from model.numeric import induction_score, offset_attention, previous_token_score, repeated_random_ids
from model.tracing import trace_ids


@pytest.fixture(scope="module")
def minilm():
    return load_model("minilm", device="cpu")


def test_minilm_loads_offline_and_reads_both_ways(minilm):
    tr = trace(minilm, "The cat sat on the mat.")
    assert tr.tokens[0] == "[CLS]" and tr.tokens[-1] == "[SEP]"
    assert tr.family.startswith("BERT") and not tr.is_causal and tr.logits is None
    assert tr.pattern.shape == (6, 12, tr.n_tokens, tr.n_tokens)
    assert tr.pattern[..., 1, 2:].sum() > 0.01  # "the" attends to words after it
    assert minilm.token_scheme == "wordpiece"


def test_minilm_gives_similar_sentences_similar_vectors(minilm):
    """Real pretrained weights, not random: paraphrases sit closer than unrelated text."""

    def vec(text):
        v = trace(minilm, text).resid[-1].mean(0)
        return v / np.linalg.norm(v)

    a, b, c = vec("A man is playing a guitar."), vec("Someone plays the guitar."), vec("The stock market fell today.")
    assert a @ b > a @ c + 0.2


def test_tinytales_ships_with_its_card_and_record():
    folder = WEIGHTS / "tinytales"
    for name in ("config.json", "model.safetensors", "tokenizer.json", "MODEL_CARD.md", "training_record.json"):
        assert (folder / name).is_file(), name
    assert (folder / "model.safetensors").stat().st_size < 25e6


@pytest.mark.parametrize("text", ["Once upon a time, the king said.", "从前有一个小女孩。", "🐉🏰 dragons\n\ttabs"])
def test_tinytales_tokenizer_round_trips(text):
    lm = load_model("tinytales", device="cpu")
    ids = lm.tokenizer(text)["input_ids"]
    assert lm.tokenizer.decode(ids) == text
    tr = trace(lm, text)
    assert b"".join(tr.token_bytes) == text.encode("utf-8")


def test_tinytales_predicts_story_words():
    lm = load_model("tinytales", device="cpu")
    tr = trace(lm, "Once upon a time there was a little")
    assert tr.is_causal and tr.position_kind == "learned" and tr.context_size >= 256
    top = np.argsort(-tr.logits[-1])[:10]
    words = [lm.tokenizer.decode([int(i)]).strip().lower() for i in top]
    assert {"girl", "boy", "old", "man", "king", "house", "princess", "prince", "child"} & set(words)


FABLE = (
    "A fox who had never yet seen a lion met one in the wood. He was so frightened that he nearly "
    "died of fear. Meeting him a second time, he was still afraid, but not as much as before. When "
    "he met the lion a third time, he grew so bold that he walked up to him and began to talk."
)


def test_tinytales_has_an_induction_head_above_a_previous_token_head():
    """The heads the attention lesson points at are really there, on a fable written for this test."""
    lm = load_model("tinytales", device="cpu")
    fable = trace(lm, FABLE).pattern  # (L, H, T, T)
    previous = previous_token_score(fable)  # (L, H)
    period = 32
    ids = [lm.tokenizer.eos_token_id, *repeated_random_ids(lm.config.vocab_size, period, seed=7)]
    induction = induction_score(trace_ids(lm, ids).pattern, period, offset=1)  # (L, H)
    assert induction.max() > 0.5  # a head spread evenly over BOS and the first copy scores 1/33
    # the induction head reads a previous-token head in an earlier layer (what it composes with)
    layer = int(np.unravel_index(induction.argmax(), induction.shape)[0])
    assert layer > 0 and previous[:layer].max() > 0.3
    # and that head looks one token back more than at the current token or two back
    pattern = fable[:layer]  # (layer, H, T, T)
    where = np.unravel_index(previous[:layer].argmax(), previous[:layer].shape)
    assert offset_attention(pattern, 1)[where] > max(
        offset_attention(pattern, 0)[where], offset_attention(pattern, 2)[where]
    )


def test_barely_trained_rows_are_near_copies_of_another_row():
    import numpy as np

    from model import load_model, trace
    from model.weights import barely_trained, embedding_matrix

    lm = load_model("tinytales")
    ids = trace(lm, "从前有一个小女孩 and a cat").token_ids
    flags = barely_trained(lm, ids)
    matrix = embedding_matrix(lm).astype(np.float64)
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    for token_id, flagged in zip(ids, flags, strict=True):
        sims = unit @ unit[token_id]
        sims[token_id] = -1
        assert flagged == (sims.max() > 0.999)
    assert flags.any() and not flags.all()  # the byte pieces are, " cat" is not


def test_the_attention_lessons_try_this_happens_on_tinytales():
    """lessons/attention.py "attention.try": the last ` the` looks back at ` log` through layer 3, heads 2 and 6."""
    from model import load_model, trace

    tr = trace(load_model("tinytales"), "The cat sat on the mat. The dog sat on the log. The cat sat on the")
    log = tr.tokens.index(" log")
    assert tr.tokens[-1] == " the"
    assert tr.pattern[3, 2, -1, log] > 0.55 and tr.pattern[3, 6, -1, log] > 0.75


def test_the_chinese_models_try_this_happens():
    """The "@zh" try-this sentences of the attention, embeddings and blocks lessons, on TinyTales 中文."""
    import numpy as np

    from model import load_model, trace
    from model.lens import sublayer_lens
    from model.numeric import nearest
    from model.weights import embedding_matrix, vocabulary

    lm = load_model("tinytales-zh")
    texts = vocabulary(lm)[1]
    tr = trace(lm, "小猫坐在门口。小狗跑到河边。小猫坐在门口。小狗跑到")
    assert tr.tokens[-1] == "跑到" and tr.tokens[6] == "狗" and tr.tokens[9] == "边"
    assert tr.tokens[8] == "河"
    assert 0.55 < tr.pattern[3, 6, -1, 8] < 0.7 and tr.pattern[2, 5, -1, 17] > 0.6
    assert tr.pattern[3, 2, -1, 8] > 0.4 and tr.pattern[3, 3, -1, 8] > 0.4
    _, rows = sublayer_lens(tr, -1)
    guesses = [texts[int(r.argmax())] for r in rows]
    assert "河" not in guesses[:7] and guesses[7:] == ["河", "河"]  # layer 3's attention writes the copy
    assert {"跑到", "想着", "学生", "窗外"} <= set(guesses[:7])
    matrix = embedding_matrix(lm)
    for word, friends in (("说道", {"答道", "叫道", "奏道"}), ("宝玉", {"宝钗", "黛玉道"})):
        one = lm.tokenizer(word, add_special_tokens=False)["input_ids"]
        assert len(one) == 1
        ids, _ = nearest(matrix, matrix[one[0]], k=10, exclude=one[0])
        assert friends <= {texts[i] for i in ids}
    assert np.isfinite(tr.pattern).all()


def test_tinytales_zh_loads_with_plain_transformers_and_reads_chinese_in_words():
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from model import load_model, trace
    from model.load import WEIGHTS

    folder = WEIGHTS / "tinytales-zh"
    model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    ids = tokenizer("从前有一个小女孩", return_tensors="pt")["input_ids"]
    assert ids.shape[1] <= 6  # words, not bytes: 从前 · 有一个 · 小 · 女孩
    lm = load_model("tinytales-zh")
    tr = trace(lm, "从前有一个小女孩")
    with torch.no_grad():
        plain = model(input_ids=ids).logits[0, -1].numpy()
    assert abs(tr.logits_at(-1) - plain).max() < 1e-4
    assert lm.language == "zh" and tr.model_name == "TinyTales 中文"
