"""Lesson 4 — attention: one head's pattern, lines, the four steps, every head, decoder beside encoder."""

import numpy as np
import streamlit as st

from model.numeric import strongest_head
from ui.lesson import chart, explain, pick_token, start
from ui.pages import next_lesson
from ui.state import MAX_PROMPT_CHARS, cached_trace, clamp_index, cut_notice, show_error, t, t_model, value
from viz import attention as va
from viz import theme
from viz.labels import sci, token_code

GRID_KEY = "attention_grid"


def head_name(layer: int, head: int) -> str:
    return t("attention.head_name", layer=layer, head=head)


def pick_from_grid() -> None:
    """on_select callback: runs before the next run, so the layer and head boxes open on the clicked head."""
    state = st.session_state.get(GRID_KEY)
    picked = theme.clicked_cell(state["selection"]["points"] if state else None)
    if picked is not None:
        st.session_state["layer"], st.session_state["head"] = picked


tr, L = start("attention.title")
# Checked before the widgets exist, so a link with layer=99 falls back with a notice.
layer = clamp_index("layer", tr.n_layers)
head = clamp_index("head", tr.n_heads)

scores = va.head_scores(tr.pattern)  # each (L, H)
what = t("attention.what", dh=int(tr.queries.shape[-1]), heads=tr.n_heads, layers=tr.n_layers, model=tr.model_name)
if tr.n_tokens > 1:
    prev_layer, prev_head, prev = strongest_head(scores["previous"])
    first_layer, first_head, first = strongest_head(scores["first"])
    notice = t(
        "attention.notice",
        model=tr.model_name,
        total=tr.n_layers * tr.n_heads,
        prev_head=f"**{head_name(prev_layer, prev_head)}**",
        prev=prev,
        first_head=f"**{head_name(first_layer, first_head)}**",
        first=first,
        head_name=head_name(layer, head),
        sel_prev=scores["previous"][layer, head],
        sel_first=scores["first"][layer, head],
        entropy=scores["entropy"][layer, head],
    )
else:
    notice = t("attention.notice.one_token")
explain(what, notice, t_model("attention.try"))

left, middle, right = st.columns([1, 1, 2])
layer = left.selectbox(t("attention.pick.layer"), range(tr.n_layers), key="layer", persist_state="session")
head = middle.selectbox(t("attention.pick.head"), range(tr.n_heads), key="head", persist_state="session")
query = pick_token(tr, t("attention.pick.token"), right)

# One head: the pattern, with the causal mask visible, and its scores.
st.subheader(t("attention.pattern"))
mask_note = t("attention.pattern.mask_note") if tr.is_causal else t("attention.pattern.no_mask")
st.caption(t("attention.pattern.caption", mask_note=mask_note))
chart(va.pattern_figure(tr, layer, head, L, query=query), key="attention_pattern")
metrics = st.columns(4)
for col, name in zip(metrics, ("previous", "first", "self"), strict=False):
    col.metric(
        t(f"attention.metric.{name}"), va.share_text(scores[name][layer, head]), help=t(f"attention.metric.help.{name}")
    )
metrics[3].metric(
    t("attention.metric.entropy"),
    t("attention.metric.bits", value=scores["entropy"][layer, head]),
    help=t("attention.metric.help.entropy"),
)

# Lines from the chosen query token to the keys it reads.
st.subheader(t("attention.lines"))
view = va.lines_view(tr.pattern[layer, head, query], query)
if view.long:
    st.caption(
        t(
            "attention.lines.caption_long",
            tokens=tr.n_tokens,
            token=token_code(tr.tokens[query]),
            n=len(view.drawn),
            share=va.share_text(view.share),
            min=va.MIN_LINE_WEIGHT,
        )
    )
else:
    st.caption(t("attention.lines.caption", min=va.MIN_LINE_WEIGHT))
chart(va.lines_figure(tr, layer, head, query, L), key="attention_lines")

# The four steps of one row, replayed from the model's own q, k and scale.
st.subheader(t("attention.steps"))
steps = va.attention_steps(tr, layer, head, query)
future = int(np.isneginf(steps.masked).sum())
if not tr.is_causal:
    mask_text = t("attention.steps.mask_none")
else:
    mask_text = t("attention.steps.mask_causal", n=future) if future else t("attention.steps.mask_last")
st.markdown(
    t(
        "attention.steps.explain",
        token=token_code(tr.tokens[query]),
        dh=steps.head_dim,
        scale=va.scale_text(steps),
        mask_text=mask_text,
        query=query,
        diff=sci(np.abs(steps.softmax - tr.pattern[layer, head, query]).max()),
    )
)
numbers = {
    t(f"attention.steps.col.{c}"): st.column_config.NumberColumn(format="%.4f") for c in ("score", "scaled", "softmax")
}
rows = va.steps_rows(steps, tr.tokens, L)
st.dataframe(rows, hide_index=True, column_config=numbers, height=min(420, 38 + 35 * tr.n_tokens))
chart(va.steps_figure(steps, tr.tokens, L), key="attention_steps")

# Every head at once; a click opens that head above.
st.subheader(t("attention.grid"))
grid_note = t("attention.grid.caption", layers=tr.n_layers, heads=tr.n_heads, total=tr.n_layers * tr.n_heads)
if va.grid_group(tr.n_tokens) > 1:
    grid_note += " " + t("attention.grid.pooled", tokens=tr.n_tokens, group=va.grid_group(tr.n_tokens))
st.caption(grid_note)
chart(va.grid_figure(tr, layer, head, L), key=GRID_KEY, on_select=pick_from_grid, selection_mode="points")

# The same sentence in a decoder and an encoder.
st.subheader(t("attention.compare"))
prompt = value("prompt")[:MAX_PROMPT_CHARS]
panes = {}
for name in ("tinytales", "minilm"):
    try:
        panes[name] = tr if value("model") == name else cached_trace(name, prompt)
    except Exception as err:  # noqa: BLE001 — one model failing must not break the page
        show_error(err)
if len(panes) == 2:
    dec, enc = panes["tinytales"], panes["minilm"]
    st.markdown(
        t(
            "attention.compare.explain",
            dec=dec.model_name,
            enc=enc.model_name,
            dec_first=va.visible_keys(dec.pattern, 0),
            dec_last=va.visible_keys(dec.pattern, dec.n_tokens - 1),
            enc_all=va.visible_keys(enc.pattern, 0),
            layer=layer,
            head=head,
        )
    )
columns = st.columns(2)
for col, name, role in zip(columns, ("tinytales", "minilm"), ("decoder", "encoder"), strict=True):
    if name not in panes:
        continue
    other = panes[name]
    other_layer, other_head = min(layer, other.n_layers - 1), min(head, other.n_heads - 1)
    title = t(f"attention.compare.{role}", model=other.model_name)
    title += "<br>" + head_name(other_layer, other_head)
    with col:
        figure = va.pattern_figure(other, other_layer, other_head, L, title=title, compact=True)
        chart(figure, key=f"attention_{role}")
        if other is not tr and cut_notice(other):
            st.caption(cut_notice(other))

next_lesson("attention")
