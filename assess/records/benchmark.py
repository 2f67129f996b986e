"""The anonymous peer benchmark of one assessment, read from the records.

Peers: the latest submitted assessment of every *other* organization that opted in
(``benchmark_opt_in``) and whose profile puts it in the same size band; their stored overall
and area scores only, read in two queries (:func:`assess.records.portfolio.latest_submissions`).
Reciprocity: an organization sees the benchmark only when it takes part itself. The
percentiles are computed by :mod:`assess.core.benchmark`; nothing about a peer but its scores
is read, and only percentiles leave.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from assess.core import benchmark
from assess.core.results import Results
from assess.records.assessments import results_document
from assess.records.database import db
from assess.records.models import Assessment, Organization
from assess.records.portfolio import latest_submissions


def peers_of(org: Organization, band: str) -> list[benchmark.Peer]:
    """The latest scores of the other opted-in organizations of the size band."""
    first, last = benchmark.band_range(band)
    employees = Organization.profile["employees"].as_integer()
    in_band = [employees >= first] + ([employees <= last] if last is not None else [])
    orgs = select(Organization.id, Organization.profile["industry"].as_string()).where(
        Organization.benchmark_opt_in.is_(True), Organization.id != org.id, *in_band
    )
    industries = dict(db.session.execute(orgs).all())
    if not industries:
        return []
    submissions = latest_submissions(orgs.with_only_columns(Organization.id).scalar_subquery(), 1)
    peers = []
    for org_id, (latest, *_rest) in submissions.items():
        overall = (latest.overall or {}).get("score")
        peers.append(benchmark.Peer(overall, latest.area_scores, industries.get(org_id)))
    return peers


def benchmark_of(assessment: Assessment, results: Results | None = None) -> dict[str, Any]:
    """Where this assessment stands among its peers, or why that cannot be shown
    (``results``: the assessment's, when the caller has them already)."""
    org = assessment.organization
    if not assessment.locked:
        return benchmark.unavailable(benchmark.NOT_SUBMITTED)
    if not org.benchmark_opt_in:
        return benchmark.unavailable(benchmark.NOT_OPTED_IN)
    profile = org.profile or {}
    band = benchmark.size_band(profile.get("employees"))
    if band is None:
        return benchmark.unavailable(benchmark.NO_SIZE)
    results = results or results_document(assessment)
    areas = [{"id": a.id, "title": a.title, "score": a.score} for a in results.areas]
    return benchmark.benchmark(
        results.overall.score,
        areas,
        peers_of(org, band),
        band=band,
        industry=profile.get("industry"),
    )
