"""The report views: what the PDF reports show, as plain data, built without a browser."""

from __future__ import annotations

from markupsafe import Markup

from assess.outputs import report_views
from assess.outputs.presentation import VERDICTS, fmt_money


def no_svg(fig, label):
    """Charts as a placeholder: the views are built without a browser."""
    return Markup("<svg aria-label='{}'></svg>").format(label)


def test_does_the_context_hold_every_answer_in_questionnaire_order(report, report_context):
    questionnaire = report.result.questionnaire
    rows = report_context["answers"]
    assert [r["question"] for r in rows] == list(questionnaire.questions)
    by_id = {r["question"]: r for r in rows}
    assert by_id["program-oversight.accountable-owner"]["answer"] == "Level 2 — Repeatable"
    assert by_id["program-oversight.accountable-owner"]["note"].startswith("Our IT manager")
    assert by_id["vendor-relationships.provider-performance"]["answer"] == "Not applicable"
    assert by_id["program-oversight.secure-configuration"]["answer"] == "Don't know"
    assert by_id["program-oversight.policies"]["verified"] == "Level 1 — Initial"
    assert by_id["program-oversight.policies"]["comment"] == "Only drafts were shown."
    assert by_id["program-oversight.policies"]["confirmed"] is False  # answered 2, verified 1
    assert by_id["continuity-recovery.backups-automatic"]["verified"] == "not rated"
    assert by_id["program-oversight.roadmap"]["reviewed"] is False
    assert report_context["questionnaire"]["id"] == questionnaire.id
    assert report_context["questionnaire"]["hash"] == questionnaire.content_hash
    assert report_context["recommendation"].hire in VERDICTS
    assert report_context["date"] == "2026-11-27"


def test_does_the_assessment_view_show_the_typed_results(report_context):
    """Is every figure of the view read from the results contract?"""
    results = report_context["results"]
    view = report_views.assessment_view(report_context, "A4", no_svg)
    assert view["overall"]["score"] == results.overall.score
    assert view["overall"]["meaning"].startswith("a first concrete step")
    assert [a.title for a in view["largest_gaps"]] == [
        "Vendor relationships",
        "Continuity and recovery",
        "Stakeholder reporting",
    ]
    assert view["unknown"] == 3 and view["questions"] == 66
    first = results.roadmap[0]
    assert first.essential  # essential safeguards below target come first
    assert view["roadmap"][0]["area_title"] == results.area(first.area).title
    rec = view["recommendation"]
    assert rec["verdict"] == VERDICTS[report_context["recommendation"].hire]
    model = report_context["recommendation"]
    assert rec["confidence"] == ""  # a version 2 result has a margin instead
    assert rec["margin"] and rec["affordability"].endswith("revenue.")
    assert [(o["key"], o["annual"], o["chosen"]) for o in rec["options"]] == [
        (o.engagement, fmt_money(o.annual_usd), o.engagement == model.engagement)
        for o in model.costs.options
    ]
    assert [o["key"] for o in rec["options"]] == [
        "basics",
        "fractional",
        "fractional_with_manager",
        "full_time",
    ]
    assert all(any("MDR" in line["what"] for line in o["lines"]) for o in rec["options"])
    by_factor = {r["factor"]: r for r in rec["reasons"]}
    assert by_factor["Headcount"]["weight"].startswith("-")  # 62 people pull toward a vCISO
    assert by_factor["Sensitive data you hold"]["value"].startswith("Personal data")
    assert by_factor["Sensitive data you hold"]["effect"] == "Full-time CISO"
    assert view["radar_svg"].startswith("<svg")


def test_does_the_organization_view_show_the_change_as_printed():
    """1.61 → 1.58 prints as 1.6 and 1.5 (rounded down), so the change reads -0.1, not 0.0."""
    view = report_views.organization_view(
        {
            "organization": "Co",
            "history": [],
            "comparison": {
                "from_label": "Then",
                "to_label": "Now",
                "overall_from": 1.61,
                "overall_to": 1.58,
                "areas": [
                    {"id": "a", "title": "A", "from": 1.61, "to": 1.58, "delta": -0.03},
                    {"id": "b", "title": "B", "from": None, "to": 2.0, "status": "added"},
                ],
            },
        },
        "A4",
        no_svg,
    )
    comparison = view["comparison"]
    assert comparison["overall_delta"] == "-0.1"
    assert [r["delta_text"] for r in comparison["rows"]] == ["-0.1", "–"]
    assert comparison["rows"][1]["note"] == "new in Now"
    assert view["trend_svg"] is None and view["recommendation"] is None


def test_does_a_long_history_list_only_the_latest_rows_and_say_so():
    """200 submissions: the chart draws every one, the table the latest 24 (eight pages of
    rows otherwise), and the printed note says how many are left out and where they are."""
    from datetime import datetime, timedelta

    from assess.core.history import trend_point
    from assess.outputs import pdf

    start = datetime(2020, 1, 1)
    history = [
        trend_point(f"Check {i}", start + timedelta(days=7 * i), i % 5, {"a": 1.0}, {"a": "A"})
        for i in range(1, 201)
    ]
    view = report_views.organization_view({"organization": "Co", "history": history}, "A4", no_svg)
    rows = view["history_rows"]
    assert len(rows) == report_views.HISTORY_ROWS == 24
    assert rows[0]["label"] == "Check 177" and rows[-1]["label"] == "Check 200"
    assert len(view["history"]) == 200
    html = pdf.environment().get_template("report/organization.html").render(**view)
    assert html.count("<tr><td>Check ") == 24 and "Check 176<" not in html
    assert "The table lists the latest 24 of 200 assessments" in html
