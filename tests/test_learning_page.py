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
    assert phase_change(load_replay(Path(WEIGHTS) / "tinytales-zh")) is None  # no induction head yet


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
    assert "他与八戒，却就教沙僧" in visible_text(at)  # the last record's continuation, as the try-this says
    assert "没有一个头的归纳得分达到" in visible_text(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_model_trained_elsewhere_says_why_there_is_no_replay(lang):
    at = run_page(PAGE, lang=lang, model="minilm")
    assert not at.exception
    assert any("MiniLM" in i.value for i in at.info) and not charts(at)


def test_play_steps_forward_and_stops_at_the_end():
    at = run_page(PAGE, model="tinytales", step="9400")
    at.toggle(key="_learning.play").set_value(True).run()
    assert not at.exception
    assert at.select_slider(key="_learning.step").value == 9500  # the run after pressing play moves one record
    at.run()
    assert at.select_slider(key="_learning.step").value == 9600
    at.run()
    assert at.select_slider(key="_learning.step").value == 9600 and at.toggle(key="_learning.play").value is False
