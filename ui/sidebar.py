"""The sidebar on every page: language, model and prompt. Values live in session state and the URL."""

from __future__ import annotations

import streamlit as st

from lessons import LANGS
from ui.pages import nav
from ui.state import (
    BUNDLED_MODELS,
    EXAMPLES,
    MAX_PROMPT_CHARS,
    follow_language,
    lang,
    prompt_in_link,
    session_model,
    t,
    value,
)

CUSTOM = "custom"
LANG_NAMES = {"en": "English", "zh": "中文"}


def _choose_example() -> None:
    picked = st.session_state.get("_example")
    if any(picked in examples for examples in EXAMPLES.values()):
        st.session_state["prompt"] = picked
    st.session_state["_example"] = None


def _model_changed() -> None:
    choice = st.session_state.get("_model_choice")
    st.session_state["_custom_open"] = choice == CUSTOM
    st.session_state["_model_chosen"] = True
    if choice in BUNDLED_MODELS:
        st.session_state["model"] = choice
        return
    typed = (st.session_state.get("_model_id") or "").strip()
    if typed:
        st.session_state["model"] = typed[:300]


def sidebar() -> None:
    with st.sidebar:
        nav()
        st.divider()
        st.radio(
            t("sidebar.language"),
            LANGS,
            format_func=LANG_NAMES.get,
            key="lang",
            horizontal=True,
        )
        follow_language()
        # The chosen model is kept in "model"; the widgets below only edit it.
        model = value("model")
        st.session_state.setdefault("model", model)
        custom = model not in BUNDLED_MODELS or st.session_state.get("_custom_open", False)
        st.session_state["_model_choice"] = CUSTOM if custom else model
        if model not in BUNDLED_MODELS:
            st.session_state["_model_id"] = model
        # short names fit the sidebar's box; what each one is goes below it and in the help.
        # format_func must not read session state later: labels are fixed now, in this run's language
        choices = (*BUNDLED_MODELS, CUSTOM)
        model_names = {m: t(f"sidebar.model.{m}") for m in choices}
        st.selectbox(
            t("sidebar.model"),
            choices,
            format_func=lambda m, names=model_names: names[m],
            key="_model_choice",
            on_change=_model_changed,
            help="\n".join(f"- **{model_names[m]}**: {t(f'sidebar.about.{m}')}" for m in choices),
        )
        if st.session_state["_model_choice"] != CUSTOM:  # the custom box's own label says what to type
            st.caption(t(f"sidebar.about.{st.session_state['_model_choice']}"))
        else:
            st.text_input(
                t("sidebar.model_id"),
                key="_model_id",
                help=t("sidebar.model_id.help"),
                placeholder="EleutherAI/pythia-70m",
                on_change=_model_changed,
            )
            st.checkbox(t("sidebar.allow_download"), key="allow_download")
            if model in BUNDLED_MODELS:  # nothing typed yet: say which model the lessons still show
                st.info(t("sidebar.custom.waiting", model=model_names[model]), icon="⌨️")
        if session_model() is not None:  # lesson 9's tuned copy stands in for the chosen model
            st.info(t("sidebar.session_model", model=session_model()["lm"].display_name), icon="🎯")
        st.session_state.setdefault("prompt", value("prompt"))
        st.text_area(t("sidebar.prompt"), key="prompt", height=120, max_chars=MAX_PROMPT_CHARS)
        st.selectbox(
            t("sidebar.examples"),
            EXAMPLES[lang()],
            index=None,
            placeholder=t("sidebar.examples.pick"),  # also after a pick, which resets the box
            key="_example",
            on_change=_choose_example,
        )
        st.session_state.setdefault("present", value("present"))
        st.toggle(t("sidebar.present"), key="present", help=t("sidebar.present.help"))
        prompt = value("prompt")
        if prompt_in_link(prompt):
            st.caption(t("sidebar.share"))
        else:
            st.caption(t("sidebar.share.no_prompt", n=len(prompt)))
