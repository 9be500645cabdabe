"""Streamlit glue shared by the router (walk.py) and every page: language, URL state, cached model and trace, messages.

Everything a link should reproduce lives in `st.session_state` under the names of `URL_FIELDS`, and
is written to the query string on every run; a new session reads it back once, checking each value.
"""

from __future__ import annotations

import logging
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import streamlit as st

from lessons import LANGS
from lessons import t as translate
from model import LoadedModel, Trace, WalkthroughError, load_model, trace
from model.errors import ModelNotFound
from model.load import LANGUAGE
from training.finetune import RATES as TUNE_RATES
from training.live import RATES
from ui.cache import TraceCache, cache_bytes
from viz.blocks import COLOURINGS
from viz.heads import ROLES, parse_head
from viz.labels import token_code

log = logging.getLogger("llm_walkthrough")

MAX_PROMPT_CHARS = 50_000  # beyond this the prompt is cut before tokenizing, with a notice
BUNDLED_MODELS = ("tinytales", "tinytales-zh", "tinytales-mlm", "minilm")
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


def _rate_choice(options: tuple[float, ...]) -> Callable[[str], float]:
    """One of a few numbers, written as Python's `g` format writes it ("0.003" or "3e-03" both read)."""

    def parse(raw: str) -> float:
        number = float(raw)
        for option in options:
            if math.isclose(number, option, rel_tol=1e-6):
                return option
        raise ValueError(raw)

    return parse


def _ids(most: int) -> Callable[[str], list[int]]:
    """A list of whole numbers written "12-40-7" (ids, or a row and a column); "" is the empty list."""

    def parse(raw: str) -> list[int]:
        parts = [int(part) for part in raw.split("-")] if raw else []
        if len(parts) > most or any(not 0 <= part < 10_000_000 for part in parts):
            raise ValueError(raw)
        return parts

    return parse


def _dashed(items) -> str:
    """Ids or head names joined by "-" for a link ("" for none)."""
    return "" if items is None else "-".join(str(i) for i in items)


def _heads(raw: str) -> list[str]:
    """Heads written "L3H3-L3H2"; "" is none."""
    names = raw.split("-") if raw else []
    if len(names) > 64 or any(parse_head(name) is None for name in names):
        raise ValueError(raw)
    return names


def _model(raw: str) -> str:
    if not raw.strip() or len(raw) > 300:
        raise ValueError(raw)
    return raw.strip()


@dataclass(frozen=True)
class Field:
    parse: Callable[[str], Any]
    default: Any
    rule: str = ""  # lessons key "rule.<rule>": what a usable value looks like, for the notice
    low: float | None = None
    high: float | None = None
    step: float | None = None  # a slider's step: a link's value is snapped to it, so the slider shows what is used
    key: str | None = None  # where session state holds it, if not under its own name: a page's widget "_<page>.<x>"
    options: tuple = ()  # a choice's values, for the notice about a link's unusable one
    text: Callable[[Any], str] | None = None  # how the link writes it (default: str)


def _int(low: int, high: int, default: int) -> Field:
    return Field(_ranged(int, low, high), default, "int", low, high, 1)


def _float(low: float, high: float, default: float, step: float) -> Field:
    return Field(_ranged(float, low, high), default, "float", low, high, step)


def _page_choice(key: str, options: tuple[str, ...]) -> Field:
    return Field(_choice(options), options[0], "choice", key=key, options=options)


URL_FIELDS: dict[str, Field] = {
    "lang": Field(_choice(LANGS), "en", "choice"),
    "model": Field(_model, "tinytales", "model"),
    "prompt": Field(lambda raw: raw[:MAX_PROMPT_CHARS], EXAMPLES["en"][0]),
    "layer": _int(0, 1000, 0),
    "head": _int(0, 1000, 0),
    "token": _int(-1, 100_000, -1),  # a chosen token position; -1 = the last
    "temperature": _float(0.0, 5.0, 1.0, 0.05),
    "top_k": _int(0, 100_000, 0),
    "top_p": _float(0.01, 1.0, 1.0, 0.01),
    "seed": _int(0, 2**31 - 1, 0),
    "greedy": Field(_flag, False, "flag"),
    "present": Field(_flag, False, "flag"),  # presentation view for a projector: no sidebar, larger text and charts
    # a page's own controls: their defaults are the page's starting values (`kept`), so a link holds only changes
    "colour": _page_choice("_blocks.colour", COLOURINGS),
    "lens": _page_choice("_blocks.lens", ("logit", "tuned")),
    "norm": Field(_flag, True, "flag", key="_blocks.final_norm"),
    "pinned": Field(_ids(8), None, "ids", key="_blocks.pinned", text=_dashed),
    "cell": Field(_ids(2), None, "cell", key="_blocks.cell", text=_dashed),
    "rival": Field(_ranged(int, -1, 10_000_000), -1, "int", -1, 10_000_000, 1, key="_blocks.rival"),
    "neurons": Field(_ranged(int, 0, 1000), None, "int", 0, 1000, 1, key="_blocks.mlp_layer"),
    "rows": Field(_ranged(int, 2, 100_000), None, "int", 2, 100_000, 1, key="_positions.rows"),
    "words": Field(_ranged(int, 1, 50), 10, "int", 1, 50, 1, key="_next_token.n"),
    "role": _page_choice("_heads.role", ROLES),
    "sink": Field(_flag, False, "flag", key="_heads.sink"),
    "knock": Field(_heads, None, "heads", key="_heads.knock", text=_dashed),
    "mode": _page_choice("_heads.mode", ("zero", "mean")),
    "pair": Field(_ranged(int, -1, 100), 0, "int", -1, 100, 1, key="_heads.pair"),
    "metric": _page_choice("_heads.metric", ("copy", "prompt")),
    "step": Field(_ranged(int, 0, 10_000_000), None, "int", 0, 10_000_000, 1, key="_learning.step"),
    "mask_seed": Field(_ranged(int, 0, 999), 0, "int", 0, 999, 1, key="_learning.mask_seed"),
    "lr": Field(_rate_choice(RATES), 3e-3, "choice", key="_learning.live_lr", options=RATES, text=lambda r: f"{r:g}"),
    "text": _page_choice("_learning.live_text", ("passage", "own")),
    "set": _page_choice("_finetune.set", ("facts", "qa")),
    "tune": _page_choice("_finetune.method", ("lora", "full")),
    "rank": Field(_ranged(int, 1, 8), 4, "int", 1, 8, 1, key="_finetune.rank"),
    "tune_steps": Field(_ranged(int, 10, 200), 60, "int", 10, 200, 10, key="_finetune.steps"),
    "tune_lr": Field(
        _rate_choice(TUNE_RATES), 3e-3, "choice", key="_finetune.lr", options=TUNE_RATES, text=lambda r: f"{r:g}"
    ),
    "rag_kb": Field(
        _choice(("world", "paste", "upload")), "world", "choice", key="_rag.kb", options=("world", "paste", "upload")
    ),
    "rag_by": Field(
        _choice(("chars", "sentences", "words")),
        "sentences",
        "choice",
        key="_rag.by",
        options=("chars", "sentences", "words"),
    ),
    "rag_size": Field(_ranged(int, 1, 600), 2, "int", 1, 600, 1, key="_rag.size"),
    "rag_overlap": Field(_ranged(int, 0, 599), 1, "int", 0, 599, 1, key="_rag.overlap"),
    "rag_q": Field(_ranged(int, -1, 3), 0, "int", -1, 3, 1, key="_rag.q"),  # a ready question; -1 = the user's own
    "rag_ask": Field(lambda raw: raw[:300], "", key="_rag.ask"),
    "rag_answer": Field(lambda raw: raw[:40], "", key="_rag.answer"),
    "rag_method": Field(
        _choice(("dense", "bm25", "hybrid")), "hybrid", "choice", key="_rag.method", options=("dense", "bm25", "hybrid")
    ),
    "rag_k": Field(_ranged(int, 1, 8), 3, "int", 1, 8, 1, key="_rag.k"),
    "rag_wrong": Field(_flag, False, "flag", key="_rag.wrong"),
    "rag_place": Field(
        _choice(("first", "middle", "last")), "first", "choice", key="_rag.place", options=("first", "middle", "last")
    ),
    "date": Field(lambda raw: raw[:200], None, key="_seq2seq.source"),
    "view": _page_choice("_seq2seq.view", ("cross", "encoder", "decoder")),
    "dec_step": Field(_ranged(int, 0, 64), None, "int", 0, 64, 1, key="_seq2seq.step"),
    **{
        name: Field(lambda raw: raw[:300], None, key=f"_heads.{name}")
        for name in ("clean", "corrupt", "answer", "foil")
    },
}
MAX_LINK_PROMPT = 6_000  # URL-encoded characters; a longer prompt stays out of the link (see prompt_in_link)
PAGE_KEY = re.compile(r"^_[a-z_]+\.")  # a page's own widget keys, "_<page>.<name>": kept across pages


def control(name: str) -> dict:
    """A numeric URL field's range and step as widget arguments, so a slider offers exactly the values a link can
    hold: `st.slider(label, key=name, **control(name))`."""
    field = URL_FIELDS[name]
    return {"min_value": field.low, "max_value": field.high, "step": field.step}


def snap(name: str, number):
    """`number` on the field's step (half-way goes up), inside its range: 0.001 → 0.0, 0.555 → 0.56 for a 0.01 step."""
    field = URL_FIELDS[name]
    if field.step in (None, 1) or isinstance(number, bool):
        return number
    steps = math.floor((number - field.low) / field.step + 0.5)
    return min(field.high, max(field.low, round(field.low + steps * field.step, 10)))


def state_key(name: str) -> str:
    """Where session state holds URL field `name`."""
    return URL_FIELDS[name].key or name


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
    field = URL_FIELDS[name]
    if field.key is not None:  # a page's control starts where the page started it
        return st.session_state.get("_starts", {}).get(field.key, field.default)
    return field.default


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
    return st.session_state.get(state_key(name), default(name))


def follow_language() -> None:
    """Until the user picks a model or edits the prompt, both follow the interface language."""
    state = st.session_state
    if not state.get("_model_chosen"):
        state["model"] = DEFAULT_MODEL[lang()]
    if state.get("prompt") in {examples[0] for examples in EXAMPLES.values()}:
        state["prompt"] = EXAMPLES[lang()][0]


def read_url_once() -> None:
    """On a session's first run, take the link's values; a value that cannot be used, or one between a slider's
    steps, leaves a notice saying what a usable one looks like (see `show_url_notices`)."""
    if st.session_state.get("_url_read"):
        return
    st.session_state["_url_read"] = True
    for name, field in URL_FIELDS.items():
        if name not in st.query_params:
            continue
        raw = st.query_params[name]
        try:
            parsed = field.parse(raw)
        except (ValueError, TypeError):
            link_notice("msg.bad_url", name=name, value=raw[:60], rule=f"rule.{field.rule}")
            continue
        st.session_state[state_key(name)] = snap(name, parsed)
        if st.session_state[state_key(name)] != parsed:
            link_notice("msg.url_snapped", name=name, value=raw[:60], step=field.step, shown=_shown(name))
        if name == "model":
            st.session_state["_model_chosen"] = True  # a link keeps its model in either language


def keep_state() -> None:
    """Re-assign every URL field that is set, and every page's own "_<page>.<name>" key, so its value outlives
    the widget that set it.

    Streamlit drops a keyed widget's value when a run does not draw that widget (another page, or the
    same widget drawn from another page's script); values assigned through session state stay.
    """
    sidebar = ("_model_choice", "_model_id", "allow_download", "_custom_open", "_model_chosen")
    pages = [key for key in st.session_state if isinstance(key, str) and PAGE_KEY.match(key)]
    for name in {state_key(name) for name in URL_FIELDS} | {*sidebar, *pages}:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def kept(key: str, start, allowed: Callable[[Any], bool] | None = None) -> None:
    """A page's own control "_<page>.<name>", kept across pages by `keep_state`: its starting value goes into
    session state once, and a kept value this run cannot offer (another model's layer, another prompt's
    tokens) starts again from `start`. Then draw the widget with `key=` only: no value, index or default, which
    Streamlit would see as a second source for it."""
    state = st.session_state
    state.setdefault("_starts", {})[key] = start  # a link leaves out a control at its start (see `default`)
    if key not in state or (allowed is not None and not allowed(state[key])):
        state[key] = start


def prompt_in_link(prompt: str | None = None) -> bool:
    """Whether the prompt fits in a share link. Longer ones stay out of the address: many servers refuse an
    address over 8 KB (this one answers 400 above ~100 KB), and a Chinese character takes 9 characters there."""
    prompt = value("prompt") if prompt is None else prompt
    return len(quote_plus(prompt)) <= MAX_LINK_PROMPT


def write_url() -> None:
    """Put every non-default value in the query string, so a copied link opens this view (the prompt only if it
    fits in a link; the sidebar says when it does not)."""
    params = {}
    for name in URL_FIELDS:
        current = value(name)
        if name == "prompt" and not prompt_in_link(current):
            continue
        if current != default(name) or (name == "model" and st.session_state.get("_model_chosen")):
            field = URL_FIELDS[name]
            params[name] = (
                field.text(current) if field.text else str(int(current) if isinstance(current, bool) else current)
            )
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def _text(current, field: Field | None = None) -> str:
    if field is not None and field.text is not None:
        return field.text(current)
    if isinstance(current, bool):
        return str(int(current))
    return f"{current:g}" if isinstance(current, float) else str(current)


def _shown(name: str) -> str:
    return _text(value(name), URL_FIELDS[name])


def _view() -> tuple:
    """Everything a link holds, as it is now: the link's notices stay while this does not change."""
    return tuple(_shown(name) for name in URL_FIELDS)


def link_notice(key: str, **params) -> None:
    """A notice about the link that opened this session, shown on every page until the view changes."""
    state = st.session_state
    state["_url_notices"] = [*state.get("_url_notices", []), (key, params)]
    state["_url_view"] = None  # taken when the notices are first shown


def show_url_notices() -> None:
    """The link's notices, in the current language, while the view is still the one the link opened; the first
    change (a prompt typed, a slider moved, a model picked) retires them for good."""
    state = st.session_state
    notices = state.get("_url_notices")
    if not notices:
        return
    if state.get("_url_view") is None:
        state["_url_view"] = _view()
    elif state["_url_view"] != _view():
        state["_url_notices"] = []
        return
    for key, params in notices:
        filled = dict(params)
        if "rule" in filled:
            field = URL_FIELDS[filled["name"]]
            options = ", ".join(field.options or LANGS)
            filled["rule"] = t(filled["rule"], low=_text(field.low), high=_text(field.high), options=options)
            filled["default"] = _text(default(filled["name"]))
        st.warning(t(key, **filled), icon="🔗")


def _adjust(name: str, new) -> None:
    """The app itself changes a URL field (a value this model or prompt cannot show): the link follows, and the
    link's notices do not count it as the user's change."""
    state = st.session_state
    state[state_key(name)] = new
    if state.get("_url_view") is not None:
        state["_url_view"] = _view()
    write_url()


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
    (`mlp_post`: with the MLP's neurons too, a larger trace). A session's own model has a key of its own
    ("session:…", see `model_key`): no other session asks for it."""
    key = (name, allow_download, prompt, mlp_post)
    if name.startswith(SESSION_KEY):
        return trace_cache().get(key, lambda: trace(_session_lm(name), prompt, mlp_post=mlp_post))
    return trace_cache().get(key, lambda: trace(cached_model(name, allow_download), prompt, mlp_post=mlp_post))


SESSION_MODEL, SESSION_KEY = "_session_model", "session:"  # this session's own model: {"base", "key", "lm"}


def use_session_model(base: str | None, lm: LoadedModel | None = None) -> None:
    """From now on every lesson of this session reads `lm`, a tuned copy of model `base`, while `base` is the
    chosen model; None: back to the shared models."""
    state = st.session_state
    entry = state.get(SESSION_MODEL)
    if base is None:
        state.pop(SESSION_MODEL, None)
    elif entry is None or entry["lm"] is not lm:
        state[SESSION_MODEL] = {"base": base, "key": f"{SESSION_KEY}{uuid.uuid4().hex}", "lm": lm}


def session_model() -> dict | None:
    """This session's own model, if it has one for the chosen model: {"base", "key", "lm"}."""
    entry = st.session_state.get(SESSION_MODEL)
    return entry if entry is not None and entry["base"] == value("model") else None


def model_key() -> str:
    """What caches key the chosen model by: its name, or this session's own model's key."""
    entry = session_model()
    return entry["key"] if entry is not None else value("model")


def _session_lm(key: str) -> LoadedModel:
    entry = st.session_state.get(SESSION_MODEL)
    if entry is None or entry["key"] != key:
        raise ModelNotFound(name=key)
    return entry["lm"]


def current_model() -> LoadedModel | None:
    """The chosen model, loaded (with a spinner the first time) — or this session's own tuned copy of it; None
    after showing why not."""
    entry = session_model()
    if entry is not None:
        return entry["lm"]
    return base_model()


def base_model() -> LoadedModel | None:
    """The chosen shared model, whatever this session has tuned; None after showing why not."""
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
    if lm.family.is_seq2seq:  # the lessons before 11 follow one stack of blocks
        st.info(t("msg.seq2seq_elsewhere", model=lm.display_name), icon="🔁")
        st.page_link("pages/11_seq2seq.py", label=t("page.seq2seq"), icon="🔁", query_params=dict(st.query_params))
        st.stop()
    prompt = current_prompt()
    try:
        tr = cached_trace(model_key(), prompt, bool(st.session_state.get("allow_download", False)))
    except Exception as err:  # noqa: BLE001
        show_error(err)
        st.stop()
    show_cut(tr)
    st.session_state["_model_name"] = tr.model_name  # for the notices of clamp_index
    follow_token(tr)
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
    """A layer/head/token index from the URL or a widget, kept inside [0, size): a value past the end becomes
    the nearest one there is (a token: the last), with a notice that says how many this model has, and the
    link follows. The field's default (0, or -1 = "the last" for a token) is always allowed.
    """
    current, fallback = int(value(name)), default(name)
    if current == fallback or 0 <= current < size:
        return current
    shown = fallback if name == "token" or size < 1 else min(max(current, 0), size - 1)
    model = st.session_state.get("_model_name", value("model"))
    st.warning(t(f"msg.no_{name}", model=model, n=size, last=size - 1, value=current, shown=shown), icon="🔗")
    _adjust(name, shown)
    return shown


def _token_key(text: str) -> str:
    return text.strip().removeprefix("##").casefold()


def same_token(before: list[str], index: int, after: list[str]) -> int | None:
    """Where token `index` of `before` is in `after`, another prompt or another model's split: the same text at
    the same occurrence (the second ·cat stays the second, or the last one there is), compared exactly, then
    without spaces, case or WordPiece's "##" (·king on TinyTales is king on MiniLM); None if it is not there."""
    for key in (str, _token_key):
        target = key(before[index])
        if not target:
            continue
        nth = sum(key(tok) == target for tok in before[:index])
        hits = [i for i, tok in enumerate(after) if key(tok) == target]
        if hits:
            return hits[min(nth, len(hits) - 1)]
    return None


def follow_token(tr: Trace) -> None:
    """The picked token is a position in the tokens it was picked from: when the tokens change (another prompt,
    another model), keep the same token where the new ones have it, else fall back to the last, with a notice."""
    state = st.session_state
    before, after = state.get("_token_from"), list(tr.tokens)
    state["_token_from"] = after
    picked = int(value("token"))
    if before is None or before == after or not 0 <= picked < len(before):
        return
    moved = same_token(before, picked, after)
    if moved is None:
        st.warning(t("msg.token_gone", token=token_code(before[picked]), model=tr.model_name), icon="🔗")
        _adjust("token", default("token"))
    elif moved != picked:
        _adjust("token", moved)


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_tokenizer(name: str):
    """(tokenizer, scheme, display name) of a model on disk, without loading its weights."""
    from model.load import load_tokenizer

    return load_tokenizer(name)
