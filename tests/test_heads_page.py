"""The head lab as a user drives it, in both languages: the atlas, a knock-out, the sweep and patching through
the job queue, the link, and models it cannot fully serve."""

from __future__ import annotations

import time

import numpy as np
import pytest

from lessons import t
from model import load_model
from model.headlab import ablation_sweep, induction_probe, mean_loss, second_copy_start
from tests.test_pages import charts, plotly_values, run_page, visible_text
from viz import heads as vh

PAGE = "pages/7_heads.py"


def wait_for(at, key: str, seconds: float = 90):
    """Rerun until the job panel `key` has finished (its job runs on the queue's own thread)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        job = at.session_state[f"job:{key}"] if f"job:{key}" in at.session_state else None
        if job is not None and not job.active:
            return at.run()
        time.sleep(0.3)
    raise AssertionError(f"the {key} job did not finish")


def test_head_names_round_trip():
    assert vh.parse_head(vh.head_name(3, 12)) == (3, 12)
    assert vh.parse_head("L3") is None and vh.parse_head("H3L2") is None and vh.parse_head("LxHy") is None


@pytest.mark.parametrize("lang, words", [("en", "jumps from"), ("zh", "跳到")])
def test_the_default_knock_out_breaks_copying_on_tinytales(lang, words):
    at = run_page(PAGE, lang=lang, model="tinytales")
    assert not at.exception and not at.error
    assert at.multiselect(key="_heads.knock").value == ["L3H3", "L3H2"]  # the two top induction heads
    assert words in visible_text(at)  # the try-this text names what happens…
    loss = next(f for f in charts(at) if f["data"][0].get("type") == "scatter" and len(f["data"]) == 2)
    clean, knocked = (plotly_values(d["y"]) for d in loss["data"])
    start = second_copy_start(load_model("tinytales"))
    assert clean[start:].mean() < 0.5 and knocked[start:].mean() > 8  # …and the chart shows it happen


def test_the_quick_pick_knocks_out_the_previous_token_heads():
    at = run_page(PAGE, model="tinytales")
    at.button[1].click().run()  # "the two strongest previous-token heads"
    assert not at.exception
    assert "L0H7" in at.multiselect(key="_heads.knock").value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sweep_runs_on_the_queue_and_answers_the_guess(lang):
    at = run_page(PAGE, lang=lang, model="tinytales")
    at.selectbox(key="_heads.guess").set_value("L3H3").run()
    next(b for b in at.button if b.key == "job_start:sweep").click().run()
    at = wait_for(at, "sweep")
    assert not at.exception
    lm = load_model("tinytales")
    probe = induction_probe(lm)
    expected = ablation_sweep(lm, probe, mean_loss(probe, start=second_copy_start(lm)))  # independent: a direct call
    title = t("heads.sweep.title.copy", lang, model=lm.display_name)
    figure = next(f for f in charts(at) if f["layout"]["title"]["text"] == title)
    shown = plotly_values(figure["data"][0]["z"]).reshape(expected.shape)
    np.testing.assert_allclose(shown, expected, atol=1e-4)
    assert "L3H3" in visible_text(at)


def test_patching_a_ready_pair_maps_where_the_name_lives():
    at = run_page(PAGE, model="tinytales")
    next(b for b in at.button if b.key == "job_start:patch").click().run()
    at = wait_for(at, "patch")
    assert not at.exception
    resid = next(f for f in charts(at) if "residual stream entering" in f["layout"]["title"]["text"])
    grid = plotly_values(resid["data"][0]["z"]).reshape(4, -1)  # (L, T)
    # at the first layer the answer lives only where the prompts differ (the name), so only that cell restores it
    assert np.nanargmax(grid[0]) == 5 and grid[0, 5] == pytest.approx(1.0, abs=1e-3)
    attn = next(f for f in charts(at) if "attention writes" in f["layout"]["title"]["text"])
    written = plotly_values(attn["data"][0]["z"]).reshape(4, -1)
    assert round(float(written[3, -1]), 2) == 0.62  # the try-this text's number: layer 3 carries the name over


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_lab_state_goes_into_the_link(lang):
    at = run_page(PAGE, lang=lang, model="tinytales")
    at.radio(key="_heads.role").set_value("previous_token").run()
    at.multiselect(key="_heads.knock").set_value(["L1H1"]).run()
    at.radio(key="_heads.mode").set_value("mean").run()
    params = dict(at.query_params)
    assert params["role"] == "previous_token" and params["knock"] == "L1H1" and params["mode"] == "mean"
    again = run_page(PAGE, **params)
    assert again.multiselect(key="_heads.knock").value == ["L1H1"] and again.radio(key="_heads.mode").value == "mean"


@pytest.mark.parametrize("lang, rule", [("en", "L3H3-L3H2"), ("zh", "L3H3-L3H2")])
def test_a_bad_head_list_in_a_link_says_what_would_work(lang, rule):
    at = run_page(PAGE, lang=lang, model="tinytales", knock="L3H3-head9")
    assert not at.exception
    assert any(rule in w.value for w in at.warning)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_encoder_gets_the_atlas_and_says_why_not_the_rest(lang):
    at = run_page(PAGE, lang=lang, model="minilm")
    assert not at.exception and not at.error
    assert len(charts(at)) >= 3  # the role map and two patterns
    assert any("MiniLM" in i.value for i in at.info)


@pytest.mark.parametrize("family", ["gpt2", "llama", "neox"])
def test_tiny_random_decoders_run_the_lab(tiny_folder, family):
    at = run_page(PAGE, model=str(tiny_folder(family)))
    assert not at.exception and not at.error
    assert len(charts(at)) >= 5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_own_prompts_of_different_lengths_get_a_clear_message(lang):
    from model.headlab import prompt_ids

    clean, corrupt = "The cat sat on the mat and the", "The hippopotamus sat on the mat and the"
    lm = load_model("tinytales")
    n_clean, n_corrupt = len(prompt_ids(lm, clean)), len(prompt_ids(lm, corrupt))
    assert n_clean != n_corrupt
    at = run_page(
        PAGE, lang=lang, model="tinytales", pair="-1", clean=clean, corrupt=corrupt, answer=" cat", foil=" dog"
    )
    assert not at.exception
    message = t("heads.patch.lengths", lang, clean=n_clean, corrupt=n_corrupt)
    assert any(w.value == message for w in at.warning), [w.value for w in at.warning]


@pytest.mark.parametrize("lang, words", [("en", "must each be one token"), ("zh", "都必须是一个词元")])
def test_an_answer_of_two_tokens_gets_a_clear_message(lang, words):
    at = run_page(
        PAGE,
        lang=lang,
        model="tinytales",
        pair="-1",
        clean="I saw a cat",
        corrupt="I saw a dog",
        answer=" kite",
        foil=" dog",
    )
    assert not at.exception
    assert any(words in w.value for w in at.warning)


def test_an_own_pair_is_patched_and_the_sweep_can_measure_the_prompt():
    at = run_page(
        PAGE,
        model="tinytales",
        pair="-1",
        clean="The king said to Arthur",
        corrupt="The king said to Henry",
        answer=" and",
        foil=" and",
    )
    assert not at.exception
    assert any("barely tells" in w.value for w in at.warning)  # the same answer twice: no gap to restore
    at.radio(key="_heads.metric").set_value("prompt").run()
    next(b for b in at.button if b.key == "job_start:sweep").click().run()
    at = wait_for(at, "sweep")
    lm = load_model("tinytales")
    from model import trace
    from model.headlab import logprob

    tr = trace(lm, at.session_state["prompt"] if "prompt" in at.session_state else at.text_area(key="prompt").value)
    token = at.selectbox(key="_heads.follow").value
    expected = -ablation_sweep(lm, tr.token_ids, logprob(-1, token))
    title = t("heads.sweep.title.prompt", "en", model=lm.display_name)
    figure = next(f for f in charts(at) if f["layout"]["title"]["text"] == title)
    np.testing.assert_allclose(plotly_values(figure["data"][0]["z"]).reshape(expected.shape), expected, atol=1e-4)


def test_the_chinese_models_try_this_happens():
    """heads.try@zh: L3H2 and L3H3 (≈ 0.91, 0.90) copy; knocking both out sends the second copy's loss from ≈ 0.1
    to ≈ 10, knocking out the best one alone only to ≈ 1.4."""
    from model.edits import AblateHead
    from model.headlab import head_roles, loss_per_position, top_heads

    lm = load_model("tinytales-zh")
    top = top_heads(head_roles(lm)["induction"], 2)
    assert [(l, h) for l, h, _ in top] == [(3, 2), (3, 3)]
    assert round(top[0][2], 2) == 0.91 and round(top[1][2], 2) == 0.90
    probe, start = induction_probe(lm), second_copy_start(lm)
    clean = loss_per_position(lm, probe)[start:].mean()
    knocked = loss_per_position(lm, probe, [AblateHead(l, h) for l, h, _ in top])[start:].mean()
    one = loss_per_position(lm, probe, [AblateHead(*top[0][:2])])[start:].mean()
    assert clean < 0.3 and 8 < knocked < 12 and 0.8 < one < 2.5


def test_every_head_of_a_role_can_be_knocked_out_at_once():
    at = run_page(PAGE, model="tinytales", role="induction")
    next(b for b in at.button if "score ≥" in b.label).click().run()
    assert not at.exception
    assert set(at.multiselect(key="_heads.knock").value) == {"L3H3", "L3H2", "L3H6", "L1H1"}  # 0.92 … 0.31
