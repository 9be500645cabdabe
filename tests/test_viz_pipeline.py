"""The overview's pipeline on synthetic traces."""

from __future__ import annotations

import html

import numpy as np

from model.sampling import softmax
from tests.synthetic import synthetic_trace
from viz import pipeline


def test_top_prediction_is_the_most_likely_last_token():
    tr = synthetic_trace()
    token_id, prob = pipeline.top_prediction(tr)
    probs = softmax(tr.logits_at(-1))
    assert token_id == int(np.argmax(tr.logits_at(-1))) and prob == probs.max()
    assert pipeline.top_prediction(synthetic_trace(causal=False)) is None


def test_decoder_stages_carry_the_prompts_numbers():
    tr = synthetic_trace()
    steps = pipeline.stages(tr, (" cat", 0.1234), "en")
    assert [s.lesson for s in steps] == [
        "tokens",
        "tokens",
        "embeddings",
        "positions",
        "attention",
        "next_token",
        "next_token",
    ]
    assert f"{tr.n_tokens} tokens" in steps[1].detail
    assert f"{tr.n_tokens} vectors × {tr.d_model}" in steps[2].detail
    assert "·cat" in steps[-1].detail and "12.3%" in steps[-1].detail
    page = pipeline.pipeline_html(steps, "en")
    assert page.count("→") == len(steps) - 1 and "flex-wrap:wrap" in page  # wraps on a narrow screen
    for stage in steps:
        assert html.escape(stage.title) in page


def test_pipeline_text_is_escaped():
    tr = synthetic_trace(tokens=["a<script>", "b", "&c"])
    page = pipeline.pipeline_html(pipeline.stages(tr, ("<b>x</b>", 0.5), "en"), "en")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_encoder_ends_in_hidden_vectors_in_chinese():
    tr = synthetic_trace(causal=False)
    steps = pipeline.stages(tr, None, "zh")
    assert len(steps) == 6 and "编码器不预测" in steps[-1].detail
    assert "双向" in steps[4].detail


def test_a_small_next_token_probability_is_not_rounded_to_zero():
    steps = pipeline.stages(synthetic_trace(), ("·x", 0.00012), "en")
    assert "0.012%" in steps[-1].detail and "0.0%" not in steps[-1].detail
