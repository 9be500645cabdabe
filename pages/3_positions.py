"""Lesson 3 — positions: the model's own position vectors, the textbook sinusoids, token + position, RoPE."""

import numpy as np
import streamlit as st

from model.load import position_init
from model.numeric import cosine_matrix
from model.weights import position_table, rope_scaling
from ui.lesson import chart, explain, pick_token, start
from ui.pages import next_lesson
from ui.state import current_model, kept, t
from viz import positions as vp
from viz.labels import num, sci

MOST_ROWS = 1024  # positions drawn at most
FEW_ROWS = 64  # positions drawn at first, if the prompt is shorter


tr, L = start("positions.title")
lm = current_model()
if lm is None:
    st.stop()
T, d = tr.n_tokens, tr.d_model
table = position_table(lm)  # (P, d) or None
if table is None and tr.position_embeddings is not None:
    table = np.asarray(tr.position_embeddings)  # (T, d): only the prompt's rows are known
rotary = tr.position_kind == "rotary" and tr.rotary_base is not None and tr.rotary_dim is not None

if table is not None:
    far = min(max(T - 1, 1), len(table) - 1)
    sim = cosine_matrix(table[[0, min(1, len(table) - 1), far]])  # (3, 3)
    token_norm = float(np.linalg.norm(tr.token_embeddings, axis=1).mean())
    pos_norm = float(np.linalg.norm(tr.position_embeddings, axis=1).mean()) if tr.position_embeddings is not None else 0
    notice = t(
        "positions.notice.learned",
        model=tr.model_name,
        rows=len(table),
        d=d,
        near=num(sim[0, 1]),
        far=far,
        far_sim=num(sim[0, 2]),
        tokens=T,
        pos_norm=pos_norm,
        tok_norm=token_norm,
    )
elif rotary:
    freq = vp.rotary_frequencies(tr.rotary_base, tr.rotary_dim)  # (rotary_dim/2,)
    angle = (T - 1) * freq[0]
    notice = t(
        "positions.notice.rotary",
        model=tr.model_name,
        base=tr.rotary_base,
        dim=tr.rotary_dim,
        fast=freq[0],
        slow=freq[-1],
        last=T - 1,
        angle=angle,
        turns=angle / (2 * np.pi),
    )
else:
    notice = ""
explain(t("positions.what"), notice, t("positions.try_rotary" if rotary and table is None else "positions.try"))

st.subheader(t("positions.tables"))
n_available = len(table) if table is not None else tr.context_size
most = max(2, min(n_available, MOST_ROWS))
kept("_positions.rows", min(most, max(T, FEW_ROWS)), lambda rows: 2 <= rows <= most)  # another model's: afresh
n = st.slider(t("positions.rows"), min_value=2, max_value=most, key="_positions.rows")
sinusoid = vp.sinusoidal(n, d)  # (n, d)
sin_title = t("positions.sinusoidal.title", d=d)
if table is not None:
    origin = t(f"positions.origin.{position_init(lm) or 'unknown'}", model=tr.model_name)
    st.markdown(t("positions.uses.learned", d=d, sim=num(vp.sinusoid_similarity(table), 2), origin=origin))
    left, right = st.columns(2)
    shown = table[:n]  # (n, d)
    with left:
        chart(vp.table_figure(shown, t("positions.learned.title", d=d), L, T), key="learned")
        chart(vp.similarity_figure(shown, t("positions.learned.sim_title"), L, T), key="learned_sim")
    with right:
        chart(vp.table_figure(sinusoid, sin_title, L, T), key="sinusoid")
        chart(vp.similarity_figure(sinusoid, t("positions.sinusoidal.sim_title"), L, T), key="sinusoid_sim")
    if tr.position_embeddings is not None:
        offset = vp.table_offset(table, tr.position_embeddings)
        if offset is None:
            st.caption(t("positions.check.none"))
        else:
            gap = float(np.abs(table[offset : offset + T] - tr.position_embeddings).max())
            st.caption(t("positions.check.offset", tokens=T, start=offset, end=offset + T - 1, gap=sci(gap)))
else:
    st.markdown(t("positions.uses.rotary", d=d))
    left, right = st.columns(2)
    with left:
        chart(vp.table_figure(sinusoid, sin_title, L, T), key="sinusoid")
    with right:
        chart(vp.similarity_figure(sinusoid, t("positions.sinusoidal.sim_title"), L, T), key="sinusoid_sim")
st.markdown(
    t("positions.sinusoidal.lead", header=t("positions.sinusoidal.header"), explain=t("positions.sinusoidal.explain"))
)

st.subheader(t("positions.sum.header"))
check = vp.sum_check(tr)
if tr.family == "GPT-2":
    st.markdown(t("positions.sum.gpt2", model=tr.model_name, gap=sci(check.gap)))
elif tr.position_embeddings is None:
    st.markdown(t("positions.sum.rotary", model=tr.model_name, gap=sci(check.gap)))
else:
    st.markdown(
        t(
            "positions.sum.encoder",
            model=tr.model_name,
            gap=check.gap,
            corr=num(check.correlation),
            s_sum=check.spread_sum,
            s_input=check.spread_input,
        )
    )
pick = pick_token(tr, t("positions.pick"))
chart(vp.sum_figure(tr, pick, L), key="sum")

if rotary:
    st.subheader(t("positions.rotary.header"))
    base, dim = tr.rotary_base, tr.rotary_dim
    st.markdown(t("positions.rotary.explain", dim=dim, pairs=dim // 2, base=base))
    scaling = rope_scaling(lm)
    if scaling:
        st.caption(t("positions.rotary.scaled", kind=scaling))
    chart(vp.rotary_figure(n, base, dim, L, T), key="rotary")
    chart(vp.frequency_figure(base, dim, L), key="frequency")
next_lesson("positions")
