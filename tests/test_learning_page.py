"""The replay of a bundled model's training: the record read back, the phase change found, the page in both
languages with its step in the link, and a model trained elsewhere told why there is nothing to replay."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lessons import t
from model.load import WEIGHTS
from tests.test_pages import charts, plotly_values, run_page, visible_text
from training.replay import load_replay, phase_change

PAGE = "pages/8_learning.py"


def test_the_replay_reads_back_what_the_run_recorded():
    folder = Path(WEIGHTS) / "tinytales"
    replay = load_replay(folder)
    record = json.loads((folder / "training_record.json").read_text())
    assert list(replay.steps) == [entry["step"] for entry in record["loss"]]
    assert replay.val[0] == record["loss"][0]["val"] and replay.induction.shape == (len(replay.steps), 4, 8)
    assert replay.attention[4000].dtype == np.float32  # float16 on disk: JSON cannot carry it
    assert replay.at(4049) == list(replay.steps).index(4000)


def test_the_phase_change_is_where_an_induction_head_first_reaches_the_bar():
    replay = load_replay(Path(WEIGHTS) / "tinytales")
    step = phase_change(replay)
    best = replay.induction.max(axis=(1, 2))
    assert step == 4000 and best[replay.at(step)] >= 0.5 > best[: replay.at(step)].max()
    # TinyTales 中文 started its blocks from TinyTales: its induction head is back by the second record
    assert phase_change(load_replay(Path(WEIGHTS) / "tinytales-zh")) == 200


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_replays_a_step_from_the_link(lang):
    at = run_page(PAGE, lang=lang, model="tinytales", step="100")
    assert not at.exception and not at.error
    assert at.select_slider(key="_learning.step").value == 100
    assert "the king, and the king" in visible_text(at)  # the try-this text's loop, written at step 100
    induction = next(f for f in charts(at) if t("heads.role.induction", lang) in f["layout"]["title"]["text"])
    assert plotly_values(induction["data"][0]["z"]).max() < 0.1  # no induction head yet
    at.select_slider(key="_learning.step").set_value(4000).run()
    assert at.query_params["step"] == "4000"
    induction = next(f for f in charts(at) if t("heads.role.induction", lang) in f["layout"]["title"]["text"])
    z = plotly_values(induction["data"][0]["z"]).reshape(4, 8)
    assert z[3, 3] > 0.5 and z[3, 2] > 0.25  # layer 3's heads 3 and 2 light up (the try-this text)


def test_the_chinese_model_replays_too():
    at = run_page(PAGE, lang="zh", model="tinytales-zh")
    assert not at.exception and not at.error
    assert "第 3,000 步时它写出的内容" in visible_text(at)  # the last record's continuations
    assert "没有一个头的归纳得分达到" not in visible_text(at)  # a head reached the bar, at step 200


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_model_trained_elsewhere_says_why_there_is_no_replay(lang):
    at = run_page(PAGE, lang=lang, model="minilm")
    assert not at.exception
    assert any("MiniLM" in i.value for i in at.info)
    titles = [f["layout"]["title"]["text"] for f in charts(at)]
    assert not any(t("learning.loss.title", lang) == title for title in titles)  # nothing replayed
    assert len(titles) == 1  # only the objectives' fill-in bars (TinyTales MLM's)


def test_play_steps_forward_and_stops_at_the_end():
    at = run_page(PAGE, model="tinytales", step="9400")
    at.toggle(key="_learning.play").set_value(True).run()
    assert not at.exception
    assert at.select_slider(key="_learning.step").value == 9500  # the run after pressing play moves one record
    at.run()
    assert at.select_slider(key="_learning.step").value == 9600
    at.run()
    assert at.select_slider(key="_learning.step").value == 9600 and at.toggle(key="_learning.play").value is False


def test_the_causal_example_scores_every_position_on_the_next_token():
    from model.load import load_tokenizer
    from training.objectives import causal_example

    tok = load_tokenizer("tinytales")[0]
    example = causal_example(tok, "Once upon a time there was a little girl")
    ids = tok("Once upon a time there was a little girl", add_special_tokens=False)["input_ids"]
    assert example["input_id"] == ids[:-1] and example["label"] == ids[1:]


def test_the_masked_example_is_berts_recipe():
    from model.load import load_tokenizer
    from training.objectives import IGNORE, masked_example

    tok = load_tokenizer("minilm")[0]
    text = " ".join(["the little girl walked through the quiet wood to her grandmother's house"] * 4)
    kinds, chosen = [], 0
    for seed in range(40):
        example = masked_example(tok, text, seed=seed, most=60)
        original = tok(text, truncation=True, max_length=62)["input_ids"]
        for i, (label, kind) in enumerate(zip(example["label"], example["kind"], strict=True)):
            if kind:
                assert label == original[i]  # the loss asks for the original token
            else:
                assert label == IGNORE and example["input_id"][i] == original[i]
        assert example["kind"][0] == example["kind"][-1] == ""  # [CLS] and [SEP] are never chosen
        kinds += [k for k in example["kind"] if k]
        chosen += len(example["kind"]) - 2
    assert 0.11 < len(kinds) / chosen < 0.19  # about 15 % chosen …
    assert 0.72 < kinds.count("mask") / len(kinds) < 0.88  # … of them about 80 % [MASK]
    assert masked_example(tok, text, seed=3) == masked_example(tok, text, seed=3)  # a seed shows the same draw


@pytest.mark.parametrize("lang, words", [("en", "the loss counts everywhere"), ("zh", "每个位置都计入损失")])
def test_both_objectives_show_on_the_page(lang, words):
    at = run_page(PAGE, lang=lang, model="tinytales")
    assert not at.exception
    assert any(words in c.value for c in at.caption)
    masked = at.dataframe[1].value
    assert masked.iloc[0, 0] == "[CLS]" and (masked.iloc[:, 2] == -100).sum() >= len(masked) - 6
    at.number_input(key="_learning.mask_seed").set_value(7).run()
    assert not at.exception and at.query_params["mask_seed"] == "7"
