"""Lesson 7 — the head lab: what each head does, and what breaks when you knock it out."""

import numpy as np
import streamlit as st

from lessons import t as lesson_text
from model.edits import AblateHead
from model.headlab import (
    READY_PAIRS,
    PromptPair,
    ablation_sweep,
    head_roles,
    induction_probe,
    logit_diff,
    logprob,
    loss_per_position,
    mean_loss,
    patch_sweep,
    prompt_ids,
    second_copy_start,
    single_token,
    top_heads,
)
from model.numeric import softmax
from model.tokens import tokenize
from model.tracing import trace, trace_ids
from ui.job_view import job_panel
from ui.lesson import chart, explain, start
from ui.pages import next_lesson
from ui.state import current_model, kept, t, t_model
from viz import heads as vh
from viz import theme
from viz.attention import pattern_figure
from viz.labels import num, token_code, visible

ATLAS_KEY = "heads_atlas"
N_BARS = 10
METRICS = ("copy", "prompt")  # what the sweep measures: the probe's copying, or the followed token on the prompt
OWN_PAIR = -1  # the pair box's "your own" choice
MAX_PAIR_CHARS = 300
ROLE_BAR = 0.3  # "all heads of a role": those scoring at least this


def pick_from_atlas() -> None:
    """on_select callback: the clicked head opens below the map."""
    state = st.session_state.get(ATLAS_KEY)
    picked = theme.clicked_cell(state["selection"]["points"] if state else None)
    if picked is not None:
        st.session_state["_heads.pick"] = list(picked)


def knock_top(role: str) -> None:
    """Button callback: knock out the two heads that score highest on `role`."""
    st.session_state["_heads.knock"] = [vh.head_name(l, h) for l, h, _ in top_heads(roles[role], 2)]


def knock_role(role: str) -> None:
    """Button callback: knock out every head scoring at least ROLE_BAR on `role` (at least the best one)."""
    scores = roles[role]
    chosen = [(l, h) for l, h, v in top_heads(scores, scores.size) if v >= ROLE_BAR] or [top_heads(scores, 1)[0][:2]]
    st.session_state["_heads.knock"] = [vh.head_name(l, h) for l, h in chosen]


def probe_trace():
    """The repeated random probe, traced once per model."""
    if "heads.probe_trace" not in lm.memo:
        lm.memo["heads.probe_trace"] = trace_ids(lm, probe)
    return lm.memo["heads.probe_trace"]


def remembered(memo: tuple, compute, most: int = 64):
    """lm.memo[memo], computed once for the whole server; of each kind (memo[0]) the last `most` are kept."""
    if memo not in lm.memo:
        order = lm.memo.setdefault(("heads.order", memo[0]), [])
        if len(order) >= most:
            lm.memo.pop(order.pop(0), None)
        lm.memo[memo] = compute()
        order.append(memo)
    return lm.memo[memo]


def probe_loss(edits: tuple) -> np.ndarray:
    """(T-1,) the probe's loss at each position under `edits`: the same for every student."""
    return remembered(("heads.probe_loss", edits), lambda: loss_per_position(lm, probe, edits), most=512)


def atlas() -> tuple[int, int]:
    """The role map, a click opens a head's pattern on the probe and on the prompt; returns the picked head."""
    st.subheader(t("heads.atlas"))
    st.toggle(t("heads.sink"), key="_heads.sink", help=t("heads.sink.help"))
    kept("_heads.role", vh.ROLES[0], lambda r: r in vh.ROLES)
    role = st.radio(
        t("heads.role"),
        vh.ROLES,
        format_func=lambda r: lesson_text(f"heads.role.{r}", L),
        horizontal=True,
        key="_heads.role",
    )
    scores = roles[role]  # (L, H)
    best = top_heads(scores if role != "entropy" else -scores, 1)[0]
    kept("_heads.pick", [best[0], best[1]], lambda p: p is None or (p[0] < tr.n_layers and p[1] < tr.n_heads))
    picked = tuple(st.session_state["_heads.pick"] or (best[0], best[1]))
    unit = t("heads.unit.bits") if role == "entropy" else t("heads.unit.share")
    title = t("heads.atlas.title", role=lesson_text(f"heads.role.{role}", L), model=tr.model_name)
    figure = vh.head_grid_figure(scores, title, unit, L, picked, bound=None if role == "entropy" else 1.0)
    chart(figure, key=ATLAS_KEY, on_select=pick_from_atlas, selection_mode="points")
    st.caption(t(f"heads.role.{role}.how"))
    st.markdown(t("heads.not_proof"))
    layer, head = picked
    name = vh.head_name(layer, head)
    left, right = st.columns(2)
    with left:
        title = t("heads.pattern.probe", head=name)
        chart(pattern_figure(probe_trace(), layer, head, L, title=title, compact=True), key="heads_probe")
    with right:
        title = t("heads.pattern.prompt", head=name)
        chart(pattern_figure(tr, layer, head, L, title=title, compact=True), key="heads_prompt")
    return picked


def knockout(names: list[str], mode: str) -> None:
    """Before/after on the user's prompt (next-token bars, KL, the top token's log-probability) and on the
    probe (loss at each position)."""
    edits = tuple(AblateHead(*vh.parse_head(n), mode=mode) for n in names)
    # (V,) each; the knocked-out run is kept per prompt and heads, so other controls do not run it again
    knocked = ("heads.knocked", tr.prompt, edits)
    after = remembered(knocked, lambda: softmax(trace(lm, tr.prompt, edits=edits).logits_at(-1)))
    before = softmax(tr.logits_at(-1))
    top = np.argsort(-before)[:N_BARS]
    texts = [lm.tokenizer.decode([int(i)]) for i in top]
    kept("_heads.follow", int(top[0]), lambda i: i in top)  # this prompt's candidates
    answer = st.selectbox(
        t("heads.follow"),
        [int(i) for i in top],
        format_func=dict(zip((int(i) for i in top), (visible(x) for x in texts), strict=True)).get,
        key="_heads.follow",
    )
    kl = float((before * (np.log(before + 1e-30) - np.log(after + 1e-30))).sum())
    shift = float(np.log(after[answer] + 1e-30) - np.log(before[answer] + 1e-30))
    followed = lm.tokenizer.decode([answer])
    st.markdown(
        t("heads.knock.prompt", heads=", ".join(names), token=token_code(followed), shift=num(shift, 2), kl=num(kl, 3))
    )
    chart(vh.bars_figure(texts, before[top], after[top], L), key="heads_bars")
    clean_loss = probe_loss(())  # (T-1,)
    knocked_loss = probe_loss(edits)
    start_at = second_copy_start(lm)
    st.markdown(
        t(
            "heads.knock.probe",
            clean=float(clean_loss[start_at:].mean()),
            knocked=float(knocked_loss[start_at:].mean()),
            first=float(clean_loss[1:start_at].mean()),
        )
    )
    chart(vh.loss_figure(clean_loss, knocked_loss, start_at, L), key="heads_loss")


def sweep(mode: str) -> None:
    """Predict, then test: every head knocked out in turn, through the job queue."""
    st.subheader(t("heads.sweep"))
    st.markdown(t("heads.sweep.explain"))
    names = [vh.head_name(l, h) for l in range(tr.n_layers) for h in range(tr.n_heads)]
    kept("_heads.guess", "", lambda g: g == "" or g in names)
    guess = st.selectbox(
        t("heads.guess"),
        ["", *names],
        format_func=lambda n: lesson_text("heads.guess.none", L) if n == "" else n,
        key="_heads.guess",
    )
    kept("_heads.metric", METRICS[0], lambda m: m in METRICS)
    which = st.radio(
        t("heads.metric"),
        METRICS,
        format_func=lambda m: lesson_text(f"heads.metric.{m}", L),
        horizontal=True,
        key="_heads.metric",
    )
    if which == "copy":
        ids, metric, memo = probe, mean_loss(probe, start=second_copy_start(lm)), ("heads.sweep", mode)
    else:  # how much the followed token's log-probability drops on the user's prompt: minus, so up = needed
        token = int(st.session_state.get("_heads.follow", int(np.argmax(tr.logits_at(-1)))))
        follow = logprob(-1, token)
        ids, metric = tr.token_ids, lambda run: -follow(run)
        memo = ("heads.sweep.prompt", mode, tuple(tr.token_ids.tolist()), token)

    def work(ctx):  # the probe is the same for everyone: one sweep per model and mode serves the class
        return remembered(memo, lambda: ablation_sweep(lm, ids, metric, mode, progress=ctx.report))

    delta = job_panel("sweep", t("heads.sweep.run"), work, label="ablation sweep")
    if delta is None:
        return
    order = np.argsort(-delta, axis=None)
    l, h = np.unravel_index(order[0], delta.shape)
    line = t(f"heads.sweep.top.{which}", head=vh.head_name(int(l), int(h)), delta=float(delta[l, h]))
    if guess:
        gl, gh = vh.parse_head(guess)
        rank = int(np.where(order == np.ravel_multi_index((gl, gh), delta.shape))[0][0]) + 1
        line += " " + t("heads.sweep.guess", head=guess, delta=float(delta[gl, gh]), rank=rank, n=delta.size)
    st.markdown(line)
    title = t(f"heads.sweep.title.{which}", model=tr.model_name)
    chart(vh.head_grid_figure(delta, title, t("heads.unit.nats"), L, diverging=True), key="heads_sweep")


def own_pair(example: PromptPair | None) -> PromptPair | None:
    """The user's own clean and corrupted prompts, with the answer each should favour; None until typed."""
    fields = ("clean", "corrupt", "answer", "foil")
    start = (
        dict(zip(fields, (example.clean, example.corrupt, example.answer, example.foil), strict=True))
        if example
        else {}
    )
    columns = st.columns(2)
    for i, name in enumerate(fields):
        kept(f"_heads.{name}", start.get(name, ""))
        columns[i % 2].text_input(t(f"heads.patch.{name}"), key=f"_heads.{name}", max_chars=MAX_PAIR_CHARS)
    values = [st.session_state[f"_heads.{name}"] for name in fields]
    if not all(v.strip() for v in values):
        st.info(t("heads.patch.type"))
        return None
    return PromptPair(lm.name, *values)


def patching() -> None:
    """Activation patching from a clean prompt into a corrupted one, normalised clean = 1, corrupted = 0."""
    st.subheader(t("heads.patch"))
    st.markdown(t("heads.patch.explain"))
    pairs = [p for p in READY_PAIRS if p.model == lm.name]
    kept("_heads.pair", 0 if pairs else OWN_PAIR, lambda i: i == OWN_PAIR or 0 <= i < len(pairs))
    index = st.selectbox(
        t("heads.patch.pair"),
        [*range(len(pairs)), OWN_PAIR],
        format_func=lambda i: (
            lesson_text("heads.patch.own", L)
            if i == OWN_PAIR
            else f"{pairs[i].clean} → {pairs[i].answer.strip()} / {pairs[i].foil.strip()}"
        ),
        key="_heads.pair",
    )
    pair = own_pair(pairs[0] if pairs else None) if index == OWN_PAIR else pairs[index]
    if pair is None:
        return
    clean_ids, corrupt_ids = prompt_ids(lm, pair.clean), prompt_ids(lm, pair.corrupt)
    if len(clean_ids) != len(corrupt_ids):
        st.warning(t("heads.patch.lengths", clean=len(clean_ids), corrupt=len(corrupt_ids)), icon="✂️")
        return
    try:
        answer, foil = single_token(lm, pair.answer), single_token(lm, pair.foil)
    except ValueError:
        st.warning(t("heads.patch.one_token", answer=token_code(pair.answer), foil=token_code(pair.foil)), icon="✂️")
        return
    metric = logit_diff(-1, answer, foil)
    memo = ("heads.patch", pair.clean, pair.corrupt, answer, foil)
    ends = ("heads.pair_ends", *memo[1:])  # the logit difference of the two unpatched runs
    clean_m, corrupt_m = remembered(
        ends, lambda: (metric(trace_ids(lm, clean_ids)), metric(trace_ids(lm, corrupt_ids)))
    )
    st.markdown(
        t(
            "heads.patch.pair_text",
            clean=pair.clean,
            corrupt=pair.corrupt,
            answer=token_code(pair.answer),
            foil=token_code(pair.foil),
            clean_m=clean_m,
            corrupt_m=corrupt_m,
            n=len(clean_ids),
        )
    )
    if abs(clean_m - corrupt_m) < 1.0:
        st.warning(t("heads.patch.weak", gap=abs(clean_m - corrupt_m)), icon="⚠️")

    def work(ctx):
        return remembered(memo, lambda: patch_sweep(lm, clean_ids, corrupt_ids, metric, progress=ctx.report))

    maps = job_panel("patch", t("heads.patch.run"), work, label="patch sweep")
    if maps is None:
        return
    tokens = tokenize(lm.tokenizer, pair.corrupt, lm.token_scheme).tokens  # (T,) as patch_sweep read them
    for site in vh.PATCH_SITES:
        chart(vh.patch_figure(maps[site], site, tokens, L), key=f"heads_patch_{site}")
    title = t("heads.patch.head_out", model=tr.model_name)
    figure = vh.head_grid_figure(maps["head_out"], title, t("heads.patch.colour"), L, diverging=True, bound=1.0)
    chart(figure, key="heads_patch_heads")


tr, L = start("heads.title")
lm = current_model()
if lm is None:
    st.stop()
probe = induction_probe(lm)  # (1 + 2P,) a first token, then a random run written twice
kept("_heads.sink", False)
roles = head_roles(lm, bool(st.session_state["_heads.sink"]))  # each (L, H); its switch is drawn in the atlas
ind, prev = top_heads(roles["induction"], 1)[0], top_heads(roles["previous_token"], 1)[0]
sink = float(roles["first_token"].mean())
explain(
    t("heads.what", heads=tr.n_layers * tr.n_heads),
    t(
        "heads.notice",
        model=tr.model_name,
        ind=vh.head_name(ind[0], ind[1]),
        ind_v=ind[2],
        prev=vh.head_name(prev[0], prev[1]),
        prev_v=prev[2],
        sink=sink,
    ),
    t_model("heads.try"),
)
atlas()

st.subheader(t("heads.knock"))
if not tr.is_causal:
    st.info(t("heads.encoder", model=tr.model_name))
    next_lesson("heads")
    st.stop()
names = [vh.head_name(l, h) for l in range(tr.n_layers) for h in range(tr.n_heads)]
kept(
    "_heads.knock", [vh.head_name(l, h) for l, h, _ in top_heads(roles["induction"], 2)], lambda k: set(k) <= set(names)
)
kept("_heads.mode", "zero", lambda m: m in ("zero", "mean"))
choose, quick = st.columns([3, 2])
knocked = choose.multiselect(t("heads.knock.pick"), names, key="_heads.knock")
with quick:
    st.button(t("heads.knock.top_induction"), on_click=knock_top, args=("induction",))
    st.button(t("heads.knock.top_previous"), on_click=knock_top, args=("previous_token",))
    role = st.session_state.get("_heads.role", vh.ROLES[0])
    if role != "entropy":
        label = t("heads.knock.role_all", role=lesson_text(f"heads.role.{role}", L), bar=ROLE_BAR)
        st.button(label, on_click=knock_role, args=(role,))
mode = st.radio(
    t("heads.mode"),
    ("zero", "mean"),
    format_func=lambda m: lesson_text(f"heads.mode.{m}", L),
    horizontal=True,
    key="_heads.mode",
    help=t("heads.mode.help"),
)
if knocked:
    knockout(knocked, mode)
else:
    st.caption(t("heads.knock.none"))
sweep(mode)
patching()
next_lesson("heads")
