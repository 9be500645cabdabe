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
