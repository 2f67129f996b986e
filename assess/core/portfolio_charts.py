"""The portfolio's charts: the clients' overall scores, and each area's spread across clients.

Plotly figures from plain data (rows of :func:`assess.core.portfolio.portfolio_row`, and
:func:`assess.core.portfolio.area_spread`), with the print rules and the layout of
:mod:`assess.core.charts`: readable in grayscale, fonts of 12 px and more, a fixed export size.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from assess.core.charts import (
    AXIS_COLOR,
    CURRENT_COLOR,
    FONT_SIZE,
    GRID_COLOR,
    LEVELS,
    MAX_LEVEL,
    PREVIOUS_COLOR,
    TARGET_COLOR,
    _fmt,
    _layout,
)

#: Overdue clients' bars: the previous-submission orange, with a hatch so grayscale tells.
OVERDUE_COLOR = PREVIOUS_COLOR


def client_scores(
    rows: Sequence[Mapping[str, Any]], *, title: str = "Clients' overall scores"
) -> go.Figure:
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
        "<br>".join(
            [
                f"<b>{name}</b>",
                f"overall: {_fmt(r['score'])} (level {r.get('level')}, {r.get('level_label') or ''})",
                f"submitted: {r.get('last_submitted')}",
                f"next due: {r.get('next_due')}" + (" (overdue)" if r.get("overdue") else ""),
            ]
        )
        for name, r in zip(names, scored, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=[float(r["score"]) for r in scored],
            y=names,
            orientation="h",
            name="Overall score",
            marker={
                "color": [OVERDUE_COLOR if o else CURRENT_COLOR for o in overdue],
                "pattern": {"shape": ["/" if o else "" for o in overdue], "fgcolor": "white"},
                "line": {"color": AXIS_COLOR, "width": 1},
            },
            text=[
                _fmt(r["score"]) + (" overdue" if o else "")
                for r, o in zip(scored, overdue, strict=True)
            ],
            textposition="outside",
            textfont={"size": FONT_SIZE, "color": "#222222"},
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(
        title={"text": "Overall score (0–5)"},
        range=[0, MAX_LEVEL],
        tickmode="array",
        tickvals=list(LEVELS),
        gridcolor=GRID_COLOR,
        zeroline=True,
        zerolinecolor=AXIS_COLOR,
    )
    fig.update_yaxes(autorange="reversed", automargin=True, ticksuffix="  ")
    if unscored:
        title = f"{title} ({unscored} not assessed yet)"
    _layout(
        fig,
        title,
        height=max(360, 130 + 26 * len(scored)),
        width=900,
        margin={"t": 90, "b": 70, "l": 40, "r": 120},
    )
    fig.update_layout(showlegend=False, bargap=0.3)
    return fig


def area_spread(
    spread: Sequence[Mapping[str, Any]], *, title: str = "Each area across clients"
) -> go.Figure:
    """Per area: the range of the clients' scores (a thin grey bar from the lowest to the
    highest), the middle half (a thick bar from the lower to the upper quartile) and the
    median (a diamond), from :func:`assess.core.portfolio.area_spread`."""
    titles = [html.escape(str(a["title"]), quote=False) for a in spread]
    hover = [
        "<br>".join(
            [
                f"<b>{t}</b>",
                f"clients: {a['clients']}",
                f"median: {_fmt(a['median'])}",
                f"middle half: {_fmt(a['q1'])} – {_fmt(a['q3'])}",
                f"range: {_fmt(a['min'])} – {_fmt(a['max'])}",
            ]
        )
        for t, a in zip(titles, spread, strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[a["max"] - a["min"] for a in spread],
            base=[a["min"] for a in spread],
            y=titles,
            orientation="h",
            name="Lowest to highest",
            width=0.18,
            marker={"color": TARGET_COLOR, "line": {"width": 0}},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=[a["q3"] - a["q1"] for a in spread],
            base=[a["q1"] for a in spread],
            y=titles,
            orientation="h",
            name="Middle half of clients",
            width=0.5,
            marker={
                "color": "rgba(31, 59, 115, 0.35)",
                "line": {"color": CURRENT_COLOR, "width": 1},
            },
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[a["median"] for a in spread],
            y=titles,
            mode="markers",
            name="Median",
            marker={
                "symbol": "diamond",
                "size": 13,
                "color": CURRENT_COLOR,
                "line": {"color": "white", "width": 1},
            },
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(
        title={"text": "Area score (0–5)"},
        range=[0, MAX_LEVEL],
        tickmode="array",
        tickvals=list(LEVELS),
        gridcolor=GRID_COLOR,
        zeroline=True,
        zerolinecolor=AXIS_COLOR,
    )
    fig.update_yaxes(autorange="reversed", automargin=True, ticksuffix="  ")
    _layout(
        fig,
        title,
        height=max(420, 130 + 48 * len(spread)),
        width=900,
        margin={"t": 110, "b": 70, "l": 40, "r": 60},
    )
    fig.update_layout(barmode="overlay", bargap=0.3)
    return fig
