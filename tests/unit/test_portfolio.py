"""The portfolio's pure rules: due dates, each row's columns, the query, the spread, the
verified difference, its charts."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.core import portfolio, portfolio_charts
from assess.core.history import _example_questionnaire
from assess.core.portfolio import Client, PortfolioQuery, Submission, add_months
from assess.core.questionnaire import get_questionnaire
from assess.core.scoring import Answer, answers_frame, overall_scores, score_areas

TODAY = date(2026, 12, 1)


def sub(aid, when, score, areas, qhash="h1"):
    return Submission(
        id=aid,
        submitted_at=when,
        questionnaire_hash=qhash,
        questionnaire_id="ciso-nine-areas",
        questionnaire_version="2.0",
        overall={"score": score, "level": int(score), "label": "x"},
        area_scores=dict(areas),
        largest_gap=portfolio.largest_gap(
            [{"id": k, "title": k.upper(), "score": v, "gap": max(3 - v, 0)} for k, v in areas]
        ),
    )


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.sampled_from((3, 6, 12))
)
def test_is_the_due_date_after_the_submission_by_the_cadence(day, months):
    due = add_months(day, months)
    assert due > day
    assert (due.year - day.year) * 12 + due.month - day.month == months
    assert due.day == day.day or due.day < day.day  # the 31st becomes the month's last day


def test_is_a_client_never_assessed_its_own_state():
    row = portfolio.portfolio_row(Client(1, "Never", "owner"), TODAY)
    assert row["state"] == "never_assessed"
    assert row["next_due"] is None and row["overdue"] is False and row["score"] is None
    assert row["open_plan_items"] is None and row["overdue_plan_items"] is None


def test_is_a_client_overdue_the_day_after_its_due_date():
    latest = sub(1, datetime(2026, 5, 31, 10), 2.0, [("a", 2.0)])
    on_time = portfolio.portfolio_row(Client(1, "C", "owner", 6, latest), date(2026, 11, 30))
    late = portfolio.portfolio_row(Client(1, "C", "owner", 6, latest), date(2026, 12, 1))
    assert on_time["next_due"] == "2026-11-30" and on_time["overdue"] is False
    assert late["overdue"] is True and late["state"] == "overdue"


def test_are_change_and_regression_read_on_the_same_questionnaire_only():
    previous = sub(1, datetime(2026, 1, 1), 2.0, [("a", 2.0), ("b", 3.0)])
    latest = sub(2, datetime(2026, 6, 1), 2.25, [("a", 2.5), ("b", 2.0)])
    row = portfolio.portfolio_row(
        Client(1, "C", "owner", 12, latest, portfolio.baseline(previous)), TODAY
    )
    assert row["change"] == 0.25 and row["change_reason"] is None
    assert row["regressed"] is True and row["regressed_areas"] == ["b"]
    assert row["largest_gap"] == {"area": "b", "title": "B", "gap": 1.0}
    other = sub(1, datetime(2026, 1, 1), 2.0, [("a", 2.0), ("b", 3.0)], qhash="quick")
    row = portfolio.portfolio_row(
        Client(1, "C", "owner", 12, latest, portfolio.baseline(other)), TODAY
    )
    assert row["change"] is None and row["change_reason"] == "different_questionnaire"
    assert row["regressed"] is None
    first = portfolio.portfolio_row(Client(1, "C", "owner", 12, latest), TODAY)
    assert first["change_reason"] == "no_previous"


def test_are_bad_query_parameters_named_and_replaced_by_defaults():
    query, errors = portfolio.parse_query(
        {"sort": "nope", "order": "up", "filter": "late", "page": "0", "per_page": "201"}
    )
    assert query == PortfolioQuery()
    assert set(errors) == {"sort", "order", "filter", "page", "per_page"}
    query, errors = portfolio.parse_query({"sort": "due", "order": "desc", "per_page": "200"})
    assert errors == {} and query.sort == "due" and query.per_page == 200
    assert portfolio.parse_query({"page": "-1"})[1] == {
        "page": "page must be a whole number from 1."
    }


ROWS = [
    {
        "id": 1,
        "name": "Beta",
        "score": 2.0,
        "overdue": True,
        "regressed": False,
        "state": "overdue",
    },
    {
        "id": 2,
        "name": "alpha",
        "score": None,
        "overdue": False,
        "regressed": None,
        "state": "never_assessed",
    },
    {
        "id": 3,
        "name": "Gamma",
        "score": 3.0,
        "overdue": False,
        "regressed": True,
        "state": "current",
    },
]


@pytest.mark.parametrize(
    ("args", "names", "total"),
    [
        ({}, ["alpha", "Beta", "Gamma"], 3),
        ({"sort": "score"}, ["Beta", "Gamma", "alpha"], 3),
        ({"sort": "score", "order": "desc"}, ["Gamma", "Beta", "alpha"], 3),
        ({"filter": "overdue"}, ["Beta"], 1),
        ({"filter": "regressed"}, ["Gamma"], 1),
        ({"filter": "never_assessed"}, ["alpha"], 1),
        ({"q": "AM"}, ["Gamma"], 1),
        ({"per_page": "2", "page": "2"}, ["Gamma"], 3),
        ({"per_page": "2", "page": "9"}, [], 3),
    ],
)
def test_does_the_query_filter_search_sort_and_page(args, names, total):
    query, errors = portfolio.parse_query(args)
    assert errors == {}
    page, count = portfolio.select_rows(ROWS, query)
    assert [r["name"] for r in page] == names and count == total


def test_are_the_counts_of_each_state_right():
    assert portfolio.counts(ROWS) == {"total": 3, "overdue": 1, "regressed": 1, "never_assessed": 1}


def test_is_the_spread_across_clients_their_quartiles():
    clients = [
        Client(i, f"C{i}", "owner", latest=sub(i, datetime(2026, 1, 1), v, [("a", v)]))
        for i, v in enumerate((0.0, 1.0, 2.0, 3.0, 4.0))
    ] + [Client(9, "never", "owner")]
    (area,) = portfolio.area_spread(clients, {"a": "Area A"})
    assert area["title"] == "Area A"
    assert (area["clients"], area["min"], area["q1"], area["median"], area["q3"], area["max"]) == (
        5,
        0.0,
        1.0,
        2.0,
        3.0,
        4.0,
    )


def test_is_the_verified_difference_zero_when_the_auditor_agrees():
    q = get_questionnaire("ciso-nine-areas-quick")
    answers = {qid: Answer("level", 3) for qid in q.questions}
    first = next(iter(q.questions))
    assert portfolio.verified_difference(q, answers, {}) is None
    assert portfolio.verified_difference(q, answers, {first: 3}) == 0.0
    lower = portfolio.verified_difference(q, answers, {first: 0})
    assert lower is not None and lower < 0


def test_does_the_verified_difference_score_as_scoring_does():
    q = _example_questionnaire()
    answers = {
        "red.one": Answer("level", 4),
        "red.two": Answer("unknown"),
        "blue.one": Answer("na"),
    }
    verified = {"red.two": 2}
    checked = {**answers, "red.two": Answer("level", 2)}

    def overall(given):
        return overall_scores(score_areas(answers_frame(q, given)))["score"].iloc[0]

    expected = round(overall(checked) - overall(answers), 2)
    assert portfolio.verified_difference(q, answers, verified) == expected


def test_do_the_charts_draw_every_assessed_client_and_every_area():
    rows = [
        portfolio.portfolio_row(
            Client(
                i,
                f"Client <{i}>",
                "owner",
                12,
                sub(i, datetime(2025, 1, 1), 1.0 + i, [("a", 1.0 + i)]),
            ),
            TODAY,
        )
        for i in range(3)
    ] + [portfolio.portfolio_row(Client(7, "Never", "owner"), TODAY)]
    fig = portfolio_charts.client_scores(rows)
    (bars,) = fig["data"]
    assert bars["x"] == [3.0, 2.0, 1.0]
    assert bars["y"] == ["Client &lt;2&gt;", "Client &lt;1&gt;", "Client &lt;0&gt;"]
    assert "1 not assessed yet" in fig["layout"]["title"]["text"]
    assert all(t.endswith("overdue") for t in bars["text"])  # submitted 2025-01-01, 12 months
    spread = portfolio.area_spread(
        [
            Client(i, "c", "owner", latest=sub(i, datetime(2026, 1, 1), v, [("a", v)]))
            for i, v in enumerate((1.0, 2.0))
        ]
    )
    fig = portfolio_charts.area_spread(spread)
    assert [t["name"] for t in fig["data"]] == [
        "Lowest to highest",
        "Middle half of clients",
        "Median",
    ]
    assert fig["data"][2]["x"] == [1.5]


def _chart_inputs():
    rows = [
        portfolio.portfolio_row(
            Client(
                i,
                f"Client <b>{i}</b> & co",
                "owner",
                (3, 6, 12)[i % 3],
                sub(i, datetime(2025, 6 + i % 6, 1), 0.5 + i / 4, [("a", 1.0 + i / 7), ("b", 4.1)]),
            ),
            TODAY,
        )
        for i in range(12)
    ] + [portfolio.portfolio_row(Client(99, "Never <i>", "owner"), TODAY)]
    clients = [
        Client(i, "c", "owner", latest=sub(i, datetime(2026, 1, 1), v, [("a", v), ("b<c", 5 - v)]))
        for i, v in enumerate((1.0, 2.25, 3.5, 0.0))
    ]
    return rows, portfolio.area_spread(clients, {"a": "Alpha & <Omega>"})


@pytest.mark.parametrize("empty", [False, True])
def test_are_the_chart_specs_exactly_what_plotly_makes_of_them(empty):
    """The specs skip Plotly's validation: passed through go.Figure (which validates and
    coerces every property), they must come out unchanged, so the page draws and kaleido
    renders the same figure a validated one would be."""
    import json

    import plotly.graph_objects as go

    rows, spread = ([], []) if empty else _chart_inputs()
    for spec in (portfolio_charts.client_scores(rows), portfolio_charts.area_spread(spread)):
        mine = json.loads(portfolio_charts.figure_json(spec))
        validated = go.Figure(spec)
        assert mine == json.loads(validated.to_json())
        assert (
            mine["layout"]["template"]
            == json.loads(go.Figure(layout={"template": "plotly_white"}).to_json())["layout"][
                "template"
            ]
        )
