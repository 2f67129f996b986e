"""The portfolio of every organization a user belongs to, read in a constant number of queries.

One query reads the organizations with the user's role, each one's latest two submitted
assessments (index searches in ``ix_assessments_org_status_submitted_hash``, which holds their
ids, dates and questionnaire hashes: the assessments' rows, tens of KB with the results, are
never read) and their scores (:mod:`assess.records.scores`: a few hundred bytes each); one
grouped query counts every organization's open and overdue plan items (:func:`plan_items`).
The questionnaires' names come by hash from a per-process table (one query for a hash not yet
seen). For the page of rows shown, two more read the auditors' verified levels and the
reviewed answers, and one the questionnaires not yet cached. The columns themselves are
computed by :mod:`assess.core.portfolio`, and kept per process by what they are computed
from (:func:`_row`).

Assessments submitted before results were stored (an earlier release) have no scores yet:
they show as assessed without a score until their results are read once (which keeps both).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased

from assess.core import plan, portfolio
from assess.core.portfolio import Baseline, Client, PortfolioQuery, Submission
from assess.core.scoring import Answer
from assess.records.database import db
from assess.records.models import (
    Action,
    Assessment,
    AssessmentScores,
    Membership,
    Organization,
    QuestionnaireSnapshot,
    Review,
    utcnow,
)
from assess.records.models import Answer as AnswerRow
from assess.records.questionnaires import questionnaires_by_hash

#: A row's values the scores chart shows (:func:`assess.core.portfolio_charts.client_scores`).
_CHARTED = itemgetter(
    "name", "score", "level", "level_label", "last_submitted", "next_due", "overdue"
)


@dataclass(frozen=True)
class Portfolio:
    """Every client of the user, every row (for filters, counts and charts), and the page."""

    sources: list[tuple[Any, ...]]  # one row of :func:`_clients_statement` per organization
    rows: list[dict[str, Any]]
    page: list[dict[str, Any]]
    total: int
    query: PortfolioQuery

    @cached_property
    def clients(self) -> list[Client]:
        """Every organization as :class:`Client` (built when asked: the API needs only rows)."""
        return [_client(source) for source in self.sources]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    def matching_rows(self) -> list[dict[str, Any]]:
        """Every row that passes the query's filter and search, in no particular order (but
        always the same for the same organizations: the charts do not follow the sort)."""
        return [row for row in self.rows if portfolio.matches(row, self.query)]

    def selected_rows(self) -> list[dict[str, Any]]:
        """Every row that passes the query's filter and search, in its order (every page)."""
        return portfolio.sort_rows(self.matching_rows(), self.query.sort, self.query.order)

    def area_titles(self) -> dict[str, str]:
        """Area id → title, from the questionnaires of the clients' latest submissions."""
        hashes = {c.latest.questionnaire_hash for c in self.clients if c.latest is not None}
        titles: dict[str, str] = {}
        for questionnaire in questionnaires_by_hash(hashes).values():
            for area in questionnaire.areas:
                titles.setdefault(area.id, area.title)
        return titles

    def chart_key(self) -> tuple[Any, ...]:
        """What the portfolio's charts are drawn from, for the clients that pass the filter and
        the search: each one's row values the scores chart shows, and its latest submission's
        questionnaire and area scores as stored (text). Equal keys, equal charts."""
        matching = self.matching_rows()
        kept = {row["id"] for row in matching}
        return (
            tuple(_CHARTED(r) for r in matching),
            tuple((s[_LATEST_HASH], s[_LATEST_AREAS]) for s in self.sources if s[0] in kept),
        )

    def sheet_rows(self) -> list[dict[str, Any]]:
        """The workbook's rows: every row that passes the filter and the search, in the
        query's order, each with its verified difference (not only the page's)."""
        return _with_verified(self.selected_rows(), self.sources)

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
    # On the session's connection: a Core select of columns needs none of the ORM's result
    # machinery, which for a thousand rows cost more than the query.
    rows = db.session.connection().execute(
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
            # As text too, parsed by :func:`_areas` (each distinct text once per process).
            type_coerce(AssessmentScores.area_scores, String),
        )
        .join(ranked, ranked.c.id == Assessment.id)
        .outerjoin(AssessmentScores, AssessmentScores.assessment_id == Assessment.id)
        .where(ranked.c.rank <= keep)
    )
    found: dict[int, list[Any]] = {}
    for org_id, rank, aid, when, qhash, qid, qversion, score, level, label, *gap, areas in rows:
        if isinstance(areas, str):  # type_coerce'd rows come as the driver gives them
            areas = _areas(areas)
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


#: Area scores by their stored JSON text: a submitted assessment's scores never change, and the
#: portfolio reads the same thousand of them on every view (parsing them was a tenth of the
#: API's time at 500 clients). Keyed by content, so a changed text is simply another entry;
#: the dicts are shared and never modified.
_AREAS: OrderedDict[str, dict[str, Any]] = OrderedDict()
_AREAS_SIZE = 20_000


def _areas(text: str) -> dict[str, Any]:
    found = _AREAS.get(text)
    if found is None:
        parsed = json.loads(text)
        found = parsed if isinstance(parsed, dict) else {}
        _AREAS[text] = found
        if len(_AREAS) > _AREAS_SIZE:
            _AREAS.popitem(last=False)
    return found


def _submitted(column: Any, offset: int) -> Any:
    """``column`` of an organization's latest (offset 0) or previous (1) submitted assessment:
    an index search per organization in ``ix_assessments_org_status_submitted_hash``, which
    holds every column asked for (ranking every submission of every organization, or reading
    the assessments' rows, cost several times more at 500)."""
    return (
        select(column)
        .where(Assessment.organization_id == Organization.id, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
        .offset(offset)
        .correlate(Organization)
        .scalar_subquery()
    )


def _submission(row: Sequence[Any]) -> Submission | None:
    """A :class:`Submission` from the columns :func:`_clients_statement` selects for one of
    them (its questionnaire's id and version by its hash, :func:`_load_names`)."""
    aid, when, qhash, score, level, label, gap_area, gap_title, gap, areas = row
    if aid is None:
        return None
    if isinstance(areas, str):  # cast to text: as the driver gives it
        areas = _areas(areas)
    qid, qversion = _NAMES.get(qhash) or ("", "")
    return Submission(
        id=aid,
        submitted_at=when if isinstance(when, datetime) else datetime.fromisoformat(when),
        questionnaire_hash=qhash,
        questionnaire_id=qid,
        questionnaire_version=qversion,
        overall={"score": score, "level": level, "label": label},
        area_scores=areas if isinstance(areas, dict) else {},
        largest_gap={"area": gap_area, "title": gap_title, "gap": gap}
        if gap_area is not None
        else None,
    )


#: Where a source row's parts are (:func:`_clients_statement`): the organization's id, name,
#: cadence and the user's role, ten columns of its latest submission, then four of the one
#: before (its :class:`~assess.core.portfolio.Baseline`).
_LATEST, _PREVIOUS = slice(4, 14), slice(14, 18)
_LATEST_HASH, _LATEST_AREAS, _PREVIOUS_HASH = 6, 13, 15
_LATEST_HASH_OF, _PREVIOUS_HASH_OF = itemgetter(_LATEST_HASH), itemgetter(_PREVIOUS_HASH)


def _baseline(row: Sequence[Any]) -> Baseline | None:
    """A :class:`Baseline` from the columns :func:`_clients_statement` selects for it."""
    aid, qhash, score, areas = row
    if aid is None:
        return None
    if isinstance(areas, str):
        areas = _areas(areas)
    return Baseline(aid, qhash, score, areas if isinstance(areas, dict) else {})


#: A questionnaire's id and version by its snapshot's content hash: a hash names one content
#: for good, so an entry is never stale (:func:`_load_names` reads those not yet known).
_NAMES: dict[str, tuple[str, str]] = {}


def _load_names(sources: Sequence[Sequence[Any]]) -> None:
    """Know the questionnaire id and version of every hash in ``sources``: one query for those
    not yet known, none once they are (a handful of questionnaires for any number of clients;
    joining the snapshots per client cost a tenth of the query at 500)."""
    missing = {*map(_LATEST_HASH_OF, sources), *map(_PREVIOUS_HASH_OF, sources)}
    missing.difference_update(_NAMES.keys())
    missing.discard(None)
    if missing:
        for qhash, qid, version in db.session.execute(
            select(
                QuestionnaireSnapshot.hash,
                QuestionnaireSnapshot.questionnaire_id,
                QuestionnaireSnapshot.version,
            ).where(QuestionnaireSnapshot.hash.in_(sorted(missing)))
        ):
            _NAMES[qhash] = (qid, version)


@cache
def _clients_statement() -> Select[Any]:
    """The statement of :func:`clients_of` (built once: building it cost more than running it
    for 50 organizations), with the user's id as the ``user_id`` parameter. Its rows come in
    no order (:func:`_sources` sorts them: sorting 500 rows in SQL cost more than in Python)."""
    # The latest submission's id, date and questionnaire, and the previous one's id and
    # questionnaire: one index search each.
    wanted = (
        ("latest", 0, Assessment.id),
        ("latest_at", 0, Assessment.submitted_at),
        ("latest_hash", 0, Assessment.questionnaire_hash),
        ("previous", 1, Assessment.id),
        ("previous_hash", 1, Assessment.questionnaire_hash),
    )
    picked = (
        select(
            Organization.id,
            Organization.name,
            Organization.cadence_months,
            Membership.role,
            *[_submitted(column, offset).label(name) for name, offset, column in wanted],
        )
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == bindparam("user_id"))
        # Picked once: joined below, an inlined subquery would search again per join.
        .cte("picked")
        .prefix_with("MATERIALIZED")
    )
    latest, previous = aliased(AssessmentScores), aliased(AssessmentScores)
    return select(
        picked.c.id,
        picked.c.name,
        picked.c.cadence_months,
        picked.c.role,
        picked.c.latest,
        # As text on SQLite, parsed by the C parser: SQLAlchemy's own parse of a thousand
        # date-times cost more than the rest of the row.
        type_coerce(picked.c.latest_at, String),
        picked.c.latest_hash,
        latest.overall_score,
        latest.overall_level,
        latest.overall_label,
        latest.gap_area,
        latest.gap_title,
        latest.gap,
        # As text too (PostgreSQL would hand a dict), parsed by :func:`_areas` (each distinct
        # text once per process); rows are compared by it (:func:`_row`).
        cast(latest.area_scores, Text),
        picked.c.previous,
        picked.c.previous_hash,
        previous.overall_score,
        cast(previous.area_scores, Text),
    ).select_from(
        picked.outerjoin(latest, latest.assessment_id == picked.c.latest).outerjoin(
            previous, previous.assessment_id == picked.c.previous
        )
    )


def _client(source: Sequence[Any]) -> Client:
    """A :class:`Client` from one row of :func:`_clients_statement` (after :func:`_load_names`
    for it)."""
    return Client(
        id=source[0],
        name=source[1],
        role=str(source[3]),
        cadence_months=source[2] or portfolio.DEFAULT_CADENCE,
        latest=_submission(source[_LATEST]),
        previous=_baseline(source[_PREVIOUS]),
    )


def _sources(user_id: int) -> list[tuple[Any, ...]]:
    """One row of :func:`_clients_statement` per organization of the user, as tuples, by id;
    the questionnaires they name known (:func:`_load_names`)."""
    # On the session's connection, fetched from the driver's cursor: every column is one the
    # driver gives as it is kept (no type of these needs SQLAlchemy's processing), and its
    # result rows cost more than the query's own work for hundreds of rows.
    result = db.session.connection().execute(_clients_statement(), {"user_id": user_id})
    try:
        sources = [tuple(row) for row in result.cursor.fetchall()]
    finally:
        result.close()
    sources.sort(key=itemgetter(0))
    _load_names(sources)
    return sources


def clients_of(user_id: int) -> list[Client]:
    """Every organization the user belongs to, any role, with its latest two submissions and
    their scores: one query, one row per organization."""
    return [_client(source) for source in _sources(user_id)]


#: Rows by organization, each with what it was computed from (the organization's row of the
#: query, today, and its open and overdue plan items): :func:`~assess.core.portfolio.
#: portfolio_row` is a function of those alone, and the same adviser sorts, pages and filters
#: the same few hundred rows over and over. Computing one cost ~10 µs, most of a view of 500
#: clients; a hit costs comparing what it was computed from (no hash: the row's strings are
#: new on every fetch). The rows are shared, so nothing modifies them: the page's rows are
#: copies (:func:`portfolio_of`), and so are the workbook's (:meth:`Portfolio.sheet_rows`).
_Computed = tuple[date, tuple[Any, ...], tuple[int, int], dict[str, Any]]
_ROWS: OrderedDict[int, _Computed] = OrderedDict()
_ROWS_SIZE = 10_000
_NO_ITEMS = (0, 0)


def _row(source: tuple[Any, ...], today: date, items: tuple[int, int]) -> dict[str, Any]:
    found = _ROWS.get(source[0])
    if found is None or found[0] != today or found[1] != source or found[2] != items:
        row = portfolio.portfolio_row(_client(source), today)
        row["open_plan_items"], row["overdue_plan_items"] = items
        found = _ROWS[source[0]] = (today, source, items, row)
        if len(_ROWS) > _ROWS_SIZE:
            _ROWS.popitem(last=False)
    return found[3]


def portfolio_of(
    user_id: int, query: PortfolioQuery | None = None, today: date | None = None
) -> Portfolio:
    """The user's portfolio: every row computed from stored scores, and the page the query
    asks for with its verified differences filled in."""
    query = query or PortfolioQuery()
    today = today or utcnow().date()
    sources = _sources(user_id)
    mine = select(Membership.organization_id).where(Membership.user_id == user_id)
    items = plan_items(mine.scalar_subquery(), today)
    rows = [_row(source, today, items.get(source[0], _NO_ITEMS)) for source in sources]
    page, total = portfolio.select_rows(rows, query)
    page = _with_verified(page, sources)
    return Portfolio(sources, rows, page, total, query)


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


def _with_verified(
    rows: Sequence[dict[str, Any]], sources: Sequence[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """Copies of ``rows`` with the verified difference of those whose latest submission
    auditors reviewed (two queries, none when no row is assessed)."""
    copies = [dict(row) for row in rows]
    shown = {row["id"] for row in copies}
    _fill_verified(copies, [_client(source) for source in sources if source[0] in shown])
    return copies


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
