"""Charts: the figures carry what the pages, the API and the PDF report rely on."""

from __future__ import annotations

import itertools
import json

import pytest

from assess.core import charts

AREAS = [
    ("program-oversight", "Program oversight"),
    ("business-alignment", "Business alignment"),
    ("stakeholder-reporting", "Stakeholder reporting"),
    ("incident-response", "Incident response"),
    ("continuity-recovery", "Continuity and recovery"),
    ("awareness-training", "Awareness and training"),
    ("security-personnel", "Security personnel"),
    ("vendor-relationships", "Vendor relationships"),
    ("security-budget", "Security budget"),
]
IDS = [area_id for area_id, _ in AREAS]
TITLES = [title for _, title in AREAS]


def make_areas(scores, targets=None):
    """Area dicts shaped like ``Result.to_dict()["areas"]``, built by hand."""
    targets = targets or [3.0] * len(AREAS)
    out = []
    for (area_id, title), score, target in zip(AREAS, scores, targets, strict=True):
        out.append(
            {
                "id": area_id,
                "title": title,
                "weight": 1.0,
                "score": score,
                "target": target,
                "gap": None if score is None else max(target - score, 0.0),
                "answered": 0 if score is None else 4,
                "total": 4,
                "unknown": 0,
                "na": 0,
            }
        )
    return out


SCORES = [2.1, 3.4, 1.2, 0.5, 2.8, 3.9, 1.0, 1.8, 2.5]
TARGETS = [3.0, 3.0, 2.5, 4.0, 3.5, 3.0, 3.0, 3.5, 3.0]


def plain(text: str) -> str:
    """A label as a reader sees it: line breaks and italics flattened."""
    for tag in ("<i>", "</i>"):
        text = text.replace(tag, "")
    return " ".join(text.replace("<br>", " ").split())


def axis_labels(fig) -> list[str]:
    return [plain(t) for t in fig.layout.polar.angularaxis.ticktext]


def trace(fig, name):
    (found,) = [t for t in fig.data if t.name == name]
    return found


# --------------------------------------------------------------------------- radar


def test_radar_draws_target_first_then_current():
    fig = charts.radar(make_areas(SCORES, TARGETS))
    assert [t.name for t in fig.data] == ["Target", "Current"]
    assert fig.data[0].line.dash == "dash"
    assert fig.data[1].line.dash == "solid"
    assert fig.data[1].fill == "toself"


def test_radar_with_previous_draws_target_previous_current_in_that_order():
    fig = charts.radar(
        make_areas(SCORES, TARGETS),
        previous=make_areas([1.0] * 9),
        previous_label="2025-09-01",
        current_label="2026-03-01",
    )
    assert [t.name for t in fig.data] == ["Target", "2025-09-01", "2026-03-01"]
    assert fig.data[1].line.dash == "dot"


def test_radar_polygons_are_closed():
    fig = charts.radar(make_areas(SCORES, TARGETS), previous=make_areas([1.0] * 9))
    for t in fig.data:
        assert len(t.r) == len(t.theta) == len(AREAS) + 1
        assert t.r[0] == t.r[-1]
        assert t.theta[0] == t.theta[-1] == "program-oversight"


def test_radar_plots_scores_and_targets_on_their_spokes():
    fig = charts.radar(make_areas(SCORES, TARGETS))
    assert list(trace(fig, "Current").r) == [*SCORES, SCORES[0]]
    assert list(trace(fig, "Target").r) == [*TARGETS, TARGETS[0]]
    assert list(trace(fig, "Current").theta[:-1]) == IDS


def test_radar_labels_every_spoke_with_the_full_area_title():
    fig = charts.radar(make_areas(SCORES, TARGETS))
    assert list(fig.layout.polar.angularaxis.tickvals) == IDS
    assert axis_labels(fig) == TITLES
    # long titles are wrapped so neighbouring labels do not collide
    assert "<br>" in fig.layout.polar.angularaxis.ticktext[IDS.index("continuity-recovery")]


def test_radar_radial_axis_runs_0_to_5_with_a_label_per_level():
    radial = charts.radar(make_areas(SCORES)).layout.polar.radialaxis
    assert tuple(radial.range) == (0, 5)
    assert list(radial.ticktext) == ["0", "1", "2", "3", "4", "5"]


def test_radar_plots_an_unanswered_area_at_0_and_says_so():
    scores = list(SCORES)
    scores[3] = None
    fig = charts.radar(make_areas(scores, TARGETS))
    current = trace(fig, "Current")
    assert current.r[3] == 0.0
    assert "not answered" in current.customdata[3]
    assert "not answered" not in current.customdata[2]
    assert axis_labels(fig)[3] == "Incident response not answered"


def test_radar_matches_previous_by_id_whatever_its_order():
    previous = make_areas([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5])
    fig = charts.radar(make_areas(SCORES), previous=list(reversed(previous)))
    assert list(trace(fig, "Previous").theta) == [*IDS, IDS[0]]
    assert list(trace(fig, "Previous").r) == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 0.5]


def test_radar_breaks_the_previous_line_where_previous_lacks_an_area():
    previous = [a for a in make_areas([1.0] * 9) if a["id"] != "incident-response"]
    fig = charts.radar(make_areas(SCORES), previous=previous)
    prev = trace(fig, "Previous")
    assert prev.r[IDS.index("incident-response")] is None
    assert prev.connectgaps is False
    assert axis_labels(fig)[3] == "Incident response not in Previous"


def test_radar_hover_shows_score_with_one_decimal_and_the_target():
    fig = charts.radar(make_areas([2.149, *SCORES[1:]], TARGETS))
    hover = trace(fig, "Current").customdata[0]
    assert "Program oversight" in hover
    assert "Current: 2.1" in hover
    assert "target: 3.0" in hover


# --------------------------------------------------------------------------- comparison


def test_comparison_radar_draws_from_then_to():
    fig = charts.comparison_radar(
        make_areas([1.0] * 9), make_areas(SCORES), from_label="March", to_label="June"
    )
    assert [t.name for t in fig.data] == ["March", "June"]
    assert list(trace(fig, "June").r) == [*SCORES, SCORES[0]]
    assert list(trace(fig, "March").r) == [1.0] * 10
    assert axis_labels(fig) == TITLES


def test_comparison_radar_matches_areas_by_id_and_keeps_one_sided_areas():
    older = [a for a in make_areas([1.0] * 9) if a["id"] != "program-oversight"]
    newer = [a for a in make_areas(SCORES) if a["id"] != "security-budget"]
    fig = charts.comparison_radar(list(reversed(older)), newer, from_label="March", to_label="June")
    spokes = list(fig.layout.polar.angularaxis.categoryarray)
    assert sorted(spokes) == sorted(IDS)
    assert spokes[-1] == "security-budget"  # only in "from": appended after "to" order
    june, march = trace(fig, "June"), trace(fig, "March")
    assert "security-budget" not in june.theta
    assert march.r[list(march.theta).index("security-budget")] == 1.0
    assert march.r[list(march.theta).index("program-oversight")] is None
    labels = dict(zip(spokes, axis_labels(fig), strict=True))
    assert labels["program-oversight"] == "Program oversight only in June"
    assert labels["security-budget"] == "Security budget only in March"


# --------------------------------------------------------------------------- gap bars


def test_gap_bars_put_the_largest_gap_on_top():
    areas = make_areas(SCORES, TARGETS)
    fig = charts.gap_bars(areas)
    bars = fig.data[0]
    gaps = list(bars.x)
    assert gaps == sorted(gaps, reverse=True)
    assert bars.y[0] == "Incident response"  # 4.0 - 0.5 = 3.5, the largest
    assert fig.layout.yaxis.autorange == "reversed"  # first category drawn at the top
    assert bars.orientation == "h"
    assert sorted(bars.y) == sorted(TITLES)


def test_gap_bars_label_each_bar_score_to_target():
    fig = charts.gap_bars(make_areas(SCORES, TARGETS))
    labels = dict(zip(fig.data[0].y, fig.data[0].text, strict=True))
    assert labels["Program oversight"] == "2.1 → 3.0"
    assert labels["Business alignment"] == "3.4 → 3.0 (target met)"
    assert "target: 3.0" in fig.data[0].customdata[list(fig.data[0].y).index("Program oversight")]
    assert fig.layout.xaxis.title.text == "Levels below target"
    assert tuple(fig.layout.xaxis.range) == (0, 5)


def test_gap_bars_show_an_unanswered_area_at_0_with_a_note_after_answered_ones():
    scores = list(SCORES)
    scores[6] = None  # security personnel, otherwise the second largest gap
    fig = charts.gap_bars(make_areas(scores, TARGETS))
    bars = fig.data[0]
    assert bars.y[-1] == "Security personnel"
    assert bars.x[-1] == 0
    assert bars.text[-1] == "not answered (target 3.0)"


# --------------------------------------------------------------------------- trend


def point(label, overall, scores):
    return {
        "label": label,
        "date": label,
        "overall": overall,
        "areas": dict(zip(IDS, scores, strict=True)),
        "area_titles": dict(AREAS),
    }


POINTS = [
    point("2025-03-01", 1.2, [1.0] * 9),
    point("2025-09-01", 1.9, [2.0] * 8 + [None]),
    point("2026-03-01", 2.4, SCORES),
]


def test_trend_has_one_line_per_area_and_a_bold_overall():
    fig = charts.trend(POINTS)
    names = [t.name for t in fig.data]
    assert sorted(names) == sorted([*TITLES, "Overall"])
    overall = trace(fig, "Overall")
    assert list(overall.y) == [1.2, 1.9, 2.4]
    assert all(overall.line.width > t.line.width for t in fig.data if t.name != "Overall")
    assert tuple(fig.layout.yaxis.tickvals) == (0, 1, 2, 3, 4, 5)


def test_trend_keeps_an_unanswered_score_as_a_gap():
    fig = charts.trend(POINTS)
    assert list(trace(fig, "Security budget").y) == [1.0, None, 2.5]


def test_trend_lines_differ_without_colour():
    fig = charts.trend(POINTS)
    styles = {(t.line.dash, t.marker.symbol) for t in fig.data}
    assert len(styles) == len(fig.data)


def test_trend_puts_one_labelled_tick_per_assessment():
    fig = charts.trend(POINTS)
    assert list(fig.layout.xaxis.ticktext) == ["2025-03-01", "2025-09-01", "2026-03-01"]


# --------------------------------------------------------------------------- shared


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.radar(make_areas(SCORES)),
        lambda: charts.gap_bars(make_areas(SCORES)),
        lambda: charts.trend(POINTS),
        lambda: charts.comparison_radar(
            make_areas(SCORES), make_areas(SCORES), from_label="a", to_label="b"
        ),
    ],
    ids=["radar", "gap_bars", "trend", "comparison_radar"],
)
def test_figures_are_print_friendly_and_serialize(build):
    fig = build()
    layout = fig.layout
    assert layout.title.text
    assert layout.font.size >= 12
    assert "DejaVu Sans" in layout.font.family
    assert layout.paper_bgcolor == "white"
    assert layout.width and layout.height
    data = json.loads(charts.figure_json(fig))
    assert set(data) >= {"data", "layout"}
    assert len(data["data"]) == len(fig.data)


def test_figure_json_round_trips_the_numbers_as_plain_lists():
    data = json.loads(charts.figure_json(charts.radar(make_areas(SCORES))))
    assert data["data"][1]["r"] == [*SCORES, SCORES[0]]


def test_series_colours_differ_in_grayscale():
    def luminance(hex_colour):
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    values = sorted(
        luminance(c) for c in (charts.CURRENT_COLOR, charts.PREVIOUS_COLOR, charts.TARGET_COLOR)
    )
    assert min(b - a for a, b in itertools.pairwise(values)) > 40


def test_a_long_trend_draws_a_few_markers_and_ticks_but_every_point():
    long = [point(f"{2000 + k // 12}-{k % 12 + 1:02d}-01", 2.0, [1.0] * 9) for k in range(200)]
    fig = charts.trend(long)
    assert len(trace(fig, "Overall").y) == 200  # every submission is on the line
    assert {t.marker.maxdisplayed for t in fig.data} == {charts.TREND_MARKS}
    ticks = list(fig.layout.xaxis.ticktext)
    assert len(ticks) == charts.TREND_MARKS
    assert ticks[0] == long[0]["label"] and ticks[-1] == long[-1]["label"]
    short = charts.trend(POINTS)
    assert {t.marker.maxdisplayed for t in short.data} == {0}  # 0: every marker
