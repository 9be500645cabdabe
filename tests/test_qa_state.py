"""URL state and the sidebar, as the browser walk of 2026-12 found them (QA items 7, 8, 9, 17, 21, 22,
23, 30): a picked token follows its word, notices name their cause and retire, links stay short enough."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import run_page
from ui.pages import OVERVIEW_ALIASES, WALK, stray_path
from ui.state import EXAMPLES, URL_FIELDS, control, same_token, snap

KING = "The king and the queen"


def param(at: AppTest, name: str) -> str | None:
    raw = at.query_params.get(name)
    return raw[0] if isinstance(raw, list) else raw


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


# item 7 — the picked token follows its word


def test_same_token_finds_the_word_in_another_split():
    tiny = ["The", " king", " and", " the", " queen"]
    mini = ["[CLS]", "the", "king", "and", "the", "queen", "[SEP]"]
    assert same_token(tiny, 1, mini) == 2  # ·king → king
    assert same_token(mini, 2, tiny) == 1
    assert same_token(tiny, 3, mini) == 4  # the second "the" stays the second
    assert same_token(tiny, 0, mini) == 1  # case and space ignored when there is no exact match
    assert same_token(mini, 0, tiny) is None  # [CLS] has no counterpart
    assert same_token(["a", "##ing"], 1, ["x", "ing"]) == 1
    assert same_token(tiny, 4, ["Hi", " there"]) is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_picked_word_survives_a_model_switch(lang):
    at = run_page("pages/2_embeddings.py", lang=lang, model="tinytales", prompt=KING)
    at.selectbox(key="token").set_value(1).run()  # ·king
    assert not at.exception
    at.selectbox(key="_model_choice").set_value("minilm").run()
    assert not at.exception and not at.error
    assert at.session_state["token"] == 2  # MiniLM puts [CLS] first
    assert at.selectbox(key="token").value == 2
    assert "king" in at.selectbox(key="token").format_func(2)
    assert param(at, "token") == "2"
    at.selectbox(key="_model_choice").set_value("tinytales").run()
    assert at.session_state["token"] == 1


@pytest.mark.parametrize("lang, words", [("en", "not among this prompt's tokens"), ("zh", "不在")])
def test_a_picked_word_missing_from_a_new_prompt_falls_back_to_the_last_once(lang, words):
    at = run_page("pages/4_attention.py", lang=lang, model="tinytales", prompt=KING)
    at.selectbox(key="token").set_value(4).run()  # ·queen
    at.text_area(key="prompt").input("Hi there").run()
    assert not at.exception
    assert at.session_state["token"] == -1
    assert "token" not in at.query_params
    notice = [w.value for w in at.warning if words in w.value]
    assert len(notice) == 1 and "queen" in notice[0]
    at.run()  # shown once: the next run has nothing to say
    assert not any(words in w.value for w in at.warning)


# item 8 — notices name the cause, show once, and the link follows


@pytest.mark.parametrize("lang, layers, heads", [("en", "4 layers", "8 heads"), ("zh", "4 层", "8 个注意力头")])
def test_a_model_with_fewer_heads_shows_the_nearest_and_says_why(lang, layers, heads):
    at = run_page("pages/4_attention.py", lang=lang, model="minilm", layer=5, head=11, prompt=KING)
    assert not at.exception and not at.warning
    at.selectbox(key="_model_choice").set_value("tinytales").run()
    assert not at.exception
    assert (at.session_state["layer"], at.session_state["head"]) == (3, 7)
    assert (param(at, "layer"), param(at, "head")) == ("3", "7")
    text = warnings(at)
    assert layers in text and heads in text and "TinyTales" in text
    assert "link" not in text.lower() and "链接" not in text
    at.run()
    assert not at.warning


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_past_the_last_layer_is_rewritten(lang):
    at = run_page("pages/4_attention.py", lang=lang, layer=99, token=500, prompt=KING)
    assert not at.exception
    assert param(at, "layer") == "3" and "token" not in at.query_params
    assert at.selectbox(key="layer").value == 3
    text = warnings(at)
    assert ("99" in text and "500" in text) and ("4 layers" in text or "4 层" in text)


@pytest.mark.parametrize("lang, rule", [("en", "a number from 0 to 5"), ("zh", "0 到 5 之间的数")])
def test_a_bad_link_value_says_what_would_work_and_retires_on_the_first_change(lang, rule):
    at = run_page("pages/1_tokens.py", lang=lang, temperature="abc")
    assert not at.exception
    assert "temperature='abc'" in warnings(at) and rule in warnings(at)
    assert "temperature" not in at.query_params
    at.switch_page("pages/2_embeddings.py").run()  # the view is still the link's: the notice still applies
    assert "temperature='abc'" in warnings(at)
    at.text_area(key="prompt").input("A new prompt").run()
    assert "temperature" not in warnings(at)
    at.switch_page("pages/1_tokens.py").run()
    assert "temperature" not in warnings(at)


# item 22 — link values snap to the slider's step


def test_snap_to_the_step():
    assert snap("temperature", 0.001) == 0.0
    assert snap("temperature", 0.74) == 0.75
    assert snap("top_p", 0.555) == 0.56
    assert snap("top_p", 0.3) == 0.3
    assert snap("seed", 7) == 7
    assert control("temperature") == {"min_value": 0.0, "max_value": 5.0, "step": 0.05}
    assert control("top_p")["step"] == URL_FIELDS["top_p"].step == 0.01


@pytest.mark.parametrize("lang, words", [("en", "nearest step"), ("zh", "最近的刻度")])
def test_a_link_between_slider_steps_uses_the_value_the_slider_shows(lang, words):
    at = run_page(WALK[0].file, lang=lang, temperature="0.001", top_p="0.555")
    assert not at.exception
    assert at.session_state["temperature"] == 0.0 and at.session_state["top_p"] == 0.56
    assert param(at, "temperature") == "0.0" and param(at, "top_p") == "0.56"
    assert warnings(at).count(words) == 2


# item 17 — a prompt too long for a link stays out of it, and the sidebar says so


@pytest.mark.parametrize("lang, words", [("en", "too long for a link"), ("zh", "放进链接太长了")])
def test_a_long_prompt_stays_out_of_the_link(lang, words):
    long = "从前有一个小女孩，她住在山里。" * 60  # 900 characters, about 8,000 once in an address
    at = run_page("pages/1_tokens.py", lang=lang, temperature="0.5")
    at.text_area(key="prompt").input(long).run()
    assert not at.exception
    assert "prompt" not in at.query_params and param(at, "temperature") == "0.5"
    assert any(words in c.value and "900" in c.value for c in at.sidebar.caption)
    short = "从前有一个小女孩"
    at.text_area(key="prompt").input(short).run()
    assert param(at, "prompt") == short
    assert not any(words in c.value for c in at.sidebar.caption)


# item 21 — a page's own controls keep their value across pages


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "page, widget, key, value",
    [
        ("pages/6_next_token.py", "number_input", "_next_token.n", 3),
        ("pages/3_positions.py", "slider", "_positions.rows", 200),
    ],
)
def test_a_page_control_keeps_its_value_after_another_page(lang, page, widget, key, value):
    at = run_page(page, lang=lang)
    getattr(at, widget)(key=key).set_value(value).run()
    at.switch_page("pages/4_attention.py").run()
    at.switch_page(page).run()
    assert not at.exception
    assert getattr(at, widget)(key=key).value == value


# items 23 and 30 — the Model box


@pytest.mark.parametrize(
    "lang, waiting", [("en", "Until then every lesson shows TinyTales"), ("zh", "各课仍显示 TinyTales")]
)
def test_your_own_with_nothing_typed_says_which_model_is_shown(lang, waiting):
    at = run_page("pages/1_tokens.py", lang=lang, model="tinytales")
    at.selectbox(key="_model_choice").set_value("custom").run()
    assert not at.exception
    assert any(waiting in i.value for i in at.sidebar.info)
    assert at.session_state["model"] == "tinytales"


@pytest.mark.parametrize("lang, about", [("en", "Our small GPT-2"), ("zh", "小型 GPT-2")])
def test_model_names_are_short_and_the_detail_is_beside_them(lang, about):
    at = run_page(WALK[0].file, lang=lang, model="tinytales")
    box = at.selectbox(key="_model_choice")
    labels = box.options  # as shown
    assert max(len(label) for label in labels) <= 16, labels  # the sidebar's box shows about 24 characters
    assert any(about in c.value for c in at.sidebar.caption)
    assert about in box.help


# item 9 — a mistyped page opens the Overview, with our notice instead of Streamlit's English dialog


def test_a_mistyped_page_is_recognised():
    assert stray_path("http://host:8501/nonexistent") == "nonexistent"
    assert stray_path("http://host:8501/walk/nonexistent", "/walk/") == "nonexistent"
    assert stray_path("http://host:8501/walk", "walk") is None
    for ours in (*(p.url_path for p in WALK), *OVERVIEW_ALIASES, ""):
        assert stray_path(f"http://host:8501/{ours}") is None
    assert stray_path("http://host:8501/a/b") is None  # a nested path cannot be a page
    assert stray_path(None) is None


def test_the_default_prompts_still_fit_in_a_link():
    from ui.state import prompt_in_link

    assert all(prompt_in_link(p) for examples in EXAMPLES.values() for p in examples)
    assert not prompt_in_link("字" * 700)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kept_blocks_controls_start_again_when_another_prompt_cannot_offer_them(lang):
    at = run_page("pages/5_blocks.py", lang=lang, model="tinytales", prompt="Once upon a time there was a little")
    first = at.multiselect(key="_blocks.pinned").value
    at.selectbox(key="_blocks.rival").select_index(1).run()
    at.switch_page("pages/4_attention.py").run()
    at.text_area(key="prompt").set_value("The dragon flew over the castle and").run()
    at.switch_page("pages/5_blocks.py").run()
    assert not at.exception
    pinned = at.multiselect(key="_blocks.pinned")
    assert pinned.value != first and len(pinned.value) == 3
    assert all(pinned.format_func(i) in pinned.options for i in pinned.value)  # this prompt's own candidates
    assert at.selectbox(key="_blocks.rival").value == -1  # the old rival is not among this prompt's runners-up
