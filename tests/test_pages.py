"""Every page through Streamlit's AppTest: both languages, English/Chinese/emoji prompts, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.pages import WALK

APP = str(Path(__file__).resolve().parents[1] / "walk.py")
PROMPTS = {
    "english": "Once upon a time there was a little girl who lived in a wood.",
    "chinese": "从前有一个小女孩，她住在森林里。",
    "emoji": "The dragon 🐉 flew over the castle 🏰 at night ✨",
}
MIN_CHARTS = {
    "home": 0,
    "tokens": 2,
    "embeddings": 3,
    "positions": 2,
    "attention": 3,
    "blocks": 4,
    "next_token": 1,
    "heads": 5,
    "learning": 4,
    "finetune": 0,  # its charts come after a run (tests/test_finetune.py)
    "rag": 3,  # map, bars, positions; copying heads and leave-one-out need a chunk that fits (test_rag.py: 5)
    "seq2seq": 7,  # its own model, TinyDates, whatever the sidebar model: views, grid, step, knock-out, history, bridge
}
HAN = "的一是在不了有人这中大为上个国我以要他时来用们生到作地于出就年"  # common Chinese characters


def run_page(page: str, timeout: float = 60, **query) -> AppTest:
    """Open the app with this query string, then go to `page` (st.navigation needs a first run)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params = {k: str(v) for k, v in query.items()}
    at.run()
    if page != WALK[0].file:
        at.switch_page(page).run()
    return at


def charts(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as JSON."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def plotly_values(data) -> np.ndarray:
    """A Plotly JSON array: a list, or a typed array {"dtype", "bdata"}."""
    if isinstance(data, dict):
        import base64

        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
    return np.asarray(data)


def visible_text(at: AppTest) -> str:
    parts = [
        el.value
        for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error")
        for el in at.get(kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("prompt", list(PROMPTS))
@pytest.mark.parametrize("page", WALK, ids=lambda p: p.key)
def test_every_page_renders_its_charts(page, prompt, lang):
    at = run_page(page.file, lang=lang, prompt=PROMPTS[prompt])
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    figures = charts(at)
    assert len(figures) >= MIN_CHARTS[page.key]
    assert all(fig["data"] for fig in figures), "a chart without data"
    text = visible_text(at)
    if lang == "zh":
        assert sum(ch in HAN for ch in text) > 20, "the page is not in Chinese"


@pytest.mark.parametrize("page", WALK, ids=lambda p: p.key)
def test_every_page_works_on_the_encoder(page):
    at = run_page(page.file, model="minilm", prompt=PROMPTS["english"])
    assert not at.exception and not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang, expected", [("en", "The prompt is empty"), ("zh", "提示词为空")])
def test_empty_prompt_says_what_to_do(lang, expected):
    at = run_page("pages/1_tokens.py", lang=lang, prompt="   ")
    assert not at.exception
    assert any(expected in e.value for e in at.error)


def test_a_prompt_over_the_context_is_cut_with_a_notice():
    at = run_page("pages/4_attention.py", prompt="The king and the queen. " * 3400)  # ~20,000 tokens' worth of text
    assert not at.exception and not at.error
    assert any("dropped" in w.value for w in at.warning)


def test_control_characters_and_nul_do_not_break_the_walk():
    at = run_page("pages/1_tokens.py", prompt="bell\x07 nul\x00 rtl\u202e zero\u200bwidth")
    assert not at.exception and not at.error


@pytest.mark.parametrize("lang, expected", [("en", "No model called"), ("zh", "本机上没有名为")])
def test_unknown_model_shows_a_message_and_the_sidebar_still_works(lang, expected):
    at = run_page("pages/1_tokens.py", lang=lang, model="no-such-org/no-such-model")
    assert not at.exception
    assert any(expected in e.value for e in at.error)
    at.selectbox(key="_model_choice").set_value("tinytales").run()
    assert not at.error and not at.exception
    assert at.session_state["model"] == "tinytales"


def test_a_folder_without_weights_is_refused_clearly(tmp_path):
    (tmp_path / "config.json").write_text('{"model_type": "gpt2"}')
    (tmp_path / "pytorch_model.bin").write_bytes(b"pickle")
    at = run_page("pages/1_tokens.py", model=str(tmp_path))
    assert not at.exception
    assert any("safetensors" in e.value for e in at.error)


def test_bad_query_values_fall_back_with_a_notice():
    at = run_page("pages/0_home.py", lang="xx", temperature="hot", top_p="7", seed="-3")
    assert not at.exception and not at.error
    notices = " ".join(w.value for w in at.warning)
    for name in ("lang", "temperature", "top_p", "seed"):
        assert name in notices
    assert at.session_state["lang"] == "en"


def test_the_url_holds_the_view():
    at = run_page("pages/1_tokens.py", lang="zh", prompt="Alice was")
    assert at.query_params["lang"] == ["zh"] or at.query_params["lang"] == "zh"
    at.text_area(key="prompt").input("The king said to").run()
    assert "The king said to" in str(at.query_params["prompt"])


@pytest.fixture(scope="module")
def rotary_folder(tiny_folder):
    """A tiny random Llama (rotary positions, grouped-query attention) saved as a user's own folder."""
    return tiny_folder("llama")


@pytest.mark.parametrize("page", WALK, ids=lambda p: p.key)
def test_your_own_rotary_model_from_a_folder(page, rotary_folder):
    at = run_page(page.file, model=str(rotary_folder), prompt=PROMPTS["emoji"])
    assert not at.exception and not at.error, [e.value for e in at.error]
    if page.key == "learning":  # trained elsewhere: no record to replay, and the page says so
        assert any("trained elsewhere" in i.value for i in at.info)
        return
    assert len(charts(at)) >= MIN_CHARTS[page.key]
    if page.key == "positions":
        assert "RoPE" in visible_text(at)


@pytest.mark.parametrize(
    "query, model",
    [
        ({"lang": "zh"}, "tinytales-zh"),
        ({"lang": "en"}, "tinytales"),
        ({"lang": "zh", "model": "tinytales"}, "tinytales"),  # a link keeps its model
        ({"lang": "en", "model": "tinytales-zh"}, "tinytales-zh"),
    ],
)
def test_the_default_model_and_prompt_follow_the_language_until_chosen(query, model):
    from ui.state import EXAMPLES

    at = run_page(WALK[0].file, **query)
    assert not at.exception
    assert at.session_state["model"] == model
    if "model" not in query:
        assert at.session_state["prompt"] == EXAMPLES[query["lang"]][0]
        assert "model" not in at.query_params  # the default needs no parameter
    else:
        assert at.query_params["model"] == model


def test_switching_to_chinese_switches_an_unchosen_model_and_prompt():
    at = run_page(WALK[0].file)
    assert at.session_state["model"] == "tinytales"
    at.radio(key="lang").set_value("zh").run()
    assert at.session_state["model"] == "tinytales-zh"
    assert "从前" in at.session_state["prompt"]


@pytest.mark.parametrize("page", WALK, ids=lambda p: p.key)
def test_every_page_works_on_tinytales_zh_in_english(page):
    at = run_page(page.file, lang="en", model="tinytales-zh", prompt=PROMPTS["chinese"])
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert all(fig["data"] for fig in charts(at))


@pytest.mark.parametrize("lang, words", [("en", "hardly ever updated"), ("zh", "几乎没被训练")])
def test_untrained_byte_rows_are_named_on_the_embeddings_page(lang, words):
    at = run_page("pages/2_embeddings.py", lang=lang, model="tinytales", prompt=PROMPTS["chinese"])
    assert not at.exception
    assert any(words in w.value and "TinyTales 中文" in w.value for w in at.warning)
    plain = run_page("pages/2_embeddings.py", lang=lang, model="tinytales", prompt=PROMPTS["english"])
    assert not any(words in w.value for w in plain.warning)


def test_the_presentation_view_is_kept_in_the_link_and_can_be_left():
    at = run_page("pages/4_attention.py", present=1, lang="zh")
    assert not at.exception
    assert any("stSidebar" in h.proto.body for h in at.get("html"))  # the sidebar is hidden by the view's style
    assert at.query_params["present"] == "1"
    leave = next(b for b in at.button if "退出演示模式" in b.label)
    leave.click().run()
    assert "present" not in at.query_params


def test_picking_an_example_sets_the_prompt_and_the_box_shows_its_placeholder_again():
    from ui.state import EXAMPLES

    at = run_page(WALK[1].file, lang="zh")
    at.selectbox(key="_example").set_value(EXAMPLES["zh"][1]).run()
    assert at.session_state["prompt"] == EXAMPLES["zh"][1]
    box = at.selectbox(key="_example")
    assert box.value is None and box.placeholder == "选择一个示例……"
