"""Charts: Plotly figures from plain result data. No Flask, no database, no file I/O.

Every builder takes a list of area mappings with the keys of
:class:`assess.core.results.AreaScore` (``[a.model_dump() for a in results.areas]``; or, for
:func:`trend`, a list of points per assessment) and returns a ``plotly.graph_objects.Figure``.
The web pages draw ``figure_json(fig)`` with ``Plotly.newPlot`` from a static script; exports
hand the same figure to kaleido. Figures carry a fixed export size in ``layout.width`` and
``layout.height``; a responsive page should drop ``layout.width`` (keep the height) and pass
``{responsive: true}``.

Print rules: every series differs by luminance *and* by dash pattern or marker, so a grayscale
printout still tells them apart; fonts are at least 12 px; margins leave room for full area titles.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from assess.core.scoring import shown_score

#: Current assessment: dark blue, solid line, filled (grayscale luminance about 55).
CURRENT_COLOR = "#1f3b73"
CURRENT_FILL = "rgba(31, 59, 115, 0.25)"
#: Target: light-to-mid grey, dashed line, light fill (luminance about 165).
TARGET_COLOR = "#a3a3a3"
TARGET_FILL = "rgba(163, 163, 163, 0.15)"
#: Previous or "from" assessment: burnt orange, dotted line, square markers (luminance about 115).
PREVIOUS_COLOR = "#c0621a"
#: Overall line in the trend chart.
OVERALL_COLOR = "#111111"
#: One colour, dash and marker per area in the trend chart. Colours are Okabe–Ito (colour-blind
#: safe) without the yellow that vanishes on white paper; dashes and markers carry the difference
#: in grayscale.
AREA_COLORS = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#e69f00",
    "#7f4f24",
    "#6a3d9a",
    "#808080",
)
AREA_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
AREA_SYMBOLS = (  # no circle: that is Overall's
    "square",
    "diamond",
    "triangle-up",
    "x",
    "triangle-down",
    "cross",
    "star",
    "pentagon",
    "hexagon",
)
GRID_COLOR = "#d9d9d9"
AXIS_COLOR = "#555555"
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
FONT_SIZE = 13
MAX_LEVEL = 5
#: A trend longer than this draws at most this many markers per line and this many labelled
#: ticks (evenly spread, the latest always among them): two hundred submissions would
#: otherwise be thousands of SVG shapes that no reader can tell apart, and slow every PDF.
TREND_MARKS = 24
LEVELS = tuple(range(MAX_LEVEL + 1))

#: How an answer without a level reads, in running text (hovers, counts). The one wording of
#: the app: assess.outputs.presentation capitalizes these for labels ("Don't know").
NOT_ANSWERED = "not answered"
DONT_KNOW = "don't know"
NOT_APPLICABLE = "not applicable"


# --------------------------------------------------------------------------- helpers


def _fmt(value: float | None) -> str:
    """One decimal, rounded down as every score is shown (:func:`shown_score`);
    ``not answered`` for None."""
    return NOT_ANSWERED if _missing(value) else f"{shown_score(value):.1f}"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _wrap(text: str, width: int = 16) -> str:
    """Break a label into lines of about ``width`` characters, joined with ``<br>``.

    >>> _wrap("Continuity and recovery")
    'Continuity and<br>recovery'
    """
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines) or text


def _add_note(notes: dict[str, str], area_id: str, note: str) -> None:
    notes[area_id] = f"{notes[area_id]}<br>{note}" if area_id in notes else note


def _closed(values: list[Any]) -> list[Any]:
    """Repeat the first point so the polygon closes."""
    return [*values, values[0]] if values else values


def _counts(area: Mapping[str, Any]) -> str:
    """'answered 3 of 5 (1 don't know, 1 not applicable)' for hovers; '' without counts."""
    if "answered" not in area or "total" not in area:
        return ""
    text = f"answered {area['answered']} of {area['total']}"
    extra = []
    if area.get("unknown"):
        extra.append(f"{area['unknown']} {DONT_KNOW}")
    if area.get("na"):
        extra.append(f"{area['na']} {NOT_APPLICABLE}")
    return text + (f" ({', '.join(extra)})" if extra else "")


def _layout(
    fig: go.Figure,
    title: str,
    *,
    height: int = 650,
    width: int = 900,
    margin: Mapping[str, int] | None = None,
) -> go.Figure:
    """Print-friendly defaults shared by every figure: white, readable, fixed export size.

    By default the legend sits in one row under the title (radars and the trend move it);
    margins leave room for long labels. ``width`` and ``height`` are the export size.
    """
    fig.update_layout(
        template="plotly_white",
        title={
            "text": title,
            "x": 0.02,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 20, "color": "#111111"},
        },
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": "#222222"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.935,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": FONT_SIZE},
            "bgcolor": "rgba(255, 255, 255, 0.9)",
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": FONT_SIZE}},
        margin=dict(margin or {"t": 110, "b": 60, "l": 110, "r": 110}),
        width=width,
        height=height,
        autosize=True,
    )
    return fig


def _polar_layout(
    fig: go.Figure,
    spokes: Sequence[str],
    titles: Mapping[str, str],
    notes: Mapping[str, str] | None = None,
) -> None:
    """Angular axis: one spoke per area id, labelled with the full (wrapped) title and an
    optional italic note under it (e.g. "not answered"), so a printout says what hover says.
    """
    notes = notes or {}
    ticktext = [
        _wrap(titles[a]) + (f"<br><i>{notes[a]}</i>" if notes.get(a) else "") for a in spokes
    ]
    # Between the first two spokes (clockwise from the top), so tick labels sit on no line.
    radial_angle = 90 - 180 / max(len(spokes), 1)
    fig.update_layout(
        polar={
            "bgcolor": "white",
            "angularaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": list(spokes),
                "tickmode": "array",
                "tickvals": list(spokes),
                "ticktext": ticktext,
                "direction": "clockwise",
                "rotation": 90,
                "tickfont": {"size": FONT_SIZE},
                "gridcolor": GRID_COLOR,
                "linecolor": AXIS_COLOR,
            },
            "radialaxis": {
                "range": [0, MAX_LEVEL],
                "tickmode": "array",
                "tickvals": list(LEVELS),
                "ticktext": [str(level) for level in LEVELS],
                "angle": radial_angle,
                # Tick labels turn with the axis unless tickangle equals its angle.
                "tickangle": radial_angle,
                "tickfont": {"size": 12, "color": AXIS_COLOR},
                "gridcolor": GRID_COLOR,
                "linecolor": GRID_COLOR,
                "showline": True,
            },
        }
    )


def _polar_legend(fig: go.Figure) -> go.Figure:
    """Legend stacked in the top right corner, clear of the top spoke's label."""
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.98,
            "xanchor": "right",
            "xref": "container",
            "y": 0.935,
            "yanchor": "top",
            "yref": "container",
        }
    )
    return fig


def _area_trace(
    areas: Iterable[Mapping[str, Any]],
    spokes: Sequence[str],
    *,
    name: str,
    key: str,
    line: Mapping[str, Any],
    marker: Mapping[str, Any],
    fill: str | None,
) -> go.Scatterpolar:
    """One closed polygon over the ``spokes`` using each area's ``key`` ("score" or "target").

    A None value plots as 0 (the hover says "not answered"). An area absent from ``areas``
    breaks an unfilled line; a filled polygon goes straight past it instead, because Plotly
    draws no fill at all for a trace with gaps.
    """
    by_id = {a["id"]: a for a in areas}
    points: list[tuple[str, float | None, str]] = []
    for area_id in spokes:
        a = by_id.get(area_id)
        if a is None:
            if not fill:
                points.append((area_id, None, ""))
            continue
        value = a.get(key)
        lines = [f"<b>{a['title']}</b>", f"{name}: {_fmt(value)}"]
        if key == "score":
            if not _missing(a.get("target")):
                lines.append(f"target: {_fmt(a['target'])}")
            counts = _counts(a)
            if counts:
                lines.append(counts)
        points.append((area_id, 0.0 if _missing(value) else float(value), "<br>".join(lines)))
    points = _closed(points)
    return go.Scatterpolar(
        r=[p[1] for p in points],
        theta=[p[0] for p in points],
        customdata=[p[2] for p in points],
        hovertemplate="%{customdata}<extra></extra>",
        name=name,
        mode="lines+markers",
        line=dict(line),
        marker=dict(marker),
        fill="toself" if fill else "none",
        fillcolor=fill,
        connectgaps=False,
    )


def _current_style() -> dict[str, Any]:
    return {
        "line": {"color": CURRENT_COLOR, "width": 3, "dash": "solid"},
        "marker": {"color": CURRENT_COLOR, "size": 8, "symbol": "circle"},
        "fill": CURRENT_FILL,
    }


def _previous_style() -> dict[str, Any]:
    return {
        "line": {"color": PREVIOUS_COLOR, "width": 3, "dash": "dot"},
        "marker": {"color": PREVIOUS_COLOR, "size": 8, "symbol": "square"},
        "fill": None,
    }


# --------------------------------------------------------------------------- figures


def radar(
    areas: Sequence[Mapping[str, Any]],
    *,
    previous: Sequence[Mapping[str, Any]] | None = None,
    previous_label: str = "Previous",
    current_label: str = "Current",
    title: str = "Maturity by area: current against target",
) -> go.Figure:
    """Radar of area scores against targets, optionally with an earlier assessment.

    Traces in drawing order: Target (dashed, light fill), Previous (dotted; areas matched by id,
    its line breaks at areas it lacks), Current (solid, filled). An unanswered area plots at 0;
    its hover and its axis label say "not answered". Polygons are closed (first point repeated).

    >>> areas = [
    ...     {"id": "a", "title": "Alpha", "score": 2.0, "target": 3.0},
    ...     {"id": "b", "title": "Beta", "score": None, "target": 3.0},
    ...     {"id": "c", "title": "Gamma", "score": 4.5, "target": 4.0},
    ... ]
    >>> fig = radar(areas)
    >>> [t.name for t in fig.data], list(fig.data[1].r)
    (['Target', 'Current'], [2.0, 0.0, 4.5, 2.0])
    """
    spokes = [a["id"] for a in areas]
    titles = {a["id"]: a["title"] for a in areas}
    notes = {a["id"]: NOT_ANSWERED for a in areas if _missing(a.get("score"))}
    fig = go.Figure()
    fig.add_trace(
        _area_trace(
            areas,
            spokes,
            name="Target",
            key="target",
            line={"color": TARGET_COLOR, "width": 2.5, "dash": "dash"},
            marker={"color": TARGET_COLOR, "size": 7, "symbol": "diamond"},
            fill=TARGET_FILL,
        )
    )
    if previous is not None:
        by_id = {a["id"]: a for a in previous}
        matched = [{**by_id[i], "title": titles[i]} for i in spokes if i in by_id]
        for i in spokes:
            if i not in by_id:
                _add_note(notes, i, f"not in {previous_label}")
            elif _missing(by_id[i].get("score")):
                _add_note(notes, i, f"{NOT_ANSWERED} in {previous_label}")
        fig.add_trace(
            _area_trace(matched, spokes, name=previous_label, key="score", **_previous_style())
        )
    fig.add_trace(_area_trace(areas, spokes, name=current_label, key="score", **_current_style()))
    _polar_layout(fig, spokes, titles, notes)
    return _polar_legend(_layout(fig, title, height=650, width=900))


def comparison_radar(
    from_areas: Sequence[Mapping[str, Any]],
    to_areas: Sequence[Mapping[str, Any]],
    *,
    from_label: str,
    to_label: str,
    title: str = "Maturity by area: two assessments compared",
) -> go.Figure:
    """Two assessments on one radar, areas matched by id: ``from`` dotted, then ``to`` solid.

    Spokes are the union of both sides' areas (``to`` order, then areas only in ``from``). An
    area on one side only is plotted on that side; its axis label says "only in <label>".

    >>> a = [{"id": "x", "title": "X", "score": 1.0}, {"id": "y", "title": "Y", "score": 2.0}]
    >>> b = [{"id": "y", "title": "Y", "score": 3.0}, {"id": "z", "title": "Z", "score": 4.0}]
    >>> fig = comparison_radar(a, b, from_label="March", to_label="June")
    >>> [t.name for t in fig.data], list(fig.layout.polar.angularaxis.categoryarray)
    (['March', 'June'], ['y', 'z', 'x'])
    """
    titles: dict[str, str] = {a["id"]: a["title"] for a in from_areas}
    titles.update({a["id"]: a["title"] for a in to_areas})
    from_ids = {a["id"] for a in from_areas}
    to_ids = {a["id"] for a in to_areas}
    spokes = [a["id"] for a in to_areas]
    spokes += [a["id"] for a in from_areas if a["id"] not in to_ids]
    notes: dict[str, str] = {}
    for i in spokes:
        if i not in from_ids:
            _add_note(notes, i, f"only in {to_label}")
        elif i not in to_ids:
            _add_note(notes, i, f"only in {from_label}")
    for label, side in ((from_label, from_areas), (to_label, to_areas)):
        for a in side:
            if _missing(a.get("score")):
                _add_note(notes, a["id"], f"{NOT_ANSWERED} in {label}")
    fig = go.Figure()
    fig.add_trace(
        _area_trace(from_areas, spokes, name=from_label, key="score", **_previous_style())
    )
    fig.add_trace(_area_trace(to_areas, spokes, name=to_label, key="score", **_current_style()))
    _polar_layout(fig, spokes, titles, notes)
    return _polar_legend(_layout(fig, title, height=650, width=900))


def gap_bars(
    areas: Sequence[Mapping[str, Any]], *, title: str = "Gap to target by area"
) -> go.Figure:
    """Horizontal bars of the gap to target per area, largest gap on top.

    Each bar is labelled "score → target" (e.g. "2.1 → 3.0", "(target met)" at gap 0). An
    unanswered area has gap 0, comes after the answered ones and is labelled
    "not answered (target 3.0)". Ties keep the input order.
    """

    def gap_of(area: Mapping[str, Any]) -> float:
        if _missing(area.get("score")):
            return 0.0
        gap = area.get("gap")
        if _missing(gap):
            gap = max(float(area["target"]) - float(area["score"]), 0.0)
        return float(gap)

    # Largest gap first; unanswered areas (gap 0) after answered ones; ties keep input order.
    rows = sorted(areas, key=lambda a: (-gap_of(a), _missing(a.get("score"))))
    gaps = [gap_of(a) for a in rows]
    labels = []
    hover = []
    for a, gap in zip(rows, gaps, strict=True):
        score, target = a.get("score"), a.get("target")
        if _missing(score):
            label = f"{NOT_ANSWERED} (target {_fmt(target)})"
        else:
            label = f"{_fmt(score)} → {_fmt(target)}" + (" (target met)" if gap == 0 else "")
        labels.append(label)
        lines = [
            f"<b>{a['title']}</b>",
            f"score: {_fmt(score)}",
            f"target: {_fmt(target)}",
            f"gap: {max(shown_score(target) - shown_score(score), 0.0):.1f}"
            if not _missing(score)
            else f"gap: {NOT_ANSWERED}",
        ]
        counts = _counts(a)
        if counts:
            lines.append(counts)
        hover.append("<br>".join(lines))
    fig = go.Figure(
        go.Bar(
            x=gaps,
            y=[a["title"] for a in rows],
            orientation="h",
            name="Levels below target",
            marker={"color": CURRENT_COLOR, "line": {"color": CURRENT_COLOR, "width": 1}},
            text=labels,
            textposition="outside",
            textfont={"size": FONT_SIZE, "color": "#222222"},
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    top = max([MAX_LEVEL, *gaps])
    fig.update_xaxes(
        title={"text": "Levels below target"},
        range=[0, top],
        tickmode="array",
        tickvals=list(range(math.ceil(top) + 1)),
        gridcolor=GRID_COLOR,
        zeroline=True,
        zerolinecolor=AXIS_COLOR,
    )
    fig.update_yaxes(autorange="reversed", automargin=True, ticksuffix="  ")
    _layout(
        fig,
        title,
        height=max(420, 110 + 48 * len(rows)),
        width=900,
        margin={"t": 70, "b": 70, "l": 40, "r": 190},
    )
    fig.update_layout(showlegend=False, bargap=0.35)
    return fig


def trend(points: Sequence[Mapping[str, Any]], *, title: str = "Maturity over time") -> go.Figure:
    """Overall and per-area scores across assessments, oldest first.

    One bold Overall line (drawn last, on top) and a thinner line per area named by its title;
    each area has its own colour, dash and marker. An unanswered or absent area leaves a gap.
    The x axis is the assessment date with one tick per assessment, labelled by ``label``.
    """
    xs = [p.get("date") or p["label"] for p in points]
    labels = [p["label"] for p in points]
    area_ids: list[str] = []
    titles: dict[str, str] = {}
    for p in points:
        for area_id in p.get("areas", {}):
            if area_id not in titles:
                area_ids.append(area_id)
            titles[area_id] = p.get("area_titles", {}).get(area_id) or titles.get(area_id, area_id)
    fig = go.Figure()
    # Plotly's maxdisplayed: 0 is every marker; a long trend draws an even subset.
    shown = 0 if len(points) <= TREND_MARKS else TREND_MARKS
    ticks = _spread(len(points), TREND_MARKS)
    for i, area_id in enumerate(area_ids):
        ys = [p.get("areas", {}).get(area_id) for p in points]
        ys = [None if _missing(y) else float(y) for y in ys]
        color = AREA_COLORS[i % len(AREA_COLORS)]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name=titles[area_id],
                mode="lines+markers",
                line={"color": color, "width": 2, "dash": AREA_DASHES[i % len(AREA_DASHES)]},
                marker={
                    "color": color,
                    "size": 8,
                    "symbol": AREA_SYMBOLS[i % len(AREA_SYMBOLS)],
                    "maxdisplayed": shown,
                },
                customdata=labels,
                text=[_fmt(y) for y in ys],
                hovertemplate="%{customdata}: %{text}<extra>%{fullData.name}</extra>",
                connectgaps=False,
                legendrank=1010 + i,
            )
        )
    overall = [None if _missing(p.get("overall")) else float(p["overall"]) for p in points]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=overall,
            name="Overall",
            mode="lines+markers",
            line={"color": OVERALL_COLOR, "width": 5, "dash": "solid"},
            marker={"color": OVERALL_COLOR, "size": 12, "symbol": "circle", "maxdisplayed": shown},
            customdata=labels,
            text=[_fmt(y) for y in overall],
            hovertemplate="%{customdata}: %{text}<extra>Overall</extra>",
            connectgaps=False,
            legendrank=1000,
        )
    )
    fig.update_yaxes(
        title={"text": "Maturity level (0–5)"},
        range=[-0.15, MAX_LEVEL + 0.15],
        tickmode="array",
        tickvals=list(LEVELS),
        gridcolor=GRID_COLOR,
        zeroline=False,
    )
    fig.update_xaxes(
        title={"text": "Assessment"},
        tickmode="array",
        tickvals=[xs[i] for i in ticks],
        ticktext=[labels[i] for i in ticks],
        gridcolor=GRID_COLOR,
        automargin=True,
    )
    _layout(fig, title, height=650, width=1000, margin={"t": 80, "b": 70, "l": 80, "r": 40})
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 1.02,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "yref": "paper",
            "traceorder": "normal",
        },
        hovermode="closest",
    )
    return fig


def _spread(count: int, most: int) -> list[int]:
    """Indexes of at most ``most`` of ``count`` items, evenly spread, first and last included.

    >>> _spread(3, 24), _spread(7, 3), _spread(200, 5)
    ([0, 1, 2], [0, 3, 6], [0, 50, 100, 149, 199])
    """
    if count <= most:
        return list(range(count))
    if most <= 1:
        return [count - 1]
    return sorted({round(k * (count - 1) / (most - 1)) for k in range(most)})


def figure_json(fig: go.Figure) -> str:
    """The figure as Plotly JSON (``{"data": ..., "layout": ...}``) for ``Plotly.newPlot``."""
    return fig.to_json()
