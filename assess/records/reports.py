"""What the PDF reports show, read from the records: one assessment with its answers and
reviews, or an organization's history. :mod:`assess.outputs.report_views` lays them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from assess.core import comparison
from assess.core.questionnaire import Questionnaire
from assess.core.results import Results
from assess.records.answers import answers_of
from assess.records.assessments import results_document
from assess.records.attestations import attestations_of
from assess.records.history import history_snapshots, trend_points
from assess.records.models import Assessment, Organization, Review
from assess.records.plan import progress_of
from assess.records.plan_documents import plan_rows
from assess.records.questionnaires import questionnaire_for
from assess.records.reviews import reviews_of


@dataclass(frozen=True)
class AssessmentReportData:
    """The arguments of :func:`assess.outputs.report_views.assessment_report_context`, and
    whether the assessment is still a draft."""

    results: Results
    organization: str
    answers: dict[str, Any]
    questionnaire: Questionnaire
    reviews: dict[str, Review]
    date: date
    draft: bool
    #: The auditors' sign-offs, oldest first: ``{statement, by, at}`` (``at`` a datetime).
    attestations: list[dict[str, Any]]


def assessment_report_data(assessment: Assessment) -> AssessmentReportData:
    """One assessment's report: its results (as stored, once submitted), answers, the
    current reviews and the sign-offs."""
    return AssessmentReportData(
        results=results_document(assessment),
        organization=assessment.organization.name,
        answers=answers_of(assessment),
        questionnaire=questionnaire_for(assessment),
        reviews=reviews_of(assessment),
        date=(assessment.submitted_at or assessment.updated_at).date(),
        draft=not assessment.locked,
        attestations=[
            {
                "statement": a.statement,
                "by": a.attested_by.email if a.attested_by else "a former member",
                "at": a.created_at,
            }
            for a in attestations_of(assessment)
        ],
    )


def organization_report_data(org: Organization) -> dict[str, Any]:
    """The organization report's context: its trend, the last two submissions compared,
    the last recommendation, and the action plan. The trend comes from the scores rows and
    only the last two submissions are read whole, so its cost barely grows with history."""
    snapshots = history_snapshots(org, last=2)
    context: dict[str, Any] = {
        "organization": org.name,
        "history": trend_points(org),
        "comparison": None,
        "recommendation": None,
    }
    if len(snapshots) >= 2:
        a, b = snapshots[-2], snapshots[-1]
        result = comparison.compare(a, b)
        context["comparison"] = {
            "from_label": a.label,
            "to_label": b.label,
            "overall_from": result["overall"]["from"],
            "overall_to": result["overall"]["to"],
            "areas": result["areas"],
        }
    if snapshots:
        context["recommendation"] = snapshots[-1].results.recommendation
    context["plan"] = {"progress": progress_of(org).text, "items": plan_rows(org)}
    return context
