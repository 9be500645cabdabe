"""Lesson 5 — next token: logits → softmax → temperature, top-k, top-p → greedy or sampled → generate."""

import numpy as np
import streamlit as st

from model.generate import extend_prompt, position
from model.load import LoadedModel
from model.numeric import mass_needed
from model.sampling import Settings, choose, distribution
from model.tokens import encode_plain, token_texts
from model.tracing import trace_ids
from model.types import Trace
from ui.fill_view import fill_page
from ui.lesson import chart, explain, start
from ui.state import MAX_PROMPT_CHARS, control, current_model, kept, lang, model_key, show_error, t, value
from viz import next_token as vn

LAST = "_next_token.last"  # what the buttons added, shown after the rerun they cause
N_BARS = 15


def draw_at(tr: Trace) -> int:
    """The position of the next draw: after the buttons' last token while the prompt is still the text they
    wrote (a byte left out of the text still counts), else the text's own length in tokens."""
    last = st.session_state.get(LAST) or {}
    if "next_at" in last and last["prompt"] == value("prompt") and last["model"] == value("model"):
        return last["next_at"]
    return position(tr)


def advance(lm: LoadedModel, tr: Trace, prompt: str, settings: Settings, n: int, at: int) -> None:
    """Button callback, before the rerun: take `n` steps after `prompt` (the text `tr` traced, in full), the
    first drawn at position `at`, and make the longer text every lesson's prompt. Both buttons call this, so
    n single steps write what n steps at once write."""
    try:
        ext = extend_prompt(lm, tr, prompt, n, settings, max_chars=MAX_PROMPT_CHARS, at=at)
    except Exception as err:  # noqa: BLE001 — shown as a message after the rerun
        st.session_state[LAST] = {"error": err}
        return
    # appended to the user's own text, so a prompt longer than the context keeps its beginning
    prompt = (prompt + ext.text)[-MAX_PROMPT_CHARS:]  # the end is what the model reads
    st.session_state["prompt"] = prompt
    steps = ext.steps
    st.session_state[LAST] = {
        "prompt": prompt,
        "model": value("model"),
        "tokens": [s.token for s in steps],
        "probs": [s.probability for s in steps],
        "model_probs": [s.model_probability for s in steps],
        "ranks": [s.rank for s in steps],
        "notes": vn.extension_notes(ext.joined, ext.dropped_bytes, lang()),
        "next_at": ext.next_at,
    }


# URL field → (widget, column width, keyword arguments); ranges and steps as in ui/state.py URL_FIELDS, which
# snaps a link's value to the step, so the slider shows the value the page samples with
CONTROLS = {
    "temperature": (st.slider, 3, control("temperature")),  # the URL field's own range and step
    "top_k": (st.number_input, 2, control("top_k")),
    "top_p": (st.slider, 3, control("top_p")),
    "seed": (st.number_input, 2, control("seed")),
    "greedy": (st.toggle, 2, {}),
}


def settings_controls() -> Settings:
    """Temperature, top-k, top-p, seed and greedy: URL fields, kept across pages."""
    cols = st.columns([width for _, width, _ in CONTROLS.values()], vertical_alignment="bottom")
    for col, (name, (widget, _, kwargs)) in zip(cols, CONTROLS.items(), strict=True):
        st.session_state.setdefault(name, value(name))
        with col:
            widget(
                t(f"next_token.{name}"), key=name, help=t(f"next_token.{name}.help"), persist_state="session", **kwargs
            )
    s = st.session_state
    return Settings(float(s["temperature"]), int(s["top_k"]), float(s["top_p"]), bool(s["greedy"]), int(s["seed"]))


@st.cache_data(max_entries=32, show_spinner=False)
def word_logits(_lm: LoadedModel, model: str, ids: tuple[int, ...], n: int) -> np.ndarray:
    """(n, V) logits at the last n positions of prompt + word ids (`model` keys the cache)."""
    return trace_ids(_lm, list(ids)).logits_at(slice(-n, None))


def measure_word(lm: LoadedModel, tr: Trace, text: str) -> vn.WordProbability | None:
    ids = encode_plain(lm, text)
    if not ids:
        return None
    later = word_logits(lm, model_key(), (*tr.token_ids.tolist(), *ids), len(ids)) if len(ids) > 1 else None
    return vn.word_probability(text, ids, token_texts(lm, ids), tr.logits_at(-1), later)


def word_section(lm: LoadedModel, tr: Trace, L: str) -> None:
    st.subheader(t("next_token.word.header"))
    st.session_state.setdefault("_next_token.word", "")
    word = st.text_input(
        t("next_token.word.input"), key="_next_token.word", max_chars=60, placeholder=t("next_token.word.placeholder")
    )
    if not word:
        st.info(t("next_token.word.empty"), icon="⌨️")
        return
    shown = vn.md_token(word)
    n_ids = len(encode_plain(lm, word))
    if n_ids >= tr.context_size:  # shorter ones fit: the earliest prompt tokens make room, as in generation
        st.warning(t("next_token.word.too_long", word=shown, n=n_ids, model=tr.model_name, limit=tr.context_size))
        return
    typed = measure_word(lm, tr, word)
    if typed is None:
        st.warning(t("next_token.word.no_tokens", word=shown), icon="⚠️")
        return
    st.markdown(vn.word_sentence(typed, tr.vocab_size, L))
    other_text = word[1:] if word.startswith(" ") else " " + word
    other = measure_word(lm, tr, other_text) if other_text.strip() else None
    if other is not None:
        st.dataframe(vn.word_rows([typed, other], L), hide_index=True)
        st.caption(vn.space_sentence(typed, other, L, spaced=lm.language != "zh"))


def show_last_added(L: str) -> None:
    last = st.session_state.get(LAST)
    if not last:
        return
    if "error" in last:
        show_error(last["error"])
        st.session_state.pop(LAST)
        return
    if last["prompt"] != value("prompt") or last["model"] != value("model"):
        return  # the prompt changed since: the message no longer describes it
    st.success(vn.added_sentence(last["tokens"], last["probs"], last["model_probs"], last["ranks"], L), icon="➕")
    st.markdown(
        vn.generated_chips_html(last["tokens"], last["probs"], last["model_probs"], last["ranks"], L),
        unsafe_allow_html=True,
    )
    for note in last.get("notes", []):
        st.info(note, icon="🧩")
    st.caption(t("next_token.gen.retokenized"))


tr, L = start("next_token.title")
prompt_text = value("prompt")  # the user's whole text, which the buttons extend
if not tr.has_logits:
    st.info(t("msg.encoder_only", model=tr.model_name), icon="ℹ️")
    st.stop()
lm = current_model()
if lm is None:
    st.stop()
if not tr.is_causal:  # a masked-language model fills a [MASK] instead of continuing
    fill_page(lm, tr, L)
    st.stop()

logits = tr.logits_at(-1)  # (V,) scores for the token after the last prompt token
own = distribution(logits)  # the model's own distribution, temperature 1
top = vn.top_ids(own.model_probs, N_BARS)  # (15,) most likely first
top_tokens = token_texts(lm, top)
last = vn.md_token(tr.tokens[-1])
explain(
    t("next_token.what", vocab=tr.vocab_size),
    t(
        "next_token.notice",
        last=last,
        model=tr.model_name,
        fav=vn.md_token(top_tokens[0]),
        fav_p=vn.pct(own.model_probs[top[0]]),
        top10=vn.pct(own.model_probs[top[:10]].sum()),
        n90=mass_needed(own.model_probs, 0.9),
        vocab=tr.vocab_size,
    ),
    t("next_token.try"),
)

st.subheader(t("next_token.settings.header"))
settings = settings_controls()
dist = distribution(logits, settings)
at = draw_at(tr)
chosen = choose(dist, at)  # the draw "Add the next token" makes: the token it appends
chart(vn.probability_figure(dist, logits, top, top_tokens, tr.tokens[-1], chosen, L), key="next_token_bars")
st.markdown(vn.kept_sentence(dist, tr.vocab_size, L))
chart(vn.cumulative_figure(dist, L), key="next_token_cumulative")

st.subheader(t("next_token.softmax.header"))
st.markdown(vn.softmax_sentence(logits, top_tokens[0], top_tokens[1], L))
if settings.temperature == 0:
    st.markdown(t("next_token.softmax.zero"))
elif settings.temperature != 1:
    key = "next_token.softmax.greedy" if settings.greedy else "next_token.softmax.temperature"
    st.markdown(t(key, temperature=settings.temperature))
st.dataframe(vn.softmax_rows(logits, dist, top[:8], top_tokens[:8], L), hide_index=True)

st.subheader(t("next_token.choice.header"))
st.markdown(vn.choice_sentence(dist, chosen, token_texts(lm, [chosen])[0], top_tokens[0], L))
st.subheader(t("next_token.gen.header"))
st.markdown(t("next_token.gen.explain"))
left, mid, right = st.columns([2, 2, 3], vertical_alignment="bottom")
left.button(
    t("next_token.gen.step"),
    key="next_token_step",
    type="primary",
    on_click=advance,
    args=(lm, tr, prompt_text, settings, 1, at),
)
kept("_next_token.n", 10)
n_gen = mid.number_input(t("next_token.gen.n"), min_value=1, max_value=50, step=1, key="_next_token.n")
right.button(
    t("next_token.gen.button", n=n_gen),
    key="next_token_generate",
    on_click=advance,
    args=(lm, tr, prompt_text, settings, int(n_gen), at),
)
show_last_added(L)

word_section(lm, tr, L)
