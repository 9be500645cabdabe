"""The chart defects of the browser walk (docs: shared/qa/browser-walk-2026-12.md), items 12, 24, 28, 29, 30 and
the 1024-px check: each test fails on the chart as it was."""

from __future__ import annotations

import json

import numpy as np
import pytest
from markdown_it import MarkdownIt
from plotly.colors import hex_to_rgb

from lessons import t
from tests.synthetic import synthetic_trace
from tests.test_pages import run_page
from viz import attention as va
from viz import embeddings as ve
from viz import label_layout as ll
from viz import positions as vp
from viz import theme

LONG_PROMPT = " ".join(["Once upon a time there was a little girl who lived in the woods with her mother."] * 20)


def _boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# item 12: long prompts on the attention page


def test_item12_long_prompt_attention_page_says_what_it_draws():
    """256 tokens: the lines caption counts the lines drawn, the grid says its cells pool positions, and the
    metrics above read as the grid's hover of the same head."""
    at = run_page(
        "pages/4_attention.py", timeout=120, prompt=LONG_PROMPT, model="tinytales", token=200, layer=0, head=7
    )
    assert not at.exception, at.exception
    figures = {el.proto.id: json.loads(el.proto.spec) for el in at.get("plotly_chart")}
    lines = next(f for f in figures.values() if "strongest links" in f["layout"]["title"]["text"])
    n_lines = sum(1 for d in lines["data"] if d.get("mode") == "lines")
    captions = [c.value for c in at.caption]
    (lines_caption,) = [c for c in captions if "too many to list" in c]
    assert f"the {n_lines} keys it reads most" in lines_caption
    assert "Links under 0.1% are not drawn" in lines_caption
    assert any("each of its cells groups 6 × 6 positions" in c for c in captions)
    grid = next(f for f in figures.values() if "every attention pattern" in f["layout"]["title"]["text"])
    (picked,) = [c for d in grid["data"] if d.get("name") == "pick" for c in d["customdata"] if c[:2] == [0, 7]]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["to previous"] == picked[2] and metrics["to first"] == picked[3]
    assert metrics["mean entropy"] == picked[4]


def test_item12_lines_view_draws_what_its_title_and_caption_say():
    T, query = 256, 250
    tr = synthetic_trace(tokens=[f" w{i}" for i in range(T)], n_layers=1, n_heads=1, seed=3)
    view = va.lines_view(tr.pattern[0, 0, query].astype(float), query)
    fig = va.lines_figure(tr, 0, 0, query, "zh")
    drawn = [d for d in fig.data if d.mode == "lines"]
    assert len(drawn) == len(view.drawn) == va.LONG_KEYS
    assert f"最强的 {len(drawn)} 条连线" in fig.layout.title.text
    caption = t("attention.lines.caption_long", "zh", tokens=T, token="x", n=len(view.drawn), share="1%", min=0.001)
    assert f"读得最多的 {len(drawn)} 个键" in caption
    assert len([d for d in fig.data if d.mode == "markers+text"][1].x) <= va.LONG_KEYS + 1  # not a column of 256


# item 24: PCA labels


def _pca_label_boxes(fig) -> list[tuple[float, float, float, float]]:
    """Every prompt label's box in pixels, read back from the figure: its dot, plus the textposition or the
    annotation's arrow offset."""
    x_range, y_range = list(fig.layout.xaxis.range), list(fig.layout.yaxis.range)
    tokens = fig.data[1]
    dots = ll.to_pixels(np.stack([tokens.x, tokens.y], axis=1).astype(float), x_range, y_range)
    r, h = ll.MARKER_SIZE / 2 + 2, ll.LABEL_SIZE * 1.25
    arrows = {(a.x, a.y): a for a in fig.layout.annotations}
    boxes = []
    for (px, py), x, y, text, label, pos in zip(
        dots, tokens.x, tokens.y, tokens.text, tokens.customdata, tokens.textposition, strict=True
    ):
        w = ll.text_px(label)
        if text:
            vertical, horizontal = pos.split()
            cx = px + {"left": -(r + w / 2), "center": 0, "right": r + w / 2}[horizontal]
            cy = py + {"top": -(r + h / 2), "middle": 0, "bottom": r + h / 2}[vertical]
        else:
            arrow = arrows[(x, y)]
            assert arrow.text == label and arrow.showarrow
            cx, cy = px + arrow.ax, py + arrow.ay
        boxes.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    return boxes


def test_item24_pca_labels_do_not_cover_each_other():
    rng = np.random.default_rng(1)
    words = rng.normal(size=(300, 2))
    cluster = np.array([[0.0, 0.0], [0.03, 0.02], [0.05, -0.01], [-0.02, 0.04], [0.01, -0.05], [1.5, 1.2]])
    tokens = [" day", " wood", " who", " upon", " a", "小猫"]
    pca = ve.PcaMap(words, cluster, np.array([0.1, 0.05]))
    fig = ve.pca_figure(pca, [f"w{i}" for i in range(300)], tokens, np.arange(len(tokens)), "en")
    boxes = _pca_label_boxes(fig)
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not _boxes_overlap(boxes[i], boxes[j]), (tokens[i], tokens[j])
    # the old placement (every label above its dot) overlapped here
    dots = ll.to_pixels(cluster, list(fig.layout.xaxis.range), list(fig.layout.yaxis.range))
    widths = [ll.text_px(label) for label in fig.data[1].customdata]
    above = [(x - w / 2, y - 20, x + w / 2, y - 5) for (x, y), w in zip(dots, widths, strict=True)]
    assert _boxes_overlap(above[0], above[1])


def test_item24_pca_labels_miss_the_other_dots():
    cluster = np.array([[0.0, 0.0], [0.0, 0.012], [0.012, 0.0], [-0.012, 0.0], [0.0, -0.012]])  # a plus sign
    pca = ve.PcaMap(np.random.default_rng(2).normal(size=(50, 2)), cluster, np.array([0.1, 0.05]))
    fig = ve.pca_figure(pca, ["w"] * 50, [" a", " b", " c", " d", " e"], np.arange(5), "zh")
    dots = ll.to_pixels(cluster, list(fig.layout.xaxis.range), list(fig.layout.yaxis.range))
    half = ll.MARKER_SIZE / 2
    for i, box in enumerate(_pca_label_boxes(fig)):
        for j, (x, y) in enumerate(dots):
            if i != j:
                assert not _boxes_overlap(box, (x - half, y - half, x + half, y + half)), (i, j)


# item 28: metric naming


def test_item28_entropy_is_named_a_mean_in_both_languages():
    assert "mean" in t("attention.metric.entropy", "en") and "平均" in t("attention.metric.entropy", "zh")
    hover = t("attention.grid.hover", "en")
    assert "mean entropy %{customdata[4]}" in hover and "%{customdata[2]}" in hover
    assert va.share_text(0.1333) == "13.3%" and va.share_text(float("nan")) == "—"


# item 29: Chinese spacing around head names


def test_item29_no_stray_spaces_around_head_names_in_chinese():
    name = t("attention.head_name", "zh", layer=0, head=7)
    text = t(
        "attention.notice",
        "zh",
        model="TinyTales",
        total=32,
        prev_head=f"**{name}**",
        prev=0.5,
        first_head=f"**{name}**",
        first=0.13,
        head_name=t("attention.head_name", "zh", layer=0, head=0),
        sel_prev=0.02,
        sel_first=0.04,
        entropy=6.29,
    )
    assert "你选中的第 0 层 · 第 0 个头给前一个词元" in text
    html = MarkdownIt("commonmark").render(text)
    assert "<strong>第 0 层 · 第 7 个头</strong>最关注" in html
    assert "<strong>第 0 层 · 第 7 个头</strong>把" in html


# item 30: similarity colour bars, token + position marks


@pytest.mark.parametrize("which", ["positions", "embeddings"])
def test_item30_similarity_colour_key_is_above_the_square_not_beside_it(which):
    rng = np.random.default_rng(0)
    if which == "positions":
        fig = vp.similarity_figure(rng.normal(size=(64, 16)), "sim", "en", prompt_len=18)
    else:
        fig = ve.similarity_figure(rng.normal(size=(30, 16)), [f"{i}:w" for i in range(30)], "sim", "en")
    bar = fig.data[0].colorbar
    assert bar.orientation == "h" and bar.lenmode == "pixels" and bar.len <= theme.KEY_PX
    assert bar.y >= 1.0 and bar.yanchor == "bottom"  # above the plot, in the room the margin leaves
    assert fig.layout.margin.t >= 50 + theme.KEY_MARGIN
    assert fig.layout.yaxis.scaleanchor == "x"  # still a square


def _luminance(colour: str) -> float:
    channels = [c / 255 for c in hex_to_rgb(colour)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_item30_sum_marks_stand_out_on_the_block_input_bars_and_the_legend_has_one_cross():
    tr = synthetic_trace()
    fig = vp.sum_figure(tr, 2, "zh")
    marks = next(d for d in fig.data if d.type == "scatter")
    block_input = [d for d in fig.data if d.type == "bar"][-1]
    assert marks.marker.color == "black" and marks.marker.symbol.startswith("x")
    contrast = (_luminance(block_input.marker.color) + 0.05) / 0.05  # against black
    assert contrast >= 7, block_input.marker.color  # #555555 had 2.8
    assert "×" not in marks.name and marks.name == "词元 + 位置"
    rotary = vp.sum_figure(synthetic_trace(rotary=True), 1, "en")
    assert next(d for d in rotary.data if d.type == "scatter").name == "token vector"


# the 1024-px window


def test_1024px_attention_heatmaps_keep_their_axes_readable():
    tr = synthetic_trace(tokens=[f" w{i}" for i in range(256)], n_layers=1, n_heads=1)
    full = va.pattern_figure(tr, 0, 0, "en", query=3)
    assert len(full.layout.xaxis.tickvals) <= va.MAX_KEY_TICKS  # slanted key labels ~17 px apart in ~420 px
    assert full.data[0].colorbar.title.side == "right"  # the bar's title runs up its side, not across
    half = va.pattern_figure(tr, 0, 0, "en", title="a<br>b", compact=True)
    assert len(half.layout.xaxis.tickvals) <= 8
    assert half.data[0].colorbar.orientation == "h"  # a half column cannot spare a bar beside the plot
    assert half.layout.margin.t >= 75 + theme.KEY_MARGIN  # a two-line title and the key both fit


def test_1024px_metric_labels_fit_a_quarter_column():
    """Four metrics share a row; at 1024 px each label has ~110 px: "to the previous token" was cut."""
    for name in ("previous", "first", "self", "entropy"):
        assert len(t(f"attention.metric.{name}", "en")) <= 14
        assert len(t(f"attention.metric.{name}", "zh")) <= 7


def test_item24_a_crowded_cluster_hangs_labels_on_arrows_without_overlap():
    rng = np.random.default_rng(4)
    cluster = rng.normal(scale=0.01, size=(12, 2))  # twelve tokens within a few pixels
    pca = ve.PcaMap(rng.normal(size=(100, 2)), cluster, np.array([0.1, 0.05]))
    fig = ve.pca_figure(pca, ["w"] * 100, [f" t{i}" for i in range(12)], np.arange(12), "en")
    assert fig.layout.annotations, "no room beside the dots: some labels hang on arrows"
    boxes = _pca_label_boxes(fig)
    clashes = [(i, j) for i in range(12) for j in range(i + 1, 12) if _boxes_overlap(boxes[i], boxes[j])]
    assert not clashes
