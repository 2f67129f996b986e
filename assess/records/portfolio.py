"""The portfolio of every organization a user belongs to, read in a constant number of queries.

One query reads the organizations with the user's role; one reads each organization's latest
two submitted assessments (``ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY
submitted_at DESC)``, on SQLite and PostgreSQL alike, over an index) with their scores
(:mod:`assess.records.scores`: a few hundred bytes each; the results documents, tens of KB
with the roadmap and the recommendation, are never read); one grouped query counts every
organization's open and overdue plan items (:func:`plan_items`). For the page of rows shown, two more read the auditors'
verified levels and the reviewed answers, and one the questionnaires not yet cached. The
columns themselves are computed by :mod:`assess.core.portfolio`.

Assessments submitted before results were stored (an earlier release) have no scores yet:
they show as assessed without a score until their results are read once (which keeps both).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, String, and_, case, func, select, type_coerce

from assess.core import plan, portfolio
from assess.core.portfolio import Client, PortfolioQuery, Submission
from assess.core.scoring import Answer
from assess.records.database import db
from assess.records.models import (
    Action,
    Assessment,
    AssessmentScores,
    Membership,
    Organization,
    Review,
    utcnow,
)
from assess.records.models import Answer as AnswerRow
from assess.records.questionnaires import questionnaires_by_hash


@dataclass(frozen=True)
class Portfolio:
    """Every client of the user, every row (for filters, counts and charts), and the page."""

    clients: list[Client]
    rows: list[dict[str, Any]]
    page: list[dict[str, Any]]
    total: int
    query: PortfolioQuery

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    def selected_rows(self) -> list[dict[str, Any]]:
        """Every row that passes the query's filter and search, in its order (every page)."""
        kept = [row for row in self.rows if portfolio.matches(row, self.query)]
        return portfolio.sort_rows(kept, self.query.sort, self.query.order)

    def area_titles(self) -> dict[str, str]:
        """Area id → title, from the questionnaires of the clients' latest submissions."""
        hashes = {c.latest.questionnaire_hash for c in self.clients if c.latest is not None}
        titles: dict[str, str] = {}
        for questionnaire in questionnaires_by_hash(hashes).values():
            for area in questionnaire.areas:
                titles.setdefault(area.id, area.title)
        return titles

    def selected_clients(self) -> list[Client]:
        """The clients that pass the query's filter and search (every page of them)."""
        kept = {row["id"] for row in self.rows if portfolio.matches(row, self.query)}
        return [client for client in self.clients if client.id in kept]

    def document(self) -> dict[str, Any]:
        """The API's document: the page of rows, the total and the query as understood."""
        return {
            "organizations": self.page,
            "total": self.total,
            "page": self.query.page,
            "per_page": self.query.per_page,
            "pages": self.pages,
            "sort": self.query.sort,
            "order": self.query.order,
            "filter": self.query.filter,
            "q": self.query.q,
            "counts": portfolio.counts(self.rows),
        }


def latest_submissions(organization_ids: Any, keep: int = 2) -> dict[int, list[Submission]]:
    """The latest ``keep`` submitted assessments of each organization (newest first), with the
    stored overall and areas only: one query. ``organization_ids``: ids or a subquery."""
    ranked = (
        select(
            Assessment.id.label("id"),
            func.row_number()
            .over(
                partition_by=Assessment.organization_id,
                order_by=(Assessment.submitted_at.desc(), Assessment.id.desc()),
            )
            .label("rank"),
        )
        .where(Assessment.status == "submitted", Assessment.organization_id.in_(organization_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(
            Assessment.organization_id,
            ranked.c.rank,
            Assessment.id,
            # As text on SQLite, parsed below by the C parser: SQLAlchemy's own parse of a
            # thousand date-times costs more than the rest of the row.
            type_coerce(Assessment.submitted_at, String),
            Assessment.questionnaire_hash,
            Assessment.questionnaire_id,
            Assessment.questionnaire_version,
            AssessmentScores.overall_score,
            AssessmentScores.overall_level,
            AssessmentScores.overall_label,
            AssessmentScores.gap_area,
            AssessmentScores.gap_title,
            AssessmentScores.gap,
            AssessmentScores.area_scores,
        )
        .join(ranked, ranked.c.id == Assessment.id)
        .outerjoin(AssessmentScores, AssessmentScores.assessment_id == Assessment.id)
        .where(ranked.c.rank <= keep)
    )
    found: dict[int, list[Any]] = {}
    for org_id, rank, aid, when, qhash, qid, qversion, score, level, label, *gap, areas in rows:
        if isinstance(areas, str):  # type_coerce'd rows come as the driver gives them
            areas = json.loads(areas)
        kept = found.setdefault(org_id, [None] * keep)
        kept[rank - 1] = Submission(
            id=aid,
            submitted_at=when if isinstance(when, datetime) else datetime.fromisoformat(when),
            questionnaire_hash=qhash,
            questionnaire_id=qid,
            questionnaire_version=qversion,
            overall={"score": score, "level": level, "label": label},
            area_scores=areas if isinstance(areas, dict) else {},
            largest_gap=dict(zip(("area", "title", "gap"), gap, strict=True))
            if gap[0] is not None
            else None,
        )
    return {org_id: [s for s in kept if s is not None] for org_id, kept in found.items()}


def clients_of(user_id: int) -> list[Client]:
    """Every organization the user belongs to, any role, with its latest two submissions."""
    mine = select(Membership.organization_id).where(Membership.user_id == user_id)
    orgs = db.session.execute(
        select(Organization.id, Organization.name, Organization.cadence_months, Membership.role)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user_id)
    ).all()
    submissions = latest_submissions(mine.scalar_subquery())
    clients = []
    for org_id, name, cadence, role in orgs:
        latest = submissions.get(org_id, [])
        clients.append(
            Client(
                id=org_id,
                name=name,
                role=str(role),
                cadence_months=cadence or portfolio.DEFAULT_CADENCE,
                latest=latest[0] if latest else None,
                previous=latest[1] if len(latest) > 1 else None,
            )
        )
    return clients


def portfolio_of(
    user_id: int, query: PortfolioQuery | None = None, today: date | None = None
) -> Portfolio:
    """The user's portfolio: every row computed from stored scores, and the page the query
    asks for with its verified differences filled in."""
    query = query or PortfolioQuery()
    today = today or utcnow().date()
    clients = clients_of(user_id)
    rows = [portfolio.portfolio_row(client, today) for client in clients]
    _fill_plan_items(rows, user_id, today)
    page, total = portfolio.select_rows(rows, query)
    by_id = {client.id: client for client in clients}
    _fill_verified(page, [by_id[row["id"]] for row in page])
    return Portfolio(clients, rows, page, total, query)


def plan_items(organization_ids: Any, today: date) -> dict[int, tuple[int, int]]:
    """Open and overdue plan items per organization (``organization_ids``: ids or a
    subquery), in one grouped query. Open: neither done nor risk accepted; overdue: open with a
    due date before today (:func:`assess.core.plan.is_overdue`, the due day itself is not)."""
    is_open = Action.status.not_in(sorted(plan.CLOSED))
    rows = db.session.execute(
        select(
            Action.organization_id,
            func.sum(case((is_open, 1), else_=0), type_=Integer),
            func.sum(case((and_(is_open, Action.due_date < today), 1), else_=0), type_=Integer),
        )
        .where(Action.organization_id.in_(organization_ids))
        .group_by(Action.organization_id)
    )
    return {org_id: (int(opened or 0), int(late or 0)) for org_id, opened, late in rows}


def _fill_plan_items(rows: Sequence[dict[str, Any]], user_id: int, today: date) -> None:
    """Every row's open and overdue plan items (0 and 0 for an organization without any)."""
    mine = select(Membership.organization_id).where(Membership.user_id == user_id)
    counts = plan_items(mine.scalar_subquery(), today)
    for row in rows:
        row["open_plan_items"], row["overdue_plan_items"] = counts.get(row["id"], (0, 0))


def _fill_verified(rows: Sequence[dict[str, Any]], clients: Sequence[Client]) -> None:
    """The verified difference of the rows' latest submissions that auditors reviewed: the
    verified levels and the answers of those submissions in two queries."""
    latest = {c.latest.id: c.latest for c in clients if c.latest is not None}
    if not latest:
        return
    verified: dict[int, dict[str, int]] = {}
    for aid, qid, level in db.session.execute(
        select(Review.assessment_id, Review.question_id, Review.verified_level).where(
            Review.assessment_id.in_(sorted(latest)), Review.verified_level.is_not(None)
        )
    ):
        verified.setdefault(aid, {})[qid] = level
    if not verified:
        return
    answers: dict[int, dict[str, Answer]] = {aid: {} for aid in verified}
    for aid, qid, status, level, note in db.session.execute(
        select(
            AnswerRow.assessment_id,
            AnswerRow.question_id,
            AnswerRow.status,
            AnswerRow.level,
            AnswerRow.note,
        ).where(AnswerRow.assessment_id.in_(sorted(verified)))
    ):
        answers[aid][qid] = Answer(status, level, note or "")
    questionnaires = questionnaires_by_hash({latest[aid].questionnaire_hash for aid in verified})
    for row in rows:
        aid = row["assessment_id"]
        if aid not in verified:
            continue
        questionnaire = questionnaires.get(latest[aid].questionnaire_hash)
        row["reviewed_answers"] = len(verified[aid])
        if questionnaire is not None:
            row["verified_difference"] = portfolio.verified_difference(
                questionnaire, answers[aid], verified[aid]
            )
