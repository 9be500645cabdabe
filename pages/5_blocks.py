"""Lesson 5 — inside the blocks: the residual stream read by the logit lens, a pinned token, the ledger."""

import numpy as np
import streamlit as st

from lessons import t as lesson_text
from model.lens import (
    activation_curve,
    activation_name,
    contexts_scanned,
    head_contributions,
    logit_attribution,
    neuron_contexts,
    neuron_promotes,
    neuron_pushes,
    sublayer_lens,
    sublayer_lens_grid,
    tuned_lens,
)
from model.numeric import row_cosine, softmax
from model.weights import vocabulary
from ui.lesson import chart, explain, pick_token, start
from ui.pages import next_lesson
from ui.state import cached_trace, current_model, kept, model_key, t, t_model
from viz import blocks as vb
from viz import theme
from viz.labels import num, sci, token_code, visible
from viz.tokens import chips_html

N_NEURONS = 12
READERS = ("logit", "tuned")  # how the lens reads a row: the model's own readout, or a tuned lens first
CELL_KEY = "blocks_lens"


def pick_cell() -> None:
    """on_select callback: runs before the next run, so the page opens the clicked cell of the lens."""
    state = st.session_state.get(CELL_KEY)
    picked = theme.clicked_cell(state["selection"]["points"] if state else None)
    if picked is not None:
        st.session_state["_blocks.cell"] = list(picked)


def cell_section(logp: np.ndarray, cell: list[int]) -> None:
    """One cell's top guesses with their rank changes against the row below; logp (R, C, V) of the lens."""
    row, position = cell
    here = logp[row, position - columns[0]]  # (V,)
    below = logp[row - 1, position - columns[0]] if row > 0 else None
    rows = vb.cell_rows(here, below, texts)
    key = "blocks.cell.explain" if row > 0 else "blocks.cell.explain_first"
    names = dict(row=vb.part_name(row_names[row], L), token=token_code(tr.tokens[position]), k=len(rows))
    st.markdown(t(key, **names, below=vb.part_name(row_names[row - 1], L) if row > 0 else ""))
    table = {
        t("blocks.cell.token"): [visible(r["token"]) for r in rows],
        t("blocks.cell.p"): [f"{r['p']:.2%}" for r in rows],
        t("blocks.cell.rank"): [f"{r['rank']:,}" for r in rows],
        t("blocks.cell.below"): ["—" if r["rank_below"] is None else f"{r['rank_below']:,}" for r in rows],
        t("blocks.cell.change"): [vb.change_text(r["change"]) for r in rows],
    }
    st.dataframe(table, hide_index=True, width="stretch")


def neurons_section(position: int, answer: int) -> None:
    """The neurons of one MLP layer that push the answer most, and what the strongest one promotes."""
    st.subheader(t("blocks.neurons"))
    kept("_blocks.mlp_layer", tr.n_layers - 1, lambda layer: 0 <= layer < tr.n_layers)
    layer = st.selectbox(t("blocks.neurons.layer"), range(tr.n_layers), key="_blocks.mlp_layer")
    with_neurons = cached_trace(model_key(), tr.prompt, bool(st.session_state.get("allow_download")), mlp_post=True)
    if with_neurons.n_tokens != tr.n_tokens:  # a cut prompt traced again: positions would not line up
        return
    pushes = neuron_pushes(lm, with_neurons, layer, position, answer)  # (m,)
    top = np.argsort(-np.abs(pushes))[:N_NEURONS]
    total = dict(parts)[f"L{layer} mlp"]
    st.markdown(
        t(
            "blocks.neurons.explain",
            layer=layer,
            m=len(pushes),
            token=token_code(texts[answer]),
            n=len(top),
            share=float(pushes[top].sum() / total) if total else 0.0,
            total=total,
        )
    )
    activations = with_neurons.mlp_post[layer, position][top]
    chart(vb.neurons_figure(pushes[top], top, activations, texts[answer], L), key="blocks_neurons")
    activation_section(with_neurons, layer, position, top)
    kept("_blocks.neuron", int(top[0]), lambda n: n in top)  # this position's strongest pushers
    pushes_text = {int(n): num(float(pushes[n]), 3) for n in top}
    best = st.selectbox(
        t("blocks.neuron.pick"),
        [int(n) for n in top],
        format_func=lambda n: lesson_text("blocks.neuron.option", L, n=n, push=pushes_text[n]),
        key="_blocks.neuron",
    )
    ids, _ = neuron_promotes(lm, layer, best, k=8)
    promoted = ", ".join(token_code(texts[i]) for i in ids)
    st.markdown(
        t("blocks.neuron.promotes", n=best, a=float(with_neurons.mlp_post[layer, position, best]), tokens=promoted)
    )
    contexts = neuron_contexts(lm, layer, best)
    if contexts is None:
        st.caption(t("blocks.neuron.no_contexts", model=tr.model_name))
        return
    st.markdown(t("blocks.neuron.contexts", n=best, scanned=contexts_scanned(lm)))
    for context, fire, fired in contexts:
        chips = chips_html([texts[i] for i in context], context, highlight=fire)
        value_line = t("blocks.neuron.fired", value=fired)
        st.markdown(f"{chips}<div style='margin:-6px 0 8px'>{value_line}</div>", unsafe_allow_html=True)


def activation_section(traced, layer: int, position: int, marked: np.ndarray) -> None:
    """One token's neurons drawn on the MLP's activation function, the strongest pushers marked."""
    st.markdown(f"**{t('blocks.act')}**")
    if traced.mlp_pre is None:
        st.info(t("blocks.act.none", model=tr.model_name))
        return
    pre = traced.mlp_pre[layer, position]  # (m,)
    outputs = activation_curve(lm, layer, pre)  # (m,)
    curve_x = np.linspace(min(-4.0, float(pre.min())), max(4.0, float(pre.max())), 240)
    function = activation_name(lm)
    active = int((outputs > 0.1).sum())
    st.markdown(t("blocks.act.explain", m=len(pre), function=function, active=active))
    if not np.allclose(outputs, traced.mlp_post[layer, position], atol=1e-4):
        st.caption(t("blocks.act.gated"))
    curve = activation_curve(lm, layer, curve_x)
    figure = vb.activation_figure(curve_x, curve, pre, outputs, marked, function, tr.tokens[position], L)
    chart(figure, key="blocks_act")


tr, L = start("blocks.title")
lm = current_model()
if lm is None:
    st.stop()

if not tr.has_logits:  # an encoder: no lens, but how each layer moves each token is real
    st.info(t("blocks.encoder", model=tr.model_name))
    final = tr.resid[-1]  # (T, d)
    sims = np.stack([row_cosine(tr.resid[layer], final) for layer in range(tr.n_layers + 1)])  # (L+1, T)
    names = ["embed"] + [f"L{layer}" for layer in range(tr.n_layers)]
    curves = {tok: sims[:, i] for i, tok in enumerate(tr.tokens[:12])}
    chart(vb.trajectory_figure(names, curves, L, t("blocks.encoder.title")), key="encoder_cos")
    next_lesson("blocks")
    st.stop()

texts = vocabulary(lm)[1]
about = st.container()  # what it is / what to notice: filled once the position is picked
position = pick_token(tr, t("blocks.position"))
logits = tr.logits_at(position)  # (V,) the model's own scores at the picked position
answer = int(np.argmax(logits))
tuned = tuned_lens(lm)
if tuned is not None and tuned[0].shape[0] != 2 * tr.n_layers:  # made for other rows: not this model's
    tuned = None
kept("_blocks.lens", READERS[0], lambda r: r == READERS[0] or tuned is not None)
if tuned is not None:
    reader = st.radio(
        t("blocks.reader"),
        READERS,
        format_func=lambda r: lesson_text(f"blocks.reader.{r}", L),
        horizontal=True,
        key="_blocks.lens",
        help=t("blocks.reader.help"),
    )
else:
    reader = READERS[0]
translators = tuned[:2] if reader == "tuned" else None
kept("_blocks.final_norm", True)
if translators is not None:  # a tuned lens was trained through the final norm: it has no "without"
    st.session_state["_blocks.final_norm"] = True
final_norm = st.toggle(
    t("blocks.final_norm"),
    key="_blocks.final_norm",
    help=t("blocks.final_norm.help"),
    disabled=translators is not None,
)

# the lens at the positions the heatmap shows (the last ones): (R, C, V) log-probabilities, at most ~20 M floats
n_rows = 2 * tr.n_layers + 1
shown = max(4, min(vb.MAX_COLUMNS, 20_000_000 // (n_rows * tr.vocab_size)))
columns = list(range(max(0, tr.n_tokens - shown), tr.n_tokens))
logp = sublayer_lens_grid(tr, columns, final_norm, translators)[1]  # (R, C, V)
row_names, here = sublayer_lens(tr, position, final_norm, translators)  # names (R,), (R, V) at the position
answers = tr.logits_at(slice(columns[0], None)).argmax(-1)  # (C,) the model's own final guesses
grid = vb.lens_grid(logp, answers)
actual = np.append(tr.token_ids[columns[0] + 1 :], -1)  # (C,) the token that really came next; none after the last
correct = answers == actual
next_text = [texts[i] if i >= 0 else "?" for i in actual]
here_top1 = here.argmax(-1)  # (R,)

first = vb.first_top1(row_names, here_top1, answer) if final_norm else None
first = vb.part_name(first, L) if first else None
parts = logit_attribution(lm, tr, position, answer) if tr.pre_norm else []
best = max(parts[:-1], key=lambda p: p[1]) if parts else ("—", 0.0)
with about:
    explain(
        t("blocks.what"),
        t(
            "blocks.notice",
            model=tr.model_name,
            answer=token_code(texts[answer]),
            p=float(softmax(logits)[answer]),
            first=first or t("blocks.notice.late"),
            best=vb.part_name(best[0], L),
            best_v=("+" if best[1] >= 0 else "") + num(best[1], 2),
            logit=float(logits[answer]),
        ),
        t_model("blocks.try"),
    )

st.subheader(t("blocks.lens"))
kept("_blocks.colour", vb.COLOURINGS[0], lambda c: c in vb.COLOURINGS)
colour = st.radio(
    t("blocks.colour"),
    vb.COLOURINGS,
    format_func=lambda c: lesson_text(f"blocks.colour.{c}", L),  # its language fixed now, not when read later
    horizontal=True,
    key="_blocks.colour",
)
if not final_norm:
    st.warning(t("blocks.no_norm"), icon="⚠️")
if translators is not None:
    record = tuned[2]
    worst = int(np.argmax(record["held_out_kl_logit_lens"]))  # the row the logit lens reads worst
    st.info(
        t(
            "blocks.tuned.explain",
            tokens=record["train_tokens"],
            steps=record["steps"],
            row=vb.part_name(row_names[worst], L),
            raw=record["held_out_kl_logit_lens"][worst],
            tuned=record["held_out_kl_tuned_lens"][worst],
            mean_raw=float(np.mean(record["held_out_kl_logit_lens"])),
            mean_tuned=float(np.mean(record["held_out_kl_tuned_lens"])),
        ),
        icon="🔧",
    )
R = len(row_names)
kept("_blocks.cell", None, lambda c: c is None or (0 <= c[0] < R and columns[0] <= c[1] < tr.n_tokens))
cell = st.session_state["_blocks.cell"] or [R - 1, position]  # until a click: the output at the picked position
args = (grid, row_names, tr.tokens[columns[0] :], texts, next_text, correct, colour, L, columns[0], cell)
chart(vb.lens_figure(*args), key=CELL_KEY, on_select=pick_cell, selection_mode="points")
st.markdown(f"**{t('blocks.cell')}**")
cell_section(logp, cell)

st.subheader(t("blocks.pinned"))
top_ids = list(dict.fromkeys([answer, *np.argsort(-here[-1])[:8].tolist()]))
kept("_blocks.pinned", top_ids[:3], lambda ids: all(i in top_ids for i in ids))  # this prompt's candidates
pinned = st.multiselect(
    t("blocks.pinned.pick"),
    top_ids,
    format_func=lambda i: visible(texts[i]),
    key="_blocks.pinned",
)
probs = np.exp(here)  # (R, V)
chart(vb.trajectory_figure(row_names, {texts[i]: probs[:, i] for i in pinned}, L), key="blocks_pinned")
for token_id in pinned:
    row = vb.first_top1(row_names, here_top1, token_id)
    key = "blocks.pinned.first" if row else "blocks.pinned.never"
    st.markdown(t(key, token=token_code(texts[token_id]), row=vb.part_name(row, L) if row else ""))

st.subheader(t("blocks.ledger"))
if not tr.pre_norm:
    st.info(t("blocks.ledger.post_norm", model=tr.model_name))
else:
    logit = float(logits[answer])
    total = sum(v for _, v in parts)
    scale = float(tr.readout.scale(tr.resid[-1, position])[0])
    st.markdown(
        t(
            "blocks.ledger.explain",
            token=token_code(texts[answer]),
            scale=scale,
            total=total,
            logit=logit,
            gap=sci(abs(total - logit)),
        )
    )
    chart(vb.ledger_figure(parts, logit, texts[answer], L), key="blocks_ledger")
    rivals = [-1, *[i for i in top_ids if i != answer][:6]]  # -1: no rival; else the lens' runners-up
    kept("_blocks.rival", -1, lambda rival: rival in rivals)  # a rival of another prompt or model starts over
    rival = st.selectbox(
        t("blocks.rival"),
        rivals,
        format_func=lambda i: lesson_text("blocks.rival.none", L) if i < 0 else visible(texts[i]),
        key="_blocks.rival",
        help=t("blocks.rival.help"),
    )
    if rival >= 0:
        against = logit_attribution(lm, tr, position, answer, rival=rival)
        difference = float(logits[answer] - logits[rival])
        st.markdown(
            t(
                "blocks.rival.explain",
                token=token_code(texts[answer]),
                rival=token_code(texts[rival]),
                total=num(sum(v for _, v in against), 4),
                difference=num(difference, 4),
            )
        )
        label = f"{visible(texts[answer])} − {visible(texts[rival])}"
        chart(vb.ledger_figure(against, difference, label, L), key="blocks_rival")
    st.subheader(t("blocks.heads"))
    chart(vb.heads_figure(head_contributions(lm, tr, position, answer), texts[answer], L), key="blocks_heads")
    neurons_section(position, answer)
st.caption(t("blocks.later"))

next_lesson("blocks")
