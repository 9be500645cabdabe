"""Lesson 10 — retrieval-augmented generation: chunk a knowledge base, retrieve for a question, put what was found
in the prompt, and see what the model does with it (it copies, through its induction heads)."""

import numpy as np
import streamlit as st

from model.headlab import head_roles
from model.numeric import strongest_head
from model.tokens import token_texts
from model.tracing import token_limit
from retrieval import Document, Index, chunk_documents, documents, embed
from retrieval.augment import (
    PLACES,
    READY,
    answer_token,
    arranged,
    build_prompt,
    compose,
    copy_attention,
    copy_target,
    count_tokens,
    fitting,
    holds,
    leave_one_out,
    next_token_probs,
    project_2d,
    relevant_and_distractors,
    spaced,
)
from retrieval.index import METHODS
from ui.cache import model_memo
from ui.lesson import chart, explain, start
from ui.pages import decoders_only, link, next_lesson
from ui.state import current_model, kept, t, t_model
from viz import rag as vr
from viz.heads import head_grid_figure, head_name
from viz.labels import pct, token_code

MAX_UPLOAD = 50_000  # bytes of an uploaded file, characters of a pasted text
SOURCES = ("world", "paste", "upload")
OWN = -1  # the question box's "your own" choice
N_BARS = 8
INDUCTION_BAR = 0.3  # a head scoring at least this on lesson 7's induction probe is called an induction head
# by → (lowest, highest, step, starting size {language: n}, starting overlap {language: n})
SIZES = {
    "chars": (40, 600, 20, {"en": 200, "zh": 60}, {"en": 40, "zh": 20}),
    "sentences": (1, 6, 1, {"en": 2, "zh": 2}, {"en": 1, "zh": 1}),
    "words": (5, 120, 5, {"en": 30, "zh": 15}, {"en": 10, "zh": 5}),
}


def memo(key: tuple, compute, most: int = 128):
    """lm.memo's RAG entries: computed once for the whole server, the oldest dropped past `most`."""
    return model_memo(lm, "rag.memo", key, compute, most)


@st.cache_resource(max_entries=16, show_spinner=False)
def index_of(texts: tuple[str, ...], language: str) -> Index:
    """One index per set of chunks, shared by every session (its chunk embeddings are computed once)."""
    return Index(list(texts), language)


def stop(key: str, **params) -> None:
    """Bad input: say what to do, explain the lesson, and stop."""
    st.warning(t(key, **params), icon="✍️")
    with about:
        explain(t("rag.what"), t("rag.notice.none"), t_model("rag.try"))
    next_lesson("rag")
    st.stop()


def knowledge_base(source: str) -> list[Document]:
    """The documents to chunk: the world of Mirrow, a pasted text, or an uploaded .txt/.md file."""
    if source == "world":
        world = documents(language)
        st.caption(t("rag.kb.world.about", n=len(world)))
        return world
    if source == "paste":
        kept("_rag.paste", "")
        text = st.text_area(t("rag.kb.paste.label"), key="_rag.paste", max_chars=MAX_UPLOAD, height=160)
        if not text.strip():
            stop("rag.kb.empty")
        return [Document(t("rag.kb.pasted"), text)]
    upload = st.file_uploader(
        t("rag.kb.upload.label"), type=["txt", "md"], key="rag_upload"
    )  # no "_rag." key: not kept
    if upload is None:
        stop("rag.kb.upload.none")
    data = upload.getvalue()
    if len(data) > MAX_UPLOAD:
        stop("rag.kb.too_big", kb=len(data) // 1000, most=MAX_UPLOAD // 1000)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        stop("rag.kb.not_utf8", name=upload.name)
    if not text.strip():
        stop("rag.kb.empty")
    return [Document(upload.name, text)]


def by_changed() -> None:
    """Each unit starts from its own size and overlap (200 characters is not 200 sentences)."""
    by = st.session_state["_rag.by"]
    st.session_state["_rag.size"] = SIZES[by][3][language]
    st.session_state["_rag.overlap"] = SIZES[by][4][language]


tr, L = start("rag.title")
lm = current_model()
if lm is None:
    st.stop()
decoders_only(tr, "rag.encoder", "rag")
language = lm.language if lm.language in READY else "en"
context = token_limit(lm)
about = st.container()

st.subheader(t("rag.kb"))
kept("_rag.kb", "world", lambda s: s in SOURCES)
sources = {s: t(f"rag.kb.{s}") for s in SOURCES}  # fixed now: format_func must not read state later
source = st.radio(t("rag.kb.source"), SOURCES, key="_rag.kb", horizontal=True, format_func=sources.get)
docs = knowledge_base(source)

st.subheader(t("rag.chunking"))
units = {u: t(f"rag.by.{u}") for u in SIZES}
kept("_rag.by", "sentences", lambda b: b in SIZES)
by = st.radio(t("rag.by"), tuple(SIZES), key="_rag.by", horizontal=True, format_func=units.get, on_change=by_changed)
low, high, step, sizes, overlaps = SIZES[by]
left, right = st.columns(2)
kept("_rag.size", sizes[language], lambda s: low <= s <= high and (s - low) % step == 0)
size = left.slider(t("rag.size", unit=units[by]), low, high, step=step, key="_rag.size")
most_overlap = size - 1 if by == "sentences" else size // 2 // step * step  # at most half a chunk, on the step
kept("_rag.overlap", min(overlaps[language], most_overlap), lambda o: 0 <= o <= most_overlap and o % step == 0)
if most_overlap > 0:
    overlap = right.slider(t("rag.overlap", unit=units[by]), 0, most_overlap, step=step, key="_rag.overlap")
else:
    overlap = 0
    right.caption(t("rag.overlap.none"))
chunks = chunk_documents(docs, size, overlap, by, language)
if not chunks:
    stop("rag.kb.empty")
texts = [c.text for c in chunks]
n_tokens = [count_tokens(lm.tokenizer, text) for text in texts]
st.markdown(
    t(
        "rag.chunks.count",
        n=len(chunks),
        docs=len(docs),
        chars=np.mean([len(x) for x in texts]),
        tokens=np.mean(n_tokens),
    )
)
spans = [[(c.index, c.start, c.end) for c in chunks if c.document == d] for d in range(len(docs))]
with st.container(height=320):
    st.html(vr.knowledge_html([d.title for d in docs], [d.text for d in docs], spans))
st.caption(t("rag.chunks.legend"))

st.subheader(t("rag.retrieval"))
ready = READY[language]
kept("_rag.q", 0, lambda i: i == OWN or 0 <= i < len(ready))
questions = {i: f"{c.question} → {c.answer.strip()}" for i, c in enumerate(ready)} | {OWN: t("rag.q.own")}
pick = st.selectbox(t("rag.q"), [*range(len(ready)), OWN], key="_rag.q", format_func=questions.get)
cloze = ready[pick] if pick != OWN else None
if cloze is None:
    kept("_rag.ask", "")
    kept("_rag.answer", "")
    ask, expect = st.columns([3, 1])
    question = ask.text_input(t("rag.ask"), key="_rag.ask", max_chars=300).strip()
    typed = expect.text_input(t("rag.answer"), key="_rag.answer", max_chars=40, help=t("rag.answer.help"))
    answer = spaced(typed, language) if typed.strip() else ""
    if not question:
        stop("rag.ask.empty")
else:
    question, answer = cloze.question, cloze.answer
left, right = st.columns([2, 1])
kept("_rag.method", "hybrid", lambda m: m in METHODS)
methods = {m: t(f"rag.method.{m}") for m in METHODS}
method = left.radio(t("rag.method"), METHODS, key="_rag.method", horizontal=True, format_func=methods.get)
kept("_rag.k", 3, lambda k: 1 <= k <= 8)
k = right.slider(t("rag.k"), 1, 8, key="_rag.k")
if language == "zh":
    st.caption(t("rag.zh_dense"))
index = index_of(tuple(texts), language)
with st.spinner(t("rag.embedding", n=len(texts))):  # the first dense search embeds every chunk
    found = {m: index.search(question, k, m) for m in METHODS}  # [(chunk, score)], best first
hits = found[method]
titles = [docs[c.document].title for c in chunks]
columns = (t("rag.col.rank"), t("rag.col.chunk"), t("rag.col.score"), t("rag.col.doc"), t("rag.col.text"))
if hits:
    st.dataframe(vr.found_table(hits, texts, titles, columns), hide_index=True, width="stretch")
else:
    st.warning(t("rag.none_found"), icon="🔍")
st.markdown(t("rag.compare"))
for col, m in zip(st.columns(3), METHODS, strict=True):
    col.markdown(f"**{methods[m]}**")
    col.dataframe(vr.found_table(found[m], texts, titles, columns, drop=columns[3:4]), hide_index=True)

st.subheader(t("rag.map"))
points, query_point, share = project_2d(index.vectors, embed([question])[0])
chart(vr.map_figure(points, query_point, [i for i, _ in hits], texts, share, L), key="rag_map")
st.caption(t("rag.map.caution", method=methods[method]))

st.subheader(t("rag.augment"))
retrieved = [texts[i] for i, _ in hits]
prompt = build_prompt(retrieved, question, lm.tokenizer, context)
kept_chunks = [i for i in range(len(retrieved)) if i not in prompt.cut]  # positions in `retrieved`
st.html(vr.prompt_html(prompt.text, prompt.spans, [f"#{i + 1}" for i in kept_chunks]))
st.markdown(t("rag.tokens", n=prompt.n_tokens, context=context, model=tr.model_name, chunks=len(kept_chunks)))
if prompt.cut:
    st.warning(t("rag.cut", n=len(prompt.cut), ranks=", ".join(f"#{i + 1}" for i in sorted(prompt.cut))), icon="✂️")
if prompt.n_tokens > context:
    st.warning(t("rag.question_cut", n=prompt.n_tokens, context=context), icon="✂️")

st.subheader(t("rag.generate"))
alone = memo(("probs", question), lambda: next_token_probs(lm, question))  # (V,)
augmented = memo(("probs", prompt.text), lambda: next_token_probs(lm, prompt.text))  # (V,)
answer_id = answer_token(lm, answer) if answer else int(np.argmax(augmented))
answer_shown = token_texts(lm, [answer_id])[0]
if not answer:
    st.caption(t("rag.answer.top", token=token_code(answer_shown)))
word = answer or lm.tokenizer.decode([answer_id])  # what a chunk must say to hold the answer
p_without, p_with = float(alone[answer_id]), float(augmented[answer_id])
lift = p_with / max(p_without, 1e-30)
top_alone, top_with = np.argsort(-alone)[:N_BARS], np.argsort(-augmented)[:N_BARS]
bars = vr.bars_figure(
    (token_texts(lm, top_alone), alone[top_alone]),
    (token_texts(lm, top_with), augmented[top_with]),
    answer_shown,
    t("rag.bars.title", question=question),
    L,
)
chart(bars, key="rag_bars")
st.markdown(
    t("rag.lift", token=token_code(answer_shown), without=pct(p_without), with_=pct(p_with), lift=vr.times(lift))
)
notice = t(
    "rag.notice", model=tr.model_name, question=question, token=token_code(answer_shown), without=pct(p_without)
) + t("rag.notice.with", with_=pct(p_with), lift=vr.times(lift), chunks=len(kept_chunks))

target = memo(("target", prompt.text, answer_id), lambda: copy_target(lm, prompt.text, answer_id))
if target is None:
    st.info(t("rag.copy.none", token=token_code(answer_shown)))
else:
    grid = memo(("copy", prompt.text, answer_id), lambda: copy_attention(lm, prompt.text, answer_id))  # (L, H)
    layer, head, share_top = strongest_head(grid)
    induction = float(head_roles(lm)["induction"][layer, head])
    title = t("rag.copy.title", token=answer_shown.strip() or answer_shown)
    chart(head_grid_figure(grid, title, t("heads.unit.share"), L, (layer, head), bound=1.0), key="rag_copy")
    key = "rag.copy.top" if induction >= INDUCTION_BAR else "rag.copy.weak"
    st.markdown(t(key, head=head_name(layer, head), share=share_top, token=token_code(answer_shown), ind=induction))
    notice += t("rag.notice.head", head=head_name(layer, head), share=share_top)
    link("heads", t("rag.copy.link"))

if kept_chunks:
    shown = [retrieved[i] for i in kept_chunks]
    loo = memo(
        ("loo", tuple(shown), question, answer_id), lambda: leave_one_out(lm, shown, question, answer_id, context)
    )
    stated = [holds(chunk, word) for chunk in shown]
    chart(vr.leave_one_out_figure(p_with, p_without, loo, shown, stated, L), key="rag_loo")
    worst = int(np.argmin(loo))
    st.markdown(t("rag.loo.most", rank=kept_chunks[worst] + 1, p=pct(loo[worst]), full=pct(p_with)))

st.subheader(t("rag.place"))
relevant, distractors = relevant_and_distractors(texts, index.scores(question, method), word)
if relevant is None:
    st.info(t("rag.place.no_relevant", token=token_code(word)))
else:
    kept("_rag.wrong", False)
    wrong_on = st.toggle(
        t("rag.wrong", chunk=cloze.wrong if cloze else "…"), key="_rag.wrong", disabled=cloze is None
    ) and (cloze is not None)
    others = [texts[i] for i in distractors]
    others = [cloze.wrong, *others] if wrong_on else others
    others = fitting(texts[relevant], others, question, lm.tokenizer, context)
    layouts = {place: compose(chunks_in, question) for place, chunks_in in arranged(texts[relevant], others).items()}
    probs = {
        place: memo(("probs", text), lambda text=text: next_token_probs(lm, text))
        for place, (text, _) in layouts.items()
    }
    right_p = [float(probs[p][answer_id]) for p in PLACES]
    wrong_id = answer_token(lm, cloze.wrong_answer) if wrong_on else None
    wrong_p = [float(probs[p][wrong_id]) for p in PLACES] if wrong_on else None
    figure = vr.arrangement_figure(
        list(PLACES), right_p, wrong_p, answer_shown, cloze.wrong_answer if wrong_on else "", L
    )
    chart(figure, key="rag_places")
    st.caption(t("rag.place.caption", n=len(others)))
    kept("_rag.place", "first", lambda p: p in PLACES)
    places = {p: t(f"rag.place.{p}") for p in PLACES}
    place = st.radio(t("rag.place.show"), PLACES, key="_rag.place", horizontal=True, format_func=places.get)
    text, chunk_spans = layouts[place]
    order = arranged(texts[relevant], others)[place]
    labels = ["★" if c == texts[relevant] else ("✗" if wrong_on and c == cloze.wrong else "·") for c in order]
    st.html(vr.prompt_html(text, chunk_spans, labels, order.index(cloze.wrong) if wrong_on else None))

with about:
    explain(t("rag.what"), notice, t_model("rag.try"))
next_lesson("rag")
