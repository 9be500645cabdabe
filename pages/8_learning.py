"""Lesson 8 — how it learned: the bundled model's own training, replayed from its record."""

import numpy as np
import streamlit as st

from lessons import t as lesson_text
from model.tokens import tokenize
from training.objectives import causal_example, masked_example
from training.replay import INDUCTION_BAR, load_replay, phase_change
from ui.lesson import chart, explain, start
from ui.live_training import live_section
from ui.pages import next_lesson
from ui.state import cached_tokenizer, current_model, kept, t, t_model
from viz import heads as vh
from viz import learning as vl
from viz.labels import visible

PLAY_EVERY = 1.2  # seconds between replayed steps while playing
MAX_EXAMPLE_CHARS = 200  # the objectives' example: the prompt's start


def replay_of(lm):
    """The model's recorded training, read once per model (None for one trained elsewhere)."""
    if "learning.replay" not in lm.memo:
        lm.memo["learning.replay"] = load_replay(lm.source) if lm.source else None
    return lm.memo["learning.replay"]


def advance() -> None:
    """While playing, each full run moves to the next recorded step (before the slider is drawn); at the last
    it stops."""
    state = st.session_state
    if not state.get("_learning.play") or state.get("_learning.step") not in steps:
        return
    i = steps.index(state["_learning.step"])
    if i + 1 < len(steps):
        state["_learning.step"] = steps[i + 1]
    else:
        state["_learning.play"] = False


def tick() -> None:
    """A timer fragment: its first call (inside the full run) only arms it; each timed call reruns the page."""
    if st.session_state.pop("_learning.armed", False):
        st.rerun()
    st.session_state["_learning.armed"] = True


tr, L = start("learning.title")
lm = current_model()
if lm is None:
    st.stop()


def objectives() -> None:
    """The two objectives on one sentence: next-token (every position a target) and masked (15 %, 80/10/10)."""
    st.subheader(t("learning.objectives"))
    st.markdown(t("learning.objectives.explain"))
    text = tr.prompt[:MAX_EXAMPLE_CHARS]
    causal_tok = lm.tokenizer if tr.is_causal else cached_tokenizer("tinytales")[0]
    masked_tok = lm.tokenizer if lm.tokenizer.mask_token else cached_tokenizer("minilm")[0]
    kept("_learning.mask_seed", 0, lambda seed: 0 <= seed < 1000)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('learning.causal')}**")
        causal = causal_example(causal_tok, text)
        st.dataframe(
            {
                t("learning.col.input"): [visible(p) for p in causal["input"]],
                t("learning.col.target"): [visible(p) for p in causal["target"]],
                t("learning.col.label"): causal["label"],
            },
            hide_index=True,
            width="stretch",
        )
        st.caption(t("learning.causal.caption", n=len(causal["label"])))
    with right:
        st.markdown(f"**{t('learning.masked')}**")
        seed = st.number_input(t("learning.mask_seed"), 0, 999, key="_learning.mask_seed")
        masked = masked_example(masked_tok, text, seed=int(seed))
        st.dataframe(
            {
                t("learning.col.original"): masked["original"],
                t("learning.col.input"): masked["input"],
                t("learning.col.label"): masked["label"],
                t("learning.col.kind"): [lesson_text(f"learning.kind.{k}", L) if k else "" for k in masked["kind"]],
            },
            hide_index=True,
            width="stretch",
        )
        chosen = sum(1 for k in masked["kind"] if k)
        st.caption(
            t(
                "learning.masked.caption",
                chosen=chosen,
                n=len(masked["kind"]) - 2,
                mask=masked["kind"].count("mask"),
                random=masked["kind"].count("random"),
                kept=masked["kind"].count("kept"),
            )
        )


replay = replay_of(lm)
if replay is None:
    st.info(t("learning.no_record", model=tr.model_name))
    live_section(lm, L)
    objectives()
    next_lesson("learning")
    st.stop()

steps = [int(s) for s in replay.steps]
phase = phase_change(replay)
kept("_learning.step", steps[-1], lambda s: s in steps)
kept("_learning.play", False)
advance()
left, right = st.columns([3, 1])
step = left.select_slider(t("learning.step"), steps, key="_learning.step", format_func=lambda s: f"{s:,}")
right.toggle(t("learning.play"), key="_learning.play", help=t("learning.play.help"))
if st.session_state["_learning.play"]:
    st.fragment(run_every=PLAY_EVERY)(tick)()
i = replay.at(step)
layer, head = np.unravel_index(int(np.argmax(replay.induction[i])), replay.induction[i].shape)
explain(
    t("learning.what"),
    t(
        "learning.notice",
        model=tr.model_name,
        step=step,
        tokens=float(replay.tokens[i]) / 1e6,
        val=float(replay.val[i]),
        bigram=replay.bigram if replay.bigram is not None else float("nan"),
        head=vh.head_name(int(layer), int(head)),
        score=float(replay.induction[i, layer, head]),
    )
    + " "
    + (
        t("learning.notice.phase", step=phase, bar=INDUCTION_BAR)
        if phase
        else t("learning.notice.no_phase", bar=INDUCTION_BAR)
    ),
    t_model("learning.try"),
)

chart(vl.loss_figure(replay.steps, replay.train, replay.val, replay.bigram, step, phase, L), key="learning_loss")

st.subheader(t("learning.samples", step=step))
for sample in replay.samples[i]:
    st.markdown(t("learning.sample", prompt=sample["prompt"], greedy=sample["greedy"].replace("\n", " ")))

st.subheader(t("learning.heads", step=step))
for role, scores in (("previous_token", replay.previous), ("induction", replay.induction)):  # full width each:
    title = t("learning.heads.title", role=lesson_text(f"heads.role.{role}", L), step=step)  # a half column
    figure = vh.head_grid_figure(scores[i], title, t("heads.unit.share"), L, bound=1.0)  # cramps 8 heads' labels
    chart(figure, key=f"learning_{role}")

if replay.attention:
    st.subheader(t("learning.probe"))
    final = np.unravel_index(int(np.argmax(replay.induction[-1])), replay.induction[-1].shape)
    names = [vh.head_name(l, h) for l in range(replay.induction.shape[1]) for h in range(replay.induction.shape[2])]
    kept("_learning.head", vh.head_name(int(final[0]), int(final[1])), lambda n: n in names)
    picked = st.selectbox(t("learning.probe.head"), names, key="_learning.head")
    at = min(replay.attention, key=lambda s: abs(s - step))  # the recorded attention nearest the step
    tokens = tokenize(lm.tokenizer, replay.probe, lm.token_scheme).tokens
    pattern = replay.attention[at][vh.parse_head(picked)]  # (T, T)
    if len(tokens) == pattern.shape[0]:
        title = t("learning.probe.title", head=picked, step=at)
        chart(vl.probe_figure(pattern, tokens, title, L), key="learning_probe")
        st.caption(t("learning.probe.caption", probe=replay.probe))

live_section(lm, L)
objectives()
next_lesson("learning")
