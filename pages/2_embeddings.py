"""Lesson 2 — embeddings: each token ID picks one row of the embedding matrix; similar rows, similar use."""

import numpy as np
import streamlit as st

from model import LoadedModel
from model.numeric import nearest
from model.weights import barely_trained, embedding_matrix, vocabulary
from ui.lesson import chart, explain, pick_token, start
from ui.pages import next_lesson
from ui.state import current_model, model_key, t, t_model
from viz import embeddings as ve
from viz.labels import num, sci, token_code, token_labels

N_WORDS = 300  # common words on the PCA map
N_NEIGHBOURS = 10
WINDOW = 3  # matrix rows shown on each side of the picked id


@st.cache_data(max_entries=4, show_spinner=False)
def common_words(name: str, _lm: LoadedModel) -> tuple[np.ndarray, np.ndarray]:
    """Ids (N,) and vectors (N, d) of the common words on the map."""
    pieces, texts = vocabulary(_lm)
    ids = ve.common_word_ids(pieces, _lm.token_scheme, N_WORDS, texts)  # (N,)
    return ids, embedding_matrix(_lm)[ids]  # (N, d)


@st.cache_data(max_entries=16, show_spinner=False)
def word_pca(name: str, _lm: LoadedModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The common words' PCA (mean, directions, variance shares): one SVD per model, not per page run."""
    return ve.pca_fit(common_words(name, _lm)[1])


@st.cache_data(max_entries=64, show_spinner=False)
def neighbours(name: str, token_id: int, _lm: LoadedModel) -> tuple[np.ndarray, np.ndarray]:
    matrix = embedding_matrix(_lm)  # (V, d)
    return nearest(matrix, matrix[token_id], k=N_NEIGHBOURS, exclude=token_id)


@st.cache_data(max_entries=64, show_spinner=False)
def matrix_rows(name: str, token_id: int, _lm: LoadedModel) -> tuple[list[int], np.ndarray]:
    matrix = embedding_matrix(_lm)  # (V, d)
    lo, hi = max(0, token_id - WINDOW), min(len(matrix), token_id + WINDOW + 1)
    return list(range(lo, hi)), matrix[lo:hi].copy()  # (k,), (k, d)


tr, L = start("embeddings.title")
lm = current_model()
if lm is None:
    st.stop()
name = model_key()  # a cache key: a session's tuned copy has its own
V, d = embedding_matrix(lm).shape
texts = vocabulary(lm)[1]
labels = token_labels(tr.tokens)


def code(i: int) -> str:
    return token_code(tr.tokens[i])  # inline code that a backtick token cannot break


pairs = ve.extreme_pairs(tr.token_ids, tr.token_embeddings)
if pairs:
    (a, b, hi), (c, e, lo) = pairs
    pair_note = t("embeddings.notice.pairs", a=code(a), b=code(b), hi=num(hi), c=code(c), e=code(e), lo=num(lo))
else:
    pair_note = t("embeddings.notice.no_pairs")
explain(
    t("embeddings.what"),
    t(
        "embeddings.notice",
        model=tr.model_name,
        vocab=V,
        d=d,
        params=V * d,
        tokens=tr.n_tokens,
        unique=len(np.unique(tr.token_ids)),
        pairs=pair_note,
    ),
    t_model("embeddings.try.wordpiece" if lm.token_scheme == "wordpiece" else "embeddings.try"),
)
barely = barely_trained(lm, tr.token_ids)  # (T,) rows the training hardly touched
if barely.any():
    shown = ", ".join(dict.fromkeys(code(i) for i in np.flatnonzero(barely)))
    note = t("embeddings.barely", n=int(barely.sum()), total=tr.n_tokens, tokens=shown[:400])
    if lm.language == "en" and any("\u4e00" <= ch <= "\u9fff" for ch in tr.prompt):
        note += " " + t("embeddings.barely.zh")
    st.warning(note, icon="🧊")

st.subheader(t("embeddings.lookup"))
pick = pick_token(tr, t("embeddings.pick"))
token_id = int(tr.token_ids[pick])
window_ids, window = matrix_rows(name, token_id, lm)
st.markdown(
    t("embeddings.lookup.explain", token=code(pick), id=token_id, vocab=V, d=d, lo=window_ids[0], hi=window_ids[-1])
)
row = window[window_ids.index(token_id)]  # (d,)
chart(ve.lookup_figure(window, window_ids, [texts[i] for i in window_ids], token_id, L), key="lookup")
st.caption(t("embeddings.lookup.check", id=token_id, gap=sci(np.abs(row - tr.token_embeddings[pick]).max())))

st.subheader(t("embeddings.neighbours"))
ids, sims = neighbours(name, token_id, lm)
st.markdown(t("embeddings.neighbours.explain", k=len(ids), token=code(pick), vocab=V))
left, right = st.columns([2, 3])
with left:
    st.dataframe(ve.neighbour_rows(ids, [texts[i] for i in ids], sims, L), hide_index=True, height=400)
with right:
    chart(ve.neighbours_figure([texts[i] for i in ids], sims, tr.tokens[pick], L), key="neighbours")

st.subheader(t("embeddings.heatmap"))
st.markdown(t("embeddings.heatmap.explain"))
chart(
    ve.vectors_figure(tr.token_embeddings, labels, t("embeddings.heatmap.title", tokens=tr.n_tokens, d=d), L),
    key="vectors",
)

st.subheader(t("embeddings.pca"))
word_ids, word_vectors = common_words(name, lm)
if len(word_ids) == 0:
    st.info(t("embeddings.pca.none"))
else:
    pca = ve.pca_map(word_vectors, tr.token_embeddings, word_pca(name, lm))
    st.markdown(t_model("embeddings.pca.explain", d=d, n=len(word_ids), share=100 * pca.share.sum()))
    chart(ve.pca_figure(pca, [texts[i] for i in word_ids], tr.tokens, tr.token_ids, L), key="pca")

st.subheader(t("embeddings.similarity"))
st.markdown(t("embeddings.similarity.explain"))
chart(ve.similarity_figure(tr.token_embeddings, labels, t("embeddings.similarity.title"), L), key="similarity")
next_lesson("embeddings")
