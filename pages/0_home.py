"""Overview: the whole pipeline with this prompt's real numbers; each stage links to its lesson."""

import streamlit as st

from model.tokens import decode
from ui.frame import frame
from ui.pages import link
from ui.state import current_model, current_trace, lang, t
from viz import pipeline

frame()

st.title(t("app.title"))
st.caption(t("app.tagline"))
tr = current_trace()
L = lang()
st.markdown(t("home.intro", model=tr.model_name))
top = pipeline.top_prediction(tr)  # (id, probability) or None for an encoder
prediction = (decode(current_model(), [top[0]]), top[1]) if top else None
st.html(pipeline.pipeline_html(pipeline.stages(tr, prediction, L), L))  # wraps on a narrow screen
st.caption(
    t(
        "sidebar.model_info",
        model=tr.model_name,
        layers=tr.n_layers,
        heads=tr.n_heads,
        width=tr.d_model,
        vocab=tr.vocab_size,
        context=tr.context_size,
    )
)

st.subheader(t("home.lessons"))
blurbs = {
    "tokens": t("home.lesson.tokens", n=tr.n_tokens),
    "embeddings": t("home.lesson.embeddings", d=tr.d_model),
    "positions": t("home.lesson.positions"),
    "attention": t("home.lesson.attention", layers=tr.n_layers, heads=tr.n_heads),
    "blocks": t("home.lesson.blocks"),
    "next_token": t("home.lesson.next_token"),
    "heads": t("home.lesson.heads"),
    "learning": t("home.lesson.learning"),
    "finetune": t("home.lesson.finetune"),
    "rag": t("home.lesson.rag"),
    "seq2seq": t("home.lesson.seq2seq"),
}
cards = list(blurbs.items())
for row in range(0, len(cards), 3):  # three cards a row: their titles fit a 1024-px projector
    for col, (key, blurb) in zip(st.columns(3), cards[row : row + 3], strict=False):
        with col.container(border=True):
            link(key)
            st.caption(blurb)
st.markdown(t("home.models"))
