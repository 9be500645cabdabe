"""Lesson 11 in the app: the three views, step-through decoding, the knock-out, the alignment's history and the
bridge to GPT, on TinyDates in both languages; links, bad input, another encoder–decoder, and the other lessons'
message for one."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import t
from model import load_model, trace
from model.numeric import softmax
from tests.conftest import make_model
from tests.test_pages import charts, plotly_values, run_page, visible_text

PAGE = "pages/11_seq2seq.py"


def matrix(z) -> np.ndarray:
    """A heatmap's z from the figure's JSON: a nested list, or a typed array with its shape ("10, 10")."""
    if isinstance(z, dict):
        return plotly_values(z).reshape(tuple(int(n) for n in str(z["shape"]).split(",")))
    return np.asarray(z, dtype=float)


def titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in charts(at)]


@pytest.mark.parametrize(("lang", "source"), [("en", "the 3rd of March, 1921"), ("zh", "一九二一年三月三日")])
def test_the_page_draws_every_section_in_both_languages(lang, source):
    at = run_page(PAGE, lang=lang)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_input(key="_seq2seq.source").value == source
    text = visible_text(at)
    assert "`1921-03-03`" in text  # the model's own output, in the sentence that says what it writes
    assert t("seq2seq.need_model", lang, model="TinyTales 中文" if lang == "zh" else "TinyTales") in text
    found = titles(at)
    assert len(found) == 7, found  # one head, every head, a step, the knock-out, history, its curve, the bridge
    for key in ("seq2seq.knock.title", "seq2seq.history.title", "seq2seq.bridge.title"):
        assert t(key, lang) in found
    for key in ("seq2seq.views", "seq2seq.step", "seq2seq.knock", "seq2seq.history", "seq2seq.bridge"):
        assert t(key, lang) in [h.value for h in at.header]


def test_the_step_slider_adds_rows_and_the_bars_are_the_models_own():
    lm = load_model("tinydates")
    tr = trace(lm, "March 3, 1921")
    at = run_page(PAGE, date="March 3, 1921", dec_step="2")
    assert not at.exception and not at.error, [e.value for e in at.error]
    step = next(f for f in charts(at) if any(d.get("type") == "bar" for d in f["data"]))
    bars = next(d for d in step["data"] if d.get("type") == "bar")
    probs = softmax(tr.logits_at(2))  # step 2: decoder position 2 writes the third character
    assert np.isclose(
        max(plotly_values(bars["x"] if bars.get("orientation") == "h" else bars["y"])), probs.max(), atol=1e-4
    )
    assert at.slider(key="_seq2seq.step").value == 2
    at.slider(key="_seq2seq.step").set_value(8).run()
    assert not at.exception and at.query_params["dec_step"] in ("8", ["8"])


def test_a_link_reopens_the_view():
    at = run_page(PAGE, date="1921年3月3日", view="encoder", layer="1", head="2")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_input(key="_seq2seq.source").value == "1921年3月3日"
    assert at.selectbox(key="layer").value == 1 and at.selectbox(key="head").value == 2
    one = charts(at)[0]
    assert t("seq2seq.kind.encoder", "en") in one["layout"]["title"]["text"]
    n = len("1921年3月3日") + 1  # the characters and </s>: a square
    assert matrix(one["data"][0]["z"]).shape == (n, n)


@pytest.mark.parametrize(
    ("lang", "source", "kind", "key"),
    [
        ("en", "   ", "warning", "seq2seq.empty"),
        ("zh", "x" * 70, "warning", "seq2seq.too_long"),
        ("en", "3/3/1921", "info", "seq2seq.unseen.form"),
        ("zh", "1750年3月3日", "info", "seq2seq.unseen.year"),
    ],
)
def test_bad_or_unfamiliar_dates_get_a_message(lang, source, kind, key):
    at = run_page(PAGE, lang=lang, date=source)
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = [el.value for el in getattr(at, kind)]
    first = t(key, lang, model="TinyDates", n=70, limit=63, forms="", first=1800, last=2099, year=1750)[:12]
    assert any(first in s for s in shown), shown


def test_another_encoder_decoder_is_used_as_chosen(tmp_path, bpe_tokenizer):
    make_model("mbart").save_pretrained(tmp_path, safe_serialization=True)
    bpe_tokenizer.save_pretrained(tmp_path)
    at = run_page(PAGE, model=str(tmp_path), date="Once upon a time")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not [i for i in at.info if "TinyDates" in i.value]  # no "this lesson loads TinyDates"
    assert len(titles(at)) == 4  # no training record, no decoder-only twin: those sections are left out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_other_lessons_say_where_an_encoder_decoder_is_shown(lang):
    at = run_page("pages/4_attention.py", lang=lang, model="tinydates")
    assert not at.exception and not at.error
    assert any(t("msg.seq2seq_elsewhere", lang, model="TinyDates")[:20] in i.value for i in at.info)
    assert not charts(at)
