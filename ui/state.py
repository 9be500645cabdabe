"""Streamlit glue shared by app.py and every page: language, URL state, cached model and trace, messages.

Everything a link should reproduce lives in `st.session_state` under the names of `URL_FIELDS`, and
is written to the query string on every run; a new session reads it back once, checking each value.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from lessons import LANGS
from lessons import t as translate
from model import LoadedModel, Trace, WalkthroughError, load_model, trace
from model.load import LANGUAGE
from ui.cache import TraceCache, cache_bytes

log = logging.getLogger("llm_walkthrough")

MAX_PROMPT_CHARS = 50_000  # beyond this the prompt is cut before tokenizing, with a notice
BUNDLED_MODELS = ("tinytales", "tinytales-zh", "minilm")
DEFAULT_MODEL = {"en": "tinytales", "zh": "tinytales-zh"}  # until the user picks one
EXAMPLES = {  # the first of each is the default prompt in that language
    "en": (
        "Once upon a time there was a little girl who lived in a wood. One day she",
        "The king said to the queen: the dragon is asleep, and the king said to the dragon",
        "Alice was beginning to get very tired 🐇🕰️ of sitting by her sister",
        "The cat sat on the mat. The dog sat on the log. The cat sat on the",
    ),
    "zh": (
        "从前有一个小女孩，她住在山里。有一天，她",
        "话说那孙悟空跳上云头，对八戒说：“师父被妖精拿去了，",
        "他走进屋里，看见桌上放着一封信 ✉️，",
        "小猫坐在门口。小狗跑到河边。小猫坐在门口。小狗跑到",
    ),
}


def _flag(raw: str) -> bool:
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise ValueError(raw)


def _ranged(kind: Callable[[str], Any], low: float, high: float) -> Callable[[str], Any]:
    def parse(raw: str):
        value = kind(raw)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw

    return parse


def _model(raw: str) -> str:
    if not raw.strip() or len(raw) > 300:
        raise ValueError(raw)
    return raw.strip()


@dataclass(frozen=True)
class Field:
    parse: Callable[[str], Any]
    default: Any


URL_FIELDS: dict[str, Field] = {
    "lang": Field(_choice(LANGS), "en"),
    "model": Field(_model, "tinytales"),
    "prompt": Field(lambda raw: raw[:MAX_PROMPT_CHARS], EXAMPLES["en"][0]),
    "layer": Field(_ranged(int, 0, 1000), 0),
    "head": Field(_ranged(int, 0, 1000), 0),
    "token": Field(_ranged(int, -1, 100_000), -1),  # a chosen token position; -1 = the last
    "temperature": Field(_ranged(float, 0.0, 5.0), 1.0),
    "top_k": Field(_ranged(int, 0, 100_000), 0),
    "top_p": Field(_ranged(float, 0.01, 1.0), 1.0),
    "seed": Field(_ranged(int, 0, 2**31 - 1), 0),
    "greedy": Field(_flag, False),
    "present": Field(_flag, False),  # presentation view for a projector: no sidebar, larger text and charts
}


def lang() -> str:
    return st.session_state.get("lang", "en")


def t(key: str, **params) -> str:
    """A sentence in the current user's language."""
    return translate(key, lang(), **params)


def default(name: str):
    """A URL field's default; the model and the prompt follow the interface language."""
    if name == "model":
        return DEFAULT_MODEL[lang()]
    if name == "prompt":
        return EXAMPLES[lang()][0]
    return URL_FIELDS[name].default


def t_model(key: str, **params) -> str:
    """Like `t`, but a sentence written for the current model's language (`key@zh`) wins where one exists."""
    from lessons.i18n import has

    name = value("model")
    language = LANGUAGE.get(name, "en")
    if language != "en" and has(f"{key}@{language}"):
        key = f"{key}@{language}"
    return t(key, **params)


def value(name: str):
    """The current value of a URL field (its default until set)."""
    return st.session_state.get(name, default(name))


def follow_language() -> None:
    """Until the user picks a model or edits the prompt, both follow the interface language."""
    state = st.session_state
    if not state.get("_model_chosen"):
        state["model"] = DEFAULT_MODEL[lang()]
    if state.get("prompt") in {examples[0] for examples in EXAMPLES.values()}:
        state["prompt"] = EXAMPLES[lang()][0]


def read_url_once() -> None:
    """On a session's first run, take the link's values; remember the bad ones for a notice."""
    if st.session_state.get("_url_read"):
        return
    st.session_state["_url_read"] = True
    bad: list[tuple[str, str]] = []
    for name, field in URL_FIELDS.items():
        if name not in st.query_params:
            continue
        raw = st.query_params[name]
        try:
            st.session_state[name] = field.parse(raw)
            if name == "model":
                st.session_state["_model_chosen"] = True  # a link keeps its model in either language
        except (ValueError, TypeError):
            bad.append((name, raw[:60]))
    st.session_state["_url_bad"] = bad


def keep_state() -> None:
    """Re-assign every URL field that is set, so its value outlives the widget that set it.

    Streamlit drops a keyed widget's value when a run does not draw that widget (another page, or the
    same widget drawn from another page's script); values assigned through session state stay.
    """
    for name in (*URL_FIELDS, "_model_choice", "_model_id", "allow_download", "_custom_open", "_model_chosen"):
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def write_url() -> None:
    """Put every non-default value in the query string, so a copied link opens this view."""
    params = {}
    for name in URL_FIELDS:
        current = value(name)
        if current != default(name) or (name == "model" and st.session_state.get("_model_chosen")):
            params[name] = str(int(current) if isinstance(current, bool) else current)
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def show_url_notices() -> None:
    for name, raw in st.session_state.get("_url_bad", []):
        st.warning(t("msg.bad_url", name=name, value=raw), icon="🔗")


def error_text(err: WalkthroughError) -> str:
    """The error in the user's language; the English sentence is the exception's own."""
    return str(err) if lang() == "en" else t(f"error.{err.key}", **err.params)


def show_error(err: Exception) -> None:
    """A clear message for the user; a traceback only in the server log."""
    if isinstance(err, WalkthroughError):
        st.error(error_text(err), icon="⚠️")
    else:
        log.exception("Unexpected error while rendering a page", exc_info=err)
        st.error(t("msg.unexpected", kind=type(err).__name__), icon="⚠️")


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_model(name: str, allow_download: bool = False) -> LoadedModel:
    """One loaded model per name, shared by every session (hooks only under its lock)."""
    return load_model(name, allow_download=allow_download)


@st.cache_resource(show_spinner=False)
def trace_cache() -> TraceCache:
    """One cache for the whole server (see ui/cache.py)."""
    return TraceCache(cache_bytes())


def cached_trace(name: str, prompt: str, allow_download: bool = False, mlp_post: bool = False) -> Trace:
    """The trace of `prompt` on model `name`, shared read-only with every session that asks for the same
    (`mlp_post`: with the MLP's neurons too, a larger trace)."""
    key = (name, allow_download, prompt, mlp_post)
    return trace_cache().get(key, lambda: trace(cached_model(name, allow_download), prompt, mlp_post=mlp_post))


def current_model() -> LoadedModel | None:
    """The chosen model, loaded (with a spinner the first time); None after showing why not."""
    name = value("model")
    allow = bool(st.session_state.get("allow_download", False))
    try:
        with st.spinner(t("sidebar.loading", model=name)):
            return cached_model(name, allow)
    except Exception as err:  # noqa: BLE001 — every failure becomes a message, never a traceback
        show_error(err)
        return None


def current_prompt() -> str:
    prompt = value("prompt")
    if len(prompt) > MAX_PROMPT_CHARS:
        st.warning(t("msg.chars_cut", n=len(prompt), limit=MAX_PROMPT_CHARS), icon="✂️")
        prompt = prompt[:MAX_PROMPT_CHARS]
    return prompt


def current_trace() -> Trace:
    """The trace of the current prompt on the current model, or a message and the page stops."""
    lm = current_model()
    if lm is None:
        st.stop()
    prompt = current_prompt()
    try:
        tr = cached_trace(value("model"), prompt, bool(st.session_state.get("allow_download", False)))
    except Exception as err:  # noqa: BLE001
        show_error(err)
        st.stop()
    show_cut(tr)
    return tr


def cut_notice(tr: Trace) -> str | None:
    """What was cut from the prompt to fit the model's context or the memory budget; None if nothing."""
    if not tr.dropped_tokens:
        return None
    key = "msg.cut" if tr.is_causal else "msg.cut_encoder"
    if tr.token_limit < tr.context_size:
        key += "_budget"
    n = tr.n_tokens + tr.dropped_tokens
    return t(
        key, n_tokens=n, model=tr.model_name, limit=tr.n_tokens, dropped=tr.dropped_tokens, context=tr.context_size
    )


def show_cut(tr: Trace) -> None:
    notice = cut_notice(tr)
    if notice:
        st.warning(notice, icon="✂️")


def clamp_index(name: str, size: int) -> int:
    """A layer/head/token index from the URL or a widget, kept inside [0, size); a notice if it was not.

    The field's default (0, or -1 = "the last" for a token) is always allowed.
    """
    current, fallback = int(value(name)), default(name)
    if current == fallback or 0 <= current < size:
        return current
    st.warning(t("msg.bad_url", name=name, value=str(current)), icon="🔗")
    st.session_state[name] = fallback
    return fallback


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_tokenizer(name: str):
    """(tokenizer, scheme, display name) of a model on disk, without loading its weights."""
    from model.load import load_tokenizer

    return load_tokenizer(name)
