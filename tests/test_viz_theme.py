"""The shared chart look, and the memo that keeps Plotly's property-path parsing off the server's hot path."""

from __future__ import annotations

import numpy as np
import plotly.basedatatypes
import plotly.graph_objects as go

from viz import theme

PATHS = [
    "title",
    "xaxis_title_text",
    "margin.t",
    "error_x",
    "xaxis2",
    "foo.bar[1]",
    "a__b_",
    "_x",
    "",
    "marker_line_width",
]


def test_the_memo_parses_every_path_as_plotly_does():
    memoized = plotly.basedatatypes._str_to_dict_path_full
    assert memoized.memoized
    for path in PATHS * 2:  # the second time from the memo
        assert memoized(path) == memoized.original(path)
    first, again = memoized("xaxis_title_text"), memoized("xaxis_title_text")
    first[1].append(99)  # a caller that changes the list it got
    assert again[1] != first[1] and memoized("xaxis_title_text") == memoized.original("xaxis_title_text")


def test_a_styled_figure_is_the_same_with_the_memo_and_without():
    def build():
        fig = go.Figure(go.Heatmap(z=np.arange(6).reshape(2, 3)))
        fig.update_xaxes(title_text="key", tickangle=-50)
        fig.update_layout(xaxis2={"overlaying": "x", "side": "top"}, margin_t=30)
        return theme.style(fig, "title", height=300).to_plotly_json()

    with_memo = build()
    memoized = plotly.basedatatypes._str_to_dict_path_full
    plotly.basedatatypes._str_to_dict_path_full = memoized.original
    try:
        without = build()
    finally:
        plotly.basedatatypes._str_to_dict_path_full = memoized
    assert with_memo == without
    assert with_memo["layout"]["xaxis"]["title"]["text"] == "key" and with_memo["layout"]["height"] == 300


def _layout(fig: go.Figure) -> dict:
    out = fig.to_plotly_json()["layout"]
    out.pop("template", None)
    return out


def test_a_figure_built_at_once_equals_one_styled_after():
    heatmap = go.Heatmap(z=np.arange(6).reshape(2, 3))
    styled = theme.style(go.Figure(heatmap), "title", height=300)
    styled.update_layout(margin_t=90, xaxis_title_text="key")
    built = theme.figure([heatmap], "title", 300, margin={"t": 90}, xaxis={"title": {"text": "key"}})
    assert _layout(built) == _layout(styled)
    assert built.layout.margin.l == 10 and built.layout.margin.t == 90  # merged, not replaced


def test_two_panels_and_hline_write_what_plotly_helpers_do():
    from plotly.subplots import make_subplots

    helper = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=["left", "right"])
    assert _layout(go.Figure(layout=theme.two_panels("left", "right"))) == _layout(helper)
    drawn = go.Figure(go.Bar(x=[1], y=[2]))
    drawn.add_hline(y=3, line_dash="dot", line_color="#555", annotation_text="note", annotation_position="top left")
    line, note = theme.hline(3, "note", "#555")
    assert _layout(go.Figure(go.Bar(x=[1], y=[2]), layout={"shapes": [line], "annotations": [note]})) == _layout(drawn)
