"""Lesson 11's sections: the three views, step-through decoding, the knock-out, the training history and the
bridge to GPT. Each draws from one trace of the encoder–decoder (and its decoder-only twin) with real numbers."""

from __future__ import annotations

import numpy as np
import streamlit as st

from model import LoadedModel, Trace
from model.numeric import softmax
from model.seq2seq import Knockout, bridge, knockout, sharpest_head
from model.tokens import token_texts
from training import dates
from training.read_dates import read
from training.replay import load_alignment
from ui.cache import model_memo
from ui.lesson import chart, explain
from ui.state import base_model, cached_model, clamp_index, kept, show_error, t
from viz import alignment as va
from viz import seq2seq as vs
from viz.labels import pct, token_code
from viz.theme import clicked_cell

KINDS = ("cross", "encoder", "decoder")
GRID_KEY = "seq2seq_grid"
BUNDLED, TWIN = "tinydates", "tinydates-gpt"
SEPARATOR = "→"  # how the twin was trained: "<s>" + source + "→" + output + "</s>" (training/train_dates.py)


def date_models() -> tuple[LoadedModel, LoadedModel | None] | None:
    """(the encoder–decoder, its decoder-only twin or None): the sidebar's model when it is an encoder–decoder,
    else TinyDates (the page says so); None after showing why not."""
    chosen = base_model()
    if chosen is None:
        return None
    if not chosen.family.is_seq2seq:
        st.info(t("seq2seq.need_model", model=chosen.display_name), icon="🔁")
        try:
            chosen = cached_model(BUNDLED)
        except Exception as err:  # noqa: BLE001 — every failure becomes a message
            show_error(err)
            return None
    return chosen, (_twin() if chosen.name == BUNDLED else None)


def _twin() -> LoadedModel | None:
    """TinyDates' decoder-only twin, for the bridge to GPT; None (the section is left out) if it cannot load."""
    try:
        return cached_model(TWIN)
    except Exception:  # noqa: BLE001 — the lesson stands without its last section
        return None


def familiar(lm: LoadedModel, source: str, examples: list[str]) -> None:
    """For TinyDates: say when the typed date is in a form or a year it never learned, or was held out of its
    training (another encoder–decoder learned other things: nothing is said)."""
    if lm.name != BUNDLED:
        return
    reading = read(source)
    if reading is None:
        st.info(t("seq2seq.unseen.form", forms=", ".join(f"“{e}”" for e in examples)), icon="🧭")
    elif not reading.in_range:
        first, last = dates.FIRST.year, dates.LAST.year
        st.info(t("seq2seq.unseen.year", first=first, last=last, year=reading.year), icon="🧭")
    elif dates.is_held_out(reading.date):
        st.caption(t("seq2seq.held_out", model=lm.display_name))


def _pick_from_grid() -> None:
    state = st.session_state.get(GRID_KEY)
    picked = clicked_cell(state["selection"]["points"] if state else None)
    if picked is not None:
        st.session_state["layer"], st.session_state["head"] = picked


def views(tr: Trace, language: str, sharpest: tuple[int, int]) -> None:
    """① … ④ on this date: encoder self-attention, decoder self-attention, cross-attention; one head and all. The
    head opens on the `sharpest` cross-attention head, unless a link or another lesson chose one."""
    st.session_state.setdefault("layer", sharpest[0])
    st.session_state.setdefault("head", sharpest[1])
    st.header(t("seq2seq.views"))
    st.markdown(t("seq2seq.views.what"))
    out_labels, in_labels = tr.tokens, tr.source_tokens  # the figures make their own axis labels
    kept("_seq2seq.view", "cross")
    kind = st.segmented_control(
        t("seq2seq.views.pick"), KINDS, key="_seq2seq.view", format_func=lambda k: t(f"seq2seq.kind.{k}")
    )
    kind = kind or "cross"
    patterns = {"encoder": tr.encoder_pattern, "decoder": tr.pattern, "cross": tr.cross_pattern}[kind]
    queries, keys = {"encoder": (in_labels, in_labels), "decoder": (out_labels, out_labels)}.get(
        kind, (out_labels, in_labels)
    )
    n_layers, n_heads = patterns.shape[:2]
    clamp_index("layer", n_layers)
    clamp_index("head", n_heads)
    for name, size in (("layer", n_layers), ("head", n_heads)):  # the encoder may have fewer layers
        if st.session_state.get(name, 0) >= size:
            st.session_state[name] = size - 1
    left, right = st.columns(2)
    layer = left.selectbox(t("attention.pick.layer"), range(n_layers), key="layer", persist_state="session")
    head = right.selectbox(t("attention.pick.head"), range(n_heads), key="head", persist_state="session")
    title = t("seq2seq.heatmap.title", kind=t(f"seq2seq.kind.{kind}"), layer=layer, head=head)
    chart(vs.attention_figure(patterns[layer, head], queries, keys, kind, language, title=title), key="seq2seq_one")
    chart(
        vs.heads_grid_figure(patterns, queries, keys, kind, language, chosen=(layer, head)),
        key=GRID_KEY,
        on_select=_pick_from_grid,
        selection_mode="points",
    )
    st.caption(t("seq2seq.grid.caption", layers=n_layers, heads=n_heads))


def views_notice(tr: Trace) -> tuple[str, int, int, str]:
    """The sentence about the sharpest cross-attention head on this date, that head, and the input token its row
    for the month's digit reads."""
    cross = tr.cross_pattern[:, :, :-1]  # (L, H, T-1, S): the rows that write a character
    layer, head = sharpest_head(cross)
    rows = cross[layer, head]  # (T-1, S)
    position = month_row(tr)
    peak = int(rows[position].argmax())
    notice = t(
        "seq2seq.views.notice",
        source=tr.prompt,
        output=token_code(tr.output),
        layer=layer,
        head=head,
        share=float(rows.max(-1).mean()),
        position=position,
        char=token_code(tr.tokens[position + 1]),
        peak=token_code(tr.source_tokens[peak]),
    )
    return notice, layer, head, token_code(tr.source_tokens[peak])


def month_row(tr: Trace) -> int:
    """The decoder row that writes the month's last digit (an ISO date's seventh character), else the first."""
    return 6 if len(tr.tokens) > 8 and tr.output[4:5] == "-" else 0


def steps(tr: Trace, lm: LoadedModel, layer: int, head: int, language: str) -> None:
    """Step-through decoding: one more cross-attention row per generated token, beside its next-token bars."""
    st.header(t("seq2seq.step"))
    last = tr.n_tokens - 2  # decoder positions 0 … T-2 each write one token (T-1 reads the end token)
    kept("_seq2seq.step", min(month_row(tr), last), lambda s: isinstance(s, int) and 0 <= s <= last)
    step = st.slider(t("seq2seq.step.slider"), 0, max(last, 1), key="_seq2seq.step", disabled=last < 1)
    row = min(step, last)
    probs = softmax(tr.logits_at(row))  # (V,)
    cross = tr.cross_pattern[layer, head]  # (T, S)
    vocab = token_texts(lm, range(len(probs)))
    fig = vs.step_figure(cross, probs, tr.tokens, tr.source_tokens, vocab, row, language)
    chart(fig, key="seq2seq_step")
    peak = int(cross[row].argmax())
    notice = t(
        "seq2seq.step.notice",
        step=row,
        written=token_code("".join(tr.tokens[1 : row + 1]) or tr.tokens[0]),
        char=token_code(tr.tokens[row + 1]),
        p=pct(probs[tr.token_ids[row + 1]]),
        layer=layer,
        head=head,
        share=float(cross[row, peak]),
        position=peak,
        source_char=token_code(tr.source_tokens[peak]),
    )
    month = token_code(tr.source_tokens[int(cross[month_row(tr)].argmax())])
    explain(t("seq2seq.step.what"), notice, t("seq2seq.step.try", month_step=month_row(tr), month=month))


def knock(lm: LoadedModel, source: str, language: str) -> None:
    """Cross-attention knocked out in every decoder layer: the decoder on its own."""
    st.header(t("seq2seq.knock"))
    result: Knockout = model_memo(lm, "seq2seq.knockout", source, lambda: knockout(lm, source), most=64)
    with_cross, without = result.sureness()  # (T-1,), (T-1,)
    targets = result.normal.tokens[1:]
    guesses = token_texts(lm, [int(softmax(result.forced.logits_at(i)).argmax()) for i in range(len(without))])
    vocab = int(lm.config.vocab_size)
    chart(vs.knockout_figure(with_cross, without, targets, language, guesses=guesses, vocab=vocab), key="seq2seq_knock")
    dashes = [i for i, ch in enumerate(result.normal.tokens[1:]) if ch == "-"]
    notice = t(
        "seq2seq.knock.notice",
        model=lm.display_name,
        output=token_code(result.normal.output),
        with_=pct(with_cross.mean()),
        low=pct(with_cross.min()),
        without=pct(without.mean()),
        guess=token_code(result.blind.output),
    )
    dash = pct(float(np.mean(without[dashes]))) if dashes else "—"
    guess = {row: softmax(result.forced.logits_at(row)) for row in (0, 5)}  # (V,) the blind first digits
    ids = {ch: int(i) for ch, i in zip(("1", "0"), lm.tokenizer.convert_tokens_to_ids(["1", "0"]), strict=True)}
    year_one = pct(guess[0][ids["1"]]) if len(result.normal.tokens) > 6 else "—"
    month_zero = pct(guess[5][ids["0"]]) if len(result.normal.tokens) > 6 else "—"
    try_this = t("seq2seq.knock.try", dash=dash, year_one=year_one, month_zero=month_zero)
    explain(t("seq2seq.knock.what"), notice, try_this)


def history(lm: LoadedModel, language: str) -> None:
    """How the alignment formed, from the model's training record (a bundled model's only)."""
    record = load_alignment(lm.source, probe=1 if language == "zh" else 0)
    if record is None:
        return
    st.header(t("seq2seq.history"))
    layer, head = sharpest_head(record.patterns[-1, :, :, :-1])  # the finished model's sharpest head
    snaps = [(int(s), p[layer, head]) for s, p in zip(record.steps, record.patterns, strict=True)]
    rows, cols = record.rows, record.columns
    chart(va.history_figure(snaps, rows, cols, language), key="seq2seq_history")
    right = record.patterns[-1, layer, head, :-1].argmax(-1)  # (R-1,) where the finished head looks
    share = record.patterns[:, layer, head, :-1][:, np.arange(len(right)), right].mean(-1)  # (n,)
    even = 1.0 / len(record.columns)
    chart(va.alignment_curve(record.steps, share, language, chance=even), key="seq2seq_curve")
    climb = int(np.argmax(np.diff(share))) + 1 if len(share) > 1 else 0  # the record after the steepest rise
    before = max(climb - 1, 0)
    notice = t(
        "seq2seq.history.notice",
        layer=layer,
        head=head,
        source=record.source,
        first_step=int(record.steps[0]),
        start=float(share[0]),
        even=even,
        last_step=int(record.steps[-1]),
        end=float(share[-1]),
        exact_start=pct(record.exact[0]),
        exact_end=pct(record.exact[-1]),
    )
    try_this = t(
        "seq2seq.history.try",
        before=f"{int(record.steps[before]):,}",
        jump=f"{int(record.steps[climb]):,}",
        exact_before=pct(record.exact[before]),
        exact_after=pct(record.exact[climb]),
    )
    explain(t("seq2seq.history.what"), notice, try_this)


def gpt_bridge(tr: Trace, twin: LoadedModel | None, source: str, layer: int, head: int, language: str) -> None:
    """The same job by a decoder alone: its output → input self-attention beside the cross-attention."""
    if twin is None:
        return
    st.header(t("seq2seq.bridge"))
    st.markdown(t("seq2seq.bridge.what", twin=twin.display_name))
    found = model_memo(twin, "seq2seq.bridge", source, lambda: bridge(twin, source, SEPARATOR), most=64)
    n_rows = min(len(found.rows), tr.n_tokens - 1)
    n_cols = min(len(found.columns), len(tr.source_tokens) - 1)  # the source's characters, not its </s>
    cross = tr.cross_pattern[layer, head, :n_rows, :n_cols]  # (R, C)
    peaks = cross.argmax(-1)  # (R,) where the cross-attention head looks
    agreement = (found.block[:, :, :n_rows, :n_cols].argmax(-1) == peaks).sum(-1)  # (L', H') rows agreeing
    twin_layer, twin_head = np.unravel_index(int(agreement.argmax()), agreement.shape)
    block = found.block[twin_layer, twin_head, :n_rows, :n_cols]  # (R, C)
    fig = va.bridge_figure(cross, block, tr.tokens[:n_rows], tr.source_tokens[:n_cols], language)
    chart(fig, key="seq2seq_bridge")
    agree = int(agreement.max())
    rest = float(1 - found.block[twin_layer, twin_head, :n_rows].sum(-1).mean())
    notice = t(
        "seq2seq.bridge.notice",
        twin=twin.display_name,
        output=token_code(found.output),
        layer=int(twin_layer),
        head=int(twin_head),
        cross_layer=layer,
        cross_head=head,
        agree=agree,
        rows=n_rows,
        rest=rest,
    )
    try_this = t("seq2seq.bridge.try", agree=agree, rows=n_rows, twin_layers=found.block.shape[0])
    explain(t("seq2seq.bridge.why"), notice, try_this)
