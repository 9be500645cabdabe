"""Lesson 8 — how it learned: the bundled model's own training, replayed from its record."""

import numpy as np
import streamlit as st

from lessons import t as lesson_text
from model.tokens import tokenize
from training.replay import INDUCTION_BAR, load_replay, phase_change
from ui.lesson import chart, explain, start
from ui.live_training import live_section
from ui.objectives_view import objectives
from ui.pages import next_lesson
from ui.state import current_model, kept, t, t_model
from viz import heads as vh
from viz import learning as vl

PLAY_EVERY = 1.2  # seconds between replayed steps while playing


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


replay = replay_of(lm)
if replay is None:
    st.info(t("learning.no_record", model=tr.model_name))
    live_section(lm, L)
    objectives(lm, tr, L)
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
second = replay.roles[1]  # induction for a decoder, next-token for a masked model
layer, head = np.unravel_index(int(np.argmax(replay.scores(second)[i])), replay.scores(second)[i].shape)
best = {"head": vh.head_name(int(layer), int(head)), "score": float(replay.scores(second)[i, layer, head])}
read = {"model": tr.model_name, "step": step, "tokens": float(replay.tokens[i]) / 1e6, "val": float(replay.val[i])}
if replay.objective == "masked":
    notice = t("learning.notice.masked", **read, **best, top1=float(replay.top1[i]), base=replay.baseline_top1)
    try_this = t("learning.try.masked")
else:
    bigram = replay.bigram if replay.bigram is not None else float("nan")
    notice = t("learning.notice", **read, **best, bigram=bigram) + " "
    notice += (
        t("learning.notice.phase", step=phase, bar=INDUCTION_BAR)
        if phase
        else t("learning.notice.no_phase", bar=INDUCTION_BAR)
    )
    try_this = t_model("learning.try")
explain(t("learning.what.masked" if replay.objective == "masked" else "learning.what"), notice, try_this)

chart(vl.loss_figure(replay.steps, replay.train, replay.val, replay.bigram, step, phase, L), key="learning_loss")

st.subheader(t("learning.samples", step=step))
for sample in replay.samples[i]:
    st.markdown(t("learning.sample", prompt=sample["prompt"], greedy=sample["greedy"].replace("\n", " ")))

st.subheader(t("learning.heads", step=step))
for role in replay.roles:  # full width each: a half column cramps 8 heads' labels
    scores = replay.scores(role)
    title = t("learning.heads.title", role=lesson_text(f"heads.role.{role}", L), step=step)
    figure = vh.head_grid_figure(scores[i], title, t("heads.unit.share"), L, bound=1.0)
    chart(figure, key=f"learning_{role}")

if replay.attention:
    st.subheader(t("learning.probe"))
    last = replay.scores(second)[-1]  # (L, H)
    final = np.unravel_index(int(np.argmax(last)), last.shape)
    names = [vh.head_name(l, h) for l in range(last.shape[0]) for h in range(last.shape[1])]
    kept("_learning.head", vh.head_name(int(final[0]), int(final[1])), lambda n: n in names)
    picked = st.selectbox(t("learning.probe.head"), names, key="_learning.head")
    at = min(replay.attention, key=lambda s: abs(s - step))  # the recorded attention nearest the step
    tokens = tokenize(lm.tokenizer, replay.probe, lm.token_scheme).tokens
    pattern = replay.attention[at][vh.parse_head(picked)]  # (T, T)
    if len(tokens) == pattern.shape[0]:
        title = t("learning.probe.title", head=picked, step=at)
        chart(vl.probe_figure(pattern, tokens, title, L, causal=replay.objective != "masked"), key="learning_probe")
        caption = "learning.probe.caption.masked" if replay.objective == "masked" else "learning.probe.caption"
        st.caption(t(caption, probe=replay.probe))

live_section(lm, L)
objectives(lm, tr, L)
next_lesson("learning")
