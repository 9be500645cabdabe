"""Lesson 10's retrieval-augmented generation: the prompt builder against the tokenizer, probabilities and attention
against plain transformers, the measured lifts of the try-this, leave-one-out and the position experiment, the
charts, and the page in both languages (a link's view, an encoder, bad input)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lessons import t
from model.load import WEIGHTS
from retrieval import Index, chunk_documents, documents
from retrieval.augment import (
    PLACES,
    READY,
    answer_probability,
    answer_token,
    arranged,
    arrangements,
    build_prompt,
    compose,
    copy_attention,
    copy_target,
    flatten,
    holds,
    leave_one_out,
    project_2d,
    relevant_and_distractors,
    spaced,
)
from retrieval.chunking import UNITS
from retrieval.index import METHODS
from tests.test_pages import charts, run_page, visible_text
from viz import rag as vr

PAGE = "pages/10_rag.py"


@pytest.fixture(scope="module")
def models():
    from ui.state import cached_model

    return {name: cached_model(name) for name in ("tinytales", "tinytales-zh")}


@pytest.fixture(scope="module")
def world():
    """The page's defaults on each language's world: sentence chunks of 2 sharing 1, a hybrid index."""
    out = {}
    for language in ("en", "zh"):
        texts = [c.text for c in chunk_documents(documents(language), 2, 1, "sentences", language)]
        out[language] = (texts, Index(texts, language))
    return out


def retrieved(world, language: str, question: str, k: int = 3) -> list[str]:
    texts, index = world[language]
    return [texts[i] for i, _ in index.search(question, k, "hybrid")]


@pytest.fixture(scope="module")
def plain():
    """TinyTales loaded again by plain transformers, eager attention: an independent copy of the model."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = WEIGHTS / "tinytales"
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True, attn_implementation="eager").eval()
    return tokenizer, model


def plain_run(plain, text: str):
    tokenizer, model = plain
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        out = model(input_ids=ids, output_attentions=True)
    return ids[0].numpy(), out


# ---- the prompt ----------------------------------------------------------------------------------------


def test_the_prompt_quotes_the_chunks_and_counts_tokens_as_the_tokenizer_does(world, plain):
    question = READY["en"][0].question
    chunks = retrieved(world, "en", question)
    text, spans, n_tokens, cut = build_prompt(chunks, question, plain[0], 256)
    assert cut == [] and len(spans) == 3
    assert [text[s:e] for s, e in spans] == [flatten(c) for c in chunks]
    assert "\n" in chunks[0] and "\n" not in text[spans[0][0] : spans[0][1]]  # the world's wrapped lines joined
    assert text.endswith("\n" + question) and text.startswith(flatten(chunks[0]))
    assert n_tokens == len(plain[0](text)["input_ids"]) == 119


def test_what_does_not_fit_is_cut_from_the_least_relevant_end(world, plain):
    question = READY["en"][0].question
    chunks = retrieved(world, "en", question, k=6)
    tokenizer = plain[0]
    full = build_prompt(chunks, question, tokenizer, 256)
    tight = build_prompt(chunks, question, tokenizer, full.n_tokens - 1)
    assert tight.cut == [5] and tight.n_tokens < full.n_tokens
    small = build_prompt(chunks, question, tokenizer, 90)
    assert small.cut == list(range(5, len(small.spans) - 1, -1))  # the last ones, the least relevant first
    assert small.n_tokens <= 90 < build_prompt(chunks[: len(small.spans) + 1], question, tokenizer, 999).n_tokens
    assert small.text.startswith(flatten(chunks[0]))
    alone = build_prompt(chunks, question, tokenizer, 3)  # even the question does not fit
    assert alone.cut == [5, 4, 3, 2, 1, 0] and alone.text == question and alone.spans == []
    with pytest.raises(ValueError, match="question is empty"):
        build_prompt(chunks, "  ", tokenizer, 256)


def test_the_answer_keeps_tinytales_leading_space(models):
    lm = models["tinytales"]
    assert spaced("green") == " green" and spaced(" green") == " green" and spaced("绿", "zh") == "绿"
    assert lm.tokenizer.decode([answer_token(lm, " green")]) == " green"
    assert answer_token(lm, " green") != answer_token(lm, "green")
    assert lm.tokenizer.decode([answer_token(lm, " Tuesday")]) == " T"  # the first token of three
    assert answer_token(lm, 1420) == 1420
    for language, name in (("en", "tinytales"), ("zh", "tinytales-zh")):
        for cloze in READY[language]:  # the right and the wrong answer start differently
            assert answer_token(models[name], cloze.answer) != answer_token(models[name], cloze.wrong_answer)


def test_answer_probability_is_the_softmax_of_the_models_own_logits(models, world, plain):
    lm = models["tinytales"]
    cloze = READY["en"][0]
    prompt = build_prompt(retrieved(world, "en", cloze.question), cloze.question, lm.tokenizer, 256).text
    green = plain[0](" green", add_special_tokens=False)["input_ids"][0]
    for text in (cloze.question, prompt):
        _, out = plain_run(plain, text)
        expected = torch.softmax(out.logits[0, -1].double(), -1)[green].item()
        assert answer_probability(lm, text, " green") == pytest.approx(expected, rel=1e-4)


def test_copy_attention_is_the_pattern_from_the_last_token_onto_the_answer_in_the_passage(models, world, plain):
    lm = models["tinytales"]
    cloze = READY["en"][0]
    prompt = build_prompt(retrieved(world, "en", cloze.question), cloze.question, lm.tokenizer, 256).text
    ids, out = plain_run(plain, prompt)
    target = copy_target(lm, prompt, cloze.answer)
    assert target == int(np.flatnonzero(ids == plain[0](" green", add_special_tokens=False)["input_ids"][0])[0])
    expected = np.stack([a[0, :, -1, target].numpy() for a in out.attentions])  # (L, H)
    grid = copy_attention(lm, prompt, cloze.answer)
    assert grid.shape == (4, 8)
    np.testing.assert_allclose(grid, expected, atol=1e-5)
    assert copy_target(lm, cloze.question, cloze.answer) is None
    with pytest.raises(ValueError, match="nothing to copy"):
        copy_attention(lm, cloze.question, cloze.answer)


# ---- what retrieval does to TinyTales: the numbers in the lesson -----------------------------------------


def lift(lm, world, language: str, cloze) -> tuple[float, float]:
    prompt = build_prompt(retrieved(world, language, cloze.question), cloze.question, lm.tokenizer, 256).text
    return answer_probability(lm, cloze.question, cloze.answer), answer_probability(lm, prompt, cloze.answer)


def test_the_retrieved_passage_lifts_the_answer_on_tinytales(models, world):
    """Measured at the page's defaults (without → with): lighthouse 0.086% → 8.3% (×96), goat 0.17% → 87% (×505),
    dragon 0.017% → 64% (×3,709), market 0.0005% → 0.0011% (×2: the passage's "Every Tuesday" puts the answer
    before the words the question repeats)."""
    lm = models["tinytales"]
    measured = [lift(lm, world, "en", cloze) for cloze in READY["en"]]
    (p0, p1), goat, dragon, market = measured
    assert 0.0007 < p0 < 0.001 and 0.075 < p1 < 0.09 and p1 / p0 > 10  # the try-this: 0.086%, 8.3%, ×96
    assert goat[1] / goat[0] > 100 and dragon[1] / dragon[0] > 1000
    assert 1 < market[1] / market[0] < 4
    grid = copy_attention(
        lm,
        build_prompt(retrieved(world, "en", READY["en"][0].question), READY["en"][0].question, lm.tokenizer, 256).text,
        " green",
    )
    assert np.unravel_index(grid.argmax(), grid.shape) == (3, 2) and 0.78 < grid.max() < 0.86  # L3H2, 0.82


def test_tinytales_chinese_copies_from_the_passage(models, world):
    """Measured: 绿 0.071% → 45.2% (×635); L3H2 puts 0.94 on the passage's 绿; its induction head scores 0.91;
    every ready question rises at least ×290."""
    from model.headlab import head_roles

    lm = models["tinytales-zh"]
    measured = [lift(lm, world, "zh", cloze) for cloze in READY["zh"]]
    p0, p1 = measured[0]
    assert 0.0006 < p0 < 0.0008 and 0.42 < p1 < 0.48
    assert all(with_ / without > 250 for without, with_ in measured)
    cloze = READY["zh"][0]
    grid = copy_attention(
        lm, build_prompt(retrieved(world, "zh", cloze.question), cloze.question, lm.tokenizer, 256).text, cloze.answer
    )
    assert np.unravel_index(grid.argmax(), grid.shape) == (3, 2) and grid.max() > 0.9
    assert head_roles(lm)["induction"].max() > 0.85


def test_leaving_out_the_passage_that_states_the_answer_hurts_most(models, world):
    lm = models["tinytales"]
    for cloze in READY["en"][:3]:
        chunks = retrieved(world, "en", cloze.question)
        without = leave_one_out(lm, chunks, cloze.question, cloze.answer)
        stated = [holds(c, cloze.answer) for c in chunks]
        assert sum(stated) == 1 and int(np.argmin(without)) == stated.index(True)
        i = stated.index(True)
        rest = chunks[:i] + chunks[i + 1 :]
        assert without[i] == pytest.approx(answer_probability(lm, compose(rest, cloze.question)[0], cloze.answer))
        assert without[i] < answer_probability(lm, compose(chunks, cloze.question)[0], cloze.answer) / 10


def test_the_position_experiment_and_the_wrong_chunk(models, world):
    """The try-this: with the wrong chunk added, the true passage first: ·red 72% (·green 0.42%); the true passage
    last: ·green 22%. Without it: first 1.5%, middle 18%, last 16%."""
    lm = models["tinytales"]
    cloze = READY["en"][0]
    texts, index = world["en"]
    relevant, distractors = relevant_and_distractors(texts, index.scores(cloze.question, "hybrid"), cloze.answer)
    assert "painted green" in texts[relevant] and len(distractors) == 3
    assert not any(holds(texts[i], cloze.answer) for i in distractors)
    others = [texts[i] for i in distractors]
    places = arranged(texts[relevant], others)
    assert [chunks.index(texts[relevant]) for chunks in places.values()] == [0, 1, 3]
    plain_p = arrangements(lm, texts[relevant], others, cloze.question, cloze.answer)
    assert list(plain_p) == list(PLACES)
    assert plain_p["middle"] == pytest.approx(
        answer_probability(lm, compose(places["middle"], cloze.question)[0], cloze.answer)
    )
    assert plain_p["first"] < 0.03 and plain_p["middle"] > 0.1 and plain_p["last"] > 0.1
    wrong = [cloze.wrong, *others]
    right = arrangements(lm, texts[relevant], wrong, cloze.question, cloze.answer)
    red = arrangements(lm, texts[relevant], wrong, cloze.question, cloze.wrong_answer)
    assert 0.68 < red["first"] < 0.76 and right["first"] < 0.01  # the nearer match wins
    assert right["last"] > red["last"]


def test_the_arrangements_keep_to_the_context(models, world):
    lm = models["tinytales"]
    texts, _ = world["en"]
    cloze = READY["en"][0]
    relevant = next(c for c in texts if holds(c, cloze.answer))
    many = [c for c in texts if c != relevant] * 4  # far over 256 tokens
    places = arrangements(lm, relevant, many, cloze.question, cloze.answer, context=120)
    assert set(places) == set(PLACES) and all(0 < p < 1 for p in places.values())


# ---- the map ---------------------------------------------------------------------------------------------


def test_the_map_is_pca_of_the_chunks_with_the_query_projected_the_same_way():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(12, 6)) * np.array([5, 3, 1, 0.5, 0.2, 0.1])
    query = rng.normal(size=6)
    points, q, share = project_2d(vectors, query)
    centred = vectors - vectors.mean(0)
    values, vecs = np.linalg.eigh(np.cov(centred.T))  # independent: eigenvectors of the covariance
    axes = vecs[:, ::-1][:, :2].T  # (2, d), largest first
    for a in range(2):
        sign = np.sign(points[:, a] @ (centred @ axes[a]))
        np.testing.assert_allclose(points[:, a], sign * centred @ axes[a], atol=1e-9)
        assert q[a] == pytest.approx(sign * (query - vectors.mean(0)) @ axes[a])
    np.testing.assert_allclose(share, values[::-1][:2] / values.sum())
    again = project_2d(vectors * 1.0, query)
    np.testing.assert_allclose(again[0], points)  # the same map every run
    one = project_2d(vectors[:1], query)
    assert one[0].shape == (1, 2) and np.all(np.isfinite(one[1]))


# ---- the charts and the HTML ---------------------------------------------------------------------------


def test_chunks_html_escapes_and_shows_overlaps():
    text = "<b>One</b> & two. Three four five."
    html = vr.chunks_html(text, [(0, 0, 18), (1, 11, 34)])
    assert "<b>One" not in html and "&lt;b&gt;One&lt;/b&gt;" in html and ">&amp; two. <" in html
    assert html.count("dashed") == 1 and 'title="chunks #0, #1"' in html  # "two." is in both
    assert "#0</sup>" in html and "#1</sup>" in html
    prompt = vr.prompt_html("a <x>\nb\nQ?", [(0, 5), (6, 7)], ["#1", "#2"])
    assert "&lt;x&gt;" in prompt and "<b>Q?</b>" in prompt and prompt.count("↵") == 2


def test_figures_carry_the_numbers():
    bars = vr.bars_figure(([" a", " green"], np.array([0.5, 0.1])), ([" green"], np.array([0.8])), " green", "T")
    assert [list(b.x) for b in bars.data] == [[0.5, 0.1], [0.8]]
    assert bars.data[1].marker.color[0] == vr.theme.HIGHLIGHT and bars.data[0].marker.color[0] != vr.theme.HIGHLIGHT
    loo = vr.leave_one_out_figure(0.08, 0.001, [0.0007, 0.1], ["green one", "other"], [True, False])
    assert list(loo.data[0].x) == [0.0007, 0.1] and loo.layout.xaxis.type == "log" and len(loo.layout.shapes) == 2
    assert [n.x for n in loo.layout.annotations] == pytest.approx([np.log10(0.08), -3])  # log axis: log10 units
    assert [s.x0 for s in loo.layout.shapes] == pytest.approx([0.08, 0.001])
    assert vr.short("abcdef", 4) == "abc…" and vr.short("灯塔漆成绿色", 7) == "灯塔漆…" and vr.short("a\n b") == "a b"
    places = vr.arrangement_figure(list(PLACES), [0.1, 0.2, 0.3], [0.7, 0.1, 0.0], " green", " red")
    assert [list(b.y) for b in places.data] == [[0.1, 0.2, 0.3], [0.7, 0.1, 0.0]]
    points = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    fig = vr.map_figure(points, np.array([1.0, 1.0]), [2, 0], ["a", "b", "c"], np.array([0.5, 0.2]))
    assert list(fig.data[2].x) == [4.0, 0.0] and list(fig.data[2].text) == ["1", "2"]
    assert vr.times(96.4) == "96" and vr.times(3709.1) == "3,709" and vr.times(0.912) == "0.91"


def test_url_fields_offer_what_the_lesson_offers():
    from ui.state import URL_FIELDS

    assert URL_FIELDS["rag_method"].options == METHODS and URL_FIELDS["rag_by"].options == UNITS
    assert URL_FIELDS["rag_place"].options == PLACES
    assert URL_FIELDS["rag_q"].high == len(READY["en"]) - 1 == len(READY["zh"]) - 1


# ---- the page --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "model"), [("en", "tinytales"), ("zh", "tinytales-zh")])
def test_the_page_retrieves_augments_and_generates(lang, model):
    at = run_page(PAGE, lang=lang, model=model)
    assert not at.exception and not at.error, [e.value for e in at.error]
    titles = [f["layout"]["title"]["text"] for f in charts(at)]
    for key in ("rag.map.title", "rag.loo.title", "rag.place.title"):
        assert t(key, lang) in titles
    assert len(titles) == 5
    text = visible_text(at)
    assert t("rag.generate", lang) in text
    if lang == "en":
        assert "**0.086%**" in text and "**8.3%**" in text and "(×96)" in text and "**L3H2**" in text
    else:
        assert "MiniLM" in text and "（×635）" in text


def test_a_link_reopens_the_view_and_changes_reach_the_link():
    link = dict(rag_q="2", rag_method="bm25", rag_k="2", rag_by="words", rag_size="20", rag_overlap="5")
    at = run_page(PAGE, model="tinytales", rag_wrong="1", rag_place="last", **link)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="_rag.q").value == 2 and at.radio(key="_rag.method").value == "bm25"
    assert at.slider(key="_rag.k").value == 2 and at.radio(key="_rag.by").value == "words"
    assert at.slider(key="_rag.size").value == 20 and at.slider(key="_rag.overlap").value == 5
    assert at.toggle(key="_rag.wrong").value is True and at.radio(key="_rag.place").value == "last"
    places = next(f for f in charts(at) if f["layout"]["title"]["text"] == t("rag.place.title", "en"))
    assert len(places["data"]) == 2  # the right and the wrong answer
    for name, value in link.items():
        assert at.query_params[name] in (value, [value])
    at.radio(key="_rag.method").set_value("hybrid").run()  # back to the default: out of the link
    assert "rag_method" not in at.query_params
    at.radio(key="_rag.by").set_value("chars").run()  # a new unit starts from its own size
    assert at.slider(key="_rag.size").value == 200 and not at.exception


def test_an_encoder_is_told_why_not():
    at = run_page(PAGE, lang="zh", model="minilm")
    assert not at.exception and not at.error
    assert any("编码器" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("lang", "data", "expected"),
    [("en", b"x" * 60_000, "at most 50 KB"), ("zh", b"\xff\xfe\x00bad", "不是 UTF-8"), ("en", b"  \n ", "is empty")],
)
def test_bad_uploads_get_a_message(lang, data, expected):
    at = run_page(PAGE, lang=lang, model="tinytales", rag_kb="upload")
    assert not at.exception and any(t("rag.kb.upload.none", lang) in w.value for w in at.warning)
    at.file_uploader(key="rag_upload").upload("notes.txt", data, "text/plain").run()
    assert not at.exception and not at.error
    assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
    assert not charts(at)


def test_an_uploaded_file_becomes_the_knowledge_base():
    at = run_page(PAGE, model="tinytales", rag_kb="upload", rag_q="-1", rag_ask="The wizard's hat is")
    text = b"The wizard lives in a tower. The wizard's hat is purple and very tall."
    at.file_uploader(key="rag_upload").upload("wizard.md", text, "text/markdown").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("purple" in str(v) for v in at.dataframe[0].value.iloc[:, -1])  # the top-k table
    assert "No answer given" in visible_text(at)


@pytest.mark.parametrize(("lang", "expected"), [("en", "question is empty"), ("zh", "问题是空的")])
def test_an_empty_question_or_text_gets_a_message(lang, expected):
    at = run_page(PAGE, lang=lang, rag_q="-1", rag_ask="   ")
    assert not at.exception and not at.error
    assert any(expected in w.value for w in at.warning)
    at = run_page(PAGE, lang=lang, rag_kb="paste")
    assert not at.exception and any(t("rag.kb.empty", lang) in w.value for w in at.warning)
