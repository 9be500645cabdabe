"""The blocks lesson as a user drives it: a lens cell opened, its controls in the link, names in Chinese, the
MLP drawn through its activation function, the neurons' corpus contexts."""

from __future__ import annotations

import numpy as np
import pytest

from model import load_model, trace
from model.lens import sublayer_lens_grid
from tests.test_pages import charts, plotly_values, run_page
from viz import blocks as vb

PAGE = "pages/5_blocks.py"
PROMPT = "Once upon a time there was a little"


def test_cell_rows_rank_each_token_here_and_below():
    rng = np.random.default_rng(0)
    here, below = np.log(rng.dirichlet(np.ones(50))), np.log(rng.dirichlet(np.ones(50)))
    rows = vb.cell_rows(here, below, [f"t{i}" for i in range(50)], k=5)
    assert [r["id"] for r in rows] == list(np.argsort(-here)[:5])
    for r in rows:
        assert r["rank_below"] == 1 + int((below > below[r["id"]]).sum())  # counted, not sorted
        assert r["change"] == r["rank_below"] - r["rank"]
        assert r["p"] == pytest.approx(np.exp(here[r["id"]]))
    assert vb.cell_rows(here, None, [f"t{i}" for i in range(50)], k=2)[0]["change"] is None
    assert [vb.change_text(c) for c in (3, -2, 0, None)] == ["↑3", "↓2", "=", "—"]


def test_a_clicked_cell_is_read_from_the_selection():
    from viz.theme import clicked_cell

    points = [{"x": 3, "y": "L1 mlp", "customdata": [4, 9, "hover"]}]
    assert clicked_cell(points) == (4, 9)
    assert clicked_cell([{"x": 1, "y": 2}]) is None and clicked_cell(None) is None


def test_part_names_in_both_languages():
    assert [vb.part_name(n) for n in ("embed", "L0 attn", "L3 mlp", "bias")] == ["embed", "L0 attn", "L3 mlp", "bias"]
    assert [vb.part_name(n, "zh") for n in ("embed", "L0 attn", "L3 mlp", "token embedding", "L2")] == [
        "嵌入",
        "第0层 注意力",
        "第3层 MLP",
        "词元嵌入",
        "第 2 层",
    ]


def test_every_lens_cell_has_a_click_target_that_names_it():
    lm = load_model("tinytales")
    tr = trace(lm, PROMPT)
    names, logp = sublayer_lens_grid(tr, range(tr.n_tokens))
    answers = tr.logits_at(slice(None)).argmax(-1)
    grid = vb.lens_grid(logp, answers)
    texts = [lm.tokenizer.decode([i]) for i in range(lm.config.vocab_size)]
    fig = vb.lens_figure(grid, names, tr.tokens, texts, ["?"] * tr.n_tokens, np.zeros(tr.n_tokens, bool), picked=[2, 4])
    pick = next(d for d in fig.data if d.name == "pick")
    assert len(pick.x) == len(names) * tr.n_tokens
    cells = {(int(c[0]), int(c[1])) for c in pick.customdata}
    assert cells == {(r, c) for r in range(len(names)) for c in range(tr.n_tokens)}
    assert fig.layout.shapes[0].y0 == 1.5 and fig.layout.shapes[0].x0 == 3.5  # the picked cell outlined


@pytest.mark.parametrize("lang, heading", [("en", "L0 attn"), ("zh", "第0层 注意力")])
def test_a_link_opens_the_cell_colouring_and_norm_it_names(lang, heading):
    at = run_page(PAGE, lang=lang, model="tinytales", prompt=PROMPT, colour="rank", norm="0", cell="1-3")
    assert not at.exception and not at.error
    assert at.radio(key="_blocks.colour").value == "rank"
    assert at.toggle(key="_blocks.final_norm").value is False
    assert at.session_state["_blocks.cell"] == [1, 3]
    table = at.dataframe[0].value
    assert len(table) == 10 and table.iloc[:, 4].str.match(r"^(↑\d+|↓\d+|=)$").all()
    lens = charts(at)[0]
    assert heading in lens["layout"]["yaxis"]["ticktext"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_changed_controls_go_into_the_link_and_defaults_stay_out(lang):
    at = run_page(PAGE, lang=lang, model="tinytales", prompt=PROMPT)
    assert not {"colour", "lens", "norm", "cell", "pinned", "rival", "neurons"} & set(at.query_params)
    at.radio(key="_blocks.colour").set_value("entropy").run()
    at.selectbox(key="_blocks.mlp_layer").set_value(1).run()
    pinned = at.multiselect(key="_blocks.pinned")
    first = pinned.value[0]
    pinned.set_value([first]).run()
    assert at.query_params["colour"] == "entropy" and at.query_params["neurons"] == "1"
    assert at.query_params["pinned"] == str(first)
    again = run_page(PAGE, **dict(at.query_params))
    assert again.multiselect(key="_blocks.pinned").value == [first]
    assert again.selectbox(key="_blocks.mlp_layer").value == 1


@pytest.mark.parametrize("lang, rule", [("en", "a row and a column"), ("zh", "行号和列号")])
def test_a_bad_cell_in_a_link_says_what_would_work(lang, rule):
    at = run_page(PAGE, lang=lang, model="tinytales", prompt=PROMPT, cell="three")
    assert not at.exception
    assert any(rule in w.value for w in at.warning)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_mlp_is_drawn_through_its_activation_with_the_neurons_contexts(lang):
    at = run_page(PAGE, lang=lang, model="tinytales", prompt=PROMPT)
    figures = {fig["layout"]["title"]["text"]: fig for fig in charts(at)}
    act = next(fig for title, fig in figures.items() if "GELU" in title)
    curve, others, marked = act["data"]
    assert len(plotly_values(others["x"])) + len(plotly_values(marked["x"])) == 1024  # each neuron once
    neuron = at.selectbox(key="_blocks.neuron")
    assert int(plotly_values(marked["customdata"])[0]) == neuron.value  # the strongest pusher is the one read below
    assert "<span title=" in "".join(m.value for m in at.markdown)  # its contexts, as token chips


def test_a_model_without_shipped_contexts_says_so(tiny_folder):
    at = run_page(PAGE, model=str(tiny_folder("gpt2")), prompt=PROMPT)
    assert not at.exception
    assert any("ships no corpus contexts" in c.value for c in at.caption)


@pytest.mark.parametrize("lang, words", [("en", "Tuned lens"), ("zh", "调校透镜")])
def test_the_tuned_lens_is_one_click_away_and_labelled(lang, words):
    at = run_page(PAGE, lang=lang, model="tinytales", prompt=PROMPT, lens="tuned", norm="0")
    assert not at.exception and not at.error
    assert at.radio(key="_blocks.lens").value == "tuned"
    norm = at.toggle(key="_blocks.final_norm")
    assert norm.value is True and norm.disabled  # a tuned lens reads through the final norm
    assert any(words in i.value for i in at.info)
    raw = run_page(PAGE, lang=lang, model="tinytales", prompt=PROMPT)
    assert charts(at)[0]["data"][0]["text"] != charts(raw)[0]["data"][0]["text"]  # the rows read otherwise


def test_a_model_without_a_tuned_lens_offers_none(tiny_folder):
    at = run_page(PAGE, model=str(tiny_folder("gpt2")), prompt=PROMPT, lens="tuned")
    assert not at.exception
    assert not [r for r in at.radio if r.key == "_blocks.lens"]
