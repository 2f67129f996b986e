"""The portfolio's charts: the clients' overall scores, and each area's spread across clients.

Plotly figures from plain data (rows of :func:`assess.core.portfolio.portfolio_row`, and
:func:`assess.core.portfolio.area_spread`), with the print rules and the layout of
:mod:`assess.core.charts`: readable in grayscale, fonts of 12 px and more, a fixed export size.

The figures are plain dicts in Plotly's figure schema (``{"data": [...], "layout": {...}}``,
the ``plotly_white`` template included), not ``go.Figure``: Plotly validates every property a
``go.Figure`` is given, which for 500 clients cost more than the rest of the page. They are
exactly what a validated figure serializes to (a test passes each through ``go.Figure`` and
compares the JSON); :func:`figure_json` writes one for the page, and ``go.Figure(spec)`` makes
one a real figure again for the downloads (kaleido).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import plotly.io as pio

from assess.core.charts import (
    AXIS_COLOR,
    CURRENT_COLOR,
    FONT_FAMILY,
    FONT_SIZE,
    GRID_COLOR,
    LEVELS,
    MAX_LEVEL,
    PREVIOUS_COLOR,
    TARGET_COLOR,
    _fmt,
)

#: Overdue clients' bars: the previous-submission orange, with a hatch so grayscale tells.
OVERDUE_COLOR = PREVIOUS_COLOR

Figure = dict[str, Any]


@cache
def _template() -> dict[str, Any]:
    """``plotly_white`` as a figure's JSON carries it (read once; never changed)."""
    return pio.templates["plotly_white"].to_plotly_json()


def figure_json(spec: Mapping[str, Any]) -> str:
    """A figure spec as Plotly JSON for ``Plotly.newPlot`` (Plotly's own encoder, no
    validation: the spec is already in the schema)."""
    return pio.to_json(spec, validate=False)


def _score_axis(title: str) -> dict[str, Any]:
    return {
        "title": {"text": title},
        "range": [0, MAX_LEVEL],
        "tickmode": "array",
        "tickvals": list(LEVELS),
        "gridcolor": GRID_COLOR,
        "zeroline": True,
        "zerolinecolor": AXIS_COLOR,
    }


def _layout(title: str, *, height: int, margin: Mapping[str, int], **more: Any) -> dict[str, Any]:
    """:func:`assess.core.charts._layout`'s print-friendly defaults (900 px wide), as the
    layout a figure built with it serializes to; names in the category axis, reversed."""
    return {
        "template": _template(),
        "title": {
            "text": title,
            "x": 0.02,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 20, "color": "#111111"},
        },
        "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": "#222222"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.935,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": FONT_SIZE},
            "bgcolor": "rgba(255, 255, 255, 0.9)",
        },
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": FONT_SIZE}},
        "margin": dict(margin),
        "width": 900,
        "height": height,
        "autosize": True,
        "yaxis": {"autorange": "reversed", "automargin": True, "ticksuffix": "  "},
        **more,
    }


def client_scores(
    rows: Sequence[Mapping[str, Any]], *, title: str = "Clients' overall scores"
) -> Figure:
    """Horizontal bars of each assessed client's overall score, highest on top; overdue
    clients hatched in orange. Clients never assessed are counted in a note, not drawn."""
    scored = sorted(
        (r for r in rows if r.get("score") is not None),
        key=lambda r: (-float(r["score"]), str(r["name"]).casefold()),
    )
    unscored = len(rows) - len(scored)
    names = [html.escape(str(r["name"]), quote=False) for r in scored]
    overdue = [bool(r.get("overdue")) for r in scored]
    hover = [
        f"<b>{name}</b><br>"
        f"overall: {_fmt(r['score'])} (level {r.get('level')}, {r.get('level_label') or ''})<br>"
        f"submitted: {r.get('last_submitted')}<br>"
        f"next due: {r.get('next_due')}" + (" (overdue)" if o else "")
        for name, r, o in zip(names, scored, overdue, strict=True)
    ]
    bars = {
        "type": "bar",
        "x": [float(r["score"]) for r in scored],
        "y": names,
        "orientation": "h",
        "name": "Overall score",
        "marker": {
            "color": [OVERDUE_COLOR if o else CURRENT_COLOR for o in overdue],
            "pattern": {"shape": ["/" if o else "" for o in overdue], "fgcolor": "white"},
            "line": {"color": AXIS_COLOR, "width": 1},
        },
        "text": [
            _fmt(r["score"]) + (" overdue" if o else "")
            for r, o in zip(scored, overdue, strict=True)
        ],
        "textposition": "outside",
        "textfont": {"size": FONT_SIZE, "color": "#222222"},
        "cliponaxis": False,
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    if unscored:
        title = f"{title} ({unscored} not assessed yet)"
    layout = _layout(
        title,
        height=max(360, 130 + 26 * len(scored)),
        margin={"t": 90, "b": 70, "l": 40, "r": 120},
        xaxis=_score_axis("Overall score (0–5)"),
        bargap=0.3,
    )
    layout["showlegend"] = False
    return {"data": [bars], "layout": layout}


def area_spread(
    spread: Sequence[Mapping[str, Any]], *, title: str = "Each area across clients"
) -> Figure:
    """Per area: the range of the clients' scores (a thin grey bar from the lowest to the
    highest), the middle half (a thick bar from the lower to the upper quartile) and the
    median (a diamond), from :func:`assess.core.portfolio.area_spread`."""
    titles = [html.escape(str(a["title"]), quote=False) for a in spread]
    hover = [
        f"<b>{t}</b><br>"
        f"clients: {a['clients']}<br>"
        f"median: {_fmt(a['median'])}<br>"
        f"middle half: {_fmt(a['q1'])} – {_fmt(a['q3'])}<br>"
        f"range: {_fmt(a['min'])} – {_fmt(a['max'])}"
        for t, a in zip(titles, spread, strict=True)
    ]
    common = {"y": titles, "customdata": hover, "hovertemplate": "%{customdata}<extra></extra>"}
    data = [
        {
            "type": "bar",
            "x": [a["max"] - a["min"] for a in spread],
            "base": [a["min"] for a in spread],
            "orientation": "h",
            "name": "Lowest to highest",
            "width": 0.18,
            "marker": {"color": TARGET_COLOR, "line": {"width": 0}},
            **common,
        },
        {
            "type": "bar",
            "x": [a["q3"] - a["q1"] for a in spread],
            "base": [a["q1"] for a in spread],
            "orientation": "h",
            "name": "Middle half of clients",
            "width": 0.5,
            "marker": {
                "color": "rgba(31, 59, 115, 0.35)",
                "line": {"color": CURRENT_COLOR, "width": 1},
            },
            **common,
        },
        {
            "type": "scatter",
            "x": [a["median"] for a in spread],
            "mode": "markers",
            "name": "Median",
            "marker": {
                "symbol": "diamond",
                "size": 13,
                "color": CURRENT_COLOR,
                "line": {"color": "white", "width": 1},
            },
            **common,
        },
    ]
    layout = _layout(
        title,
        height=max(420, 130 + 48 * len(spread)),
        margin={"t": 110, "b": 70, "l": 40, "r": 60},
        xaxis=_score_axis("Area score (0–5)"),
        barmode="overlay",
        bargap=0.3,
    )
    return {"data": data, "layout": layout}
