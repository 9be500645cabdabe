"""Lesson 9 — fine-tuning: a few labelled examples, full or LoRA, live; before and after; what changed and
what it forgot."""

import streamlit as st

from lessons import t as lesson_text
from model.tokens import token_texts
from training.finetune import (
    DEFAULTS,
    RANKS,
    RATES,
    TARGETS,
    adapter_bytes,
    change_ratios,
    completion_probability,
    continuation,
    lora_parameter_count,
    singular_values,
    top_next,
    world_examples,
)
from ui import finetune_run as runs
from ui.lesson import chart, explain, start
from ui.pages import decoders_only, next_lesson
from ui.state import base_model, kept, t, t_model, use_session_model
from viz import finetune as vf
from viz.labels import pct

tr, L = start("finetune.title")
lm = base_model()  # the shared model: this page tunes it, and compares with it
if lm is None:
    st.stop()
decoders_only(tr, "finetune.encoder", "finetune")

about = st.container()

st.subheader(t("finetune.examples"))
kept("_finetune.set", "facts", lambda s: s in ("facts", "qa"))
names = {k: t(f"finetune.set.{k}") for k in ("facts", "qa")}  # fixed now: format_func must not read state later
kind = st.radio(t("finetune.set"), ("facts", "qa"), key="_finetune.set", horizontal=True, format_func=names.get)
bundled = world_examples(lm.language, kind)
prompt_col, completion_col = t("finetune.col.prompt"), t("finetune.col.completion")
edited = st.data_editor(
    {prompt_col: [p for p, _ in bundled], completion_col: [c for _, c in bundled]},
    num_rows="dynamic",
    width="stretch",
    key=f"finetune:examples:{lm.language}:{kind}",
)
st.caption(t("finetune.examples.help"))
examples = [
    (str(p), str(c)) for p, c in zip(edited[prompt_col], edited[completion_col], strict=True) if p and c and c.strip()
]

st.subheader(t("finetune.method"))
kept("_finetune.method", "lora", lambda m: m in DEFAULTS)
methods = {m: t(f"finetune.method.{m}") for m in DEFAULTS}


def method_changed() -> None:
    """Each method starts from its own learning rate (full fine-tuning forgets much more at LoRA's)."""
    st.session_state["_finetune.lr"] = DEFAULTS[st.session_state["_finetune.method"]]["lr"]


method = st.radio(
    t("finetune.method.choice"),
    tuple(DEFAULTS),
    key="_finetune.method",
    horizontal=True,
    format_func=methods.get,
    on_change=method_changed,
)
left, mid, right = st.columns(3)
kept("_finetune.rank", 4, lambda r: r in RANKS)
rank = left.select_slider(t("finetune.rank"), RANKS, key="_finetune.rank", disabled=method != "lora")
kept("_finetune.steps", 60, lambda s: 10 <= s <= 200)
steps = mid.slider(t("finetune.steps"), 10, 200, step=10, key="_finetune.steps")
kept("_finetune.lr", DEFAULTS[method]["lr"], lambda r: r in RATES)
lr = right.select_slider(t("finetune.lr"), RATES, key="_finetune.lr", format_func=lambda r: f"{r:g}")
total = sum(p.numel() for p in lm.model.parameters())
if method == "lora":
    targets = TARGETS.get(lm.family.name, ())
    st.markdown(t("finetune.targets", targets=", ".join(f"`{name}`" for name in targets)))
    trainable = lora_parameter_count(lm, rank)
    total += trainable
else:
    trainable = total
st.markdown(t("finetune.params", trainable=trainable, total=total, share=pct(trainable / total)))

if not examples:
    st.warning(t("finetune.no_examples"), icon="✍️")
if st.button(t("finetune.run"), type="primary", key="finetune_run", disabled=runs.busy() or not examples):
    runs.start(lm, examples, method, steps, lr, rank)
first_prompt, first_completion = examples[0] if examples else bundled[0]
before = completion_probability(lm, first_prompt, first_completion)
run = runs.current_run()
tuned = run.tuned if run is not None and run.model == lm.name and not runs.busy() else None
notice = t("finetune.notice", model=tr.model_name, completion=first_completion, prompt=first_prompt, p=pct(before))
if tuned is not None and tuned.losses and (first_prompt, first_completion) in run.examples:
    notice += t(
        "finetune.notice.after",
        p=pct(completion_probability(tuned.model, first_prompt, first_completion)),
        before=tuned.held_out[0][1],
        after=tuned.held_out[-1][1],
    )
with about:
    explain(t("finetune.what"), notice, t_model("finetune.try"))

if runs.busy():
    runs.watch(L)
    st.stop()
last = runs.job()
if last is not None and last.state == "failed":
    st.error(t("jobs.failed", error=str(last.error)[:300]), icon="⚠️")
if tuned is None or not tuned.losses:
    next_lesson("finetune")
    st.stop()

st.subheader(t("finetune.result"))
if run.examples != tuple(examples):
    st.caption(t("finetune.stale"))
st.caption(t("finetune.seconds", steps=len(tuned.losses), seconds=tuned.seconds, method=methods[tuned.method]))
chart(vf.loss_figure(tuned.losses, tuned.held_out, L), key="finetune_loss")
st.dataframe(
    {
        t("finetune.table.example"): [f"{p} → {c}" for p, c in run.examples],
        t("finetune.table.before"): [pct(completion_probability(lm, p, c)) for p, c in run.examples],
        t("finetune.table.after"): [pct(completion_probability(tuned.model, p, c)) for p, c in run.examples],
    },
    hide_index=True,
    width="stretch",
)
prompts = [p for p, _ in run.examples]
kept("_finetune.prompt", prompts[0], lambda p: p in prompts)
prompt = st.selectbox(t("finetune.prompt"), prompts, key="_finetune.prompt")
adapter_on = True
if tuned.peft_model is not None:
    kept("_finetune.adapter", True)
    adapter_on = st.toggle(t("finetune.adapter"), key="_finetune.adapter", help=t("finetune.adapter.help"))
base_ids, base_p = top_next(lm, prompt)
if adapter_on:
    tuned_ids, tuned_p = top_next(tuned.model, prompt)
else:
    with tuned.adapter_off() as off:
        tuned_ids, tuned_p = top_next(off, prompt)
figure = vf.bars_figure(
    (token_texts(lm, base_ids), base_p),
    (token_texts(lm, tuned_ids), tuned_p),
    t("finetune.bars.title", prompt=prompt.replace("\n", " ")),
    L,
)
chart(figure, key="finetune_bars")
base_text = continuation(lm, prompt)
tuned_text = continuation(tuned.model, prompt) if adapter_on else base_text  # adapter off: the base model's
st.markdown(t("finetune.greedy", base=base_text.replace("\n", " "), tuned=tuned_text.replace("\n", " ")))
history = st.session_state.setdefault("finetune:history", [])  # summaries only: no model is kept
if not history or history[-1]["id"] != id(run):
    history.append(runs.summary(run, before=tuned.held_out[0][1]) | {"id": id(run)})
    del history[:-8]  # the last eight runs of this session
if len(history) > 1:
    st.markdown(t("finetune.history"))
    st.dataframe(runs.history_rows(history, methods), hide_index=True, width="stretch")

st.subheader(t("finetune.change"))
ratios = change_ratios(tuned)
chart(vf.change_figure(ratios, tr.n_layers, L), key="finetune_change")
matrices = sorted(ratios, key=lambda n: vf.matrix_kind(n) or (99, n))
kept("_finetune.matrix", matrices[0], lambda m: m in matrices)
picked = st.selectbox(t("finetune.matrix"), matrices, key="_finetune.matrix")
delta = tuned.delta_weights()[picked]
left, right = st.columns(2)
with left:
    chart(vf.delta_figure(delta, t("finetune.delta.title", matrix=picked), L), key="finetune_delta")
with right:
    rank_used = run.rank if tuned.peft_model is not None else None
    chart(vf.singular_figure(singular_values(delta), rank_used, L), key="finetune_singular")
st.caption(
    t("finetune.singular.caption", rank=run.rank) if rank_used else lesson_text("finetune.singular.caption.full", L)
)
st.subheader(t("finetune.everywhere"))
kept("_finetune.everywhere", False)
if st.toggle(t("finetune.everywhere.toggle"), key="_finetune.everywhere", help=t("finetune.everywhere.help")):
    use_session_model(lm.name, tuned.merged())
else:
    use_session_model(None)
if tuned.peft_model is not None:
    st.download_button(
        t("finetune.download"),
        data=adapter_bytes(tuned),
        file_name="adapter_model.safetensors",
        mime="application/octet-stream",
        key="finetune_download",
    )
next_lesson("finetune")
