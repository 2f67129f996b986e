"""The anonymous peer benchmark: where an assessment stands among its peers, as percentiles.

Pure. Peers are the latest submitted assessments of *other* organizations that opted in and
fall in the same size band (and the same industry, when enough of them do). The document
shows, per area and overall, the percentile of this assessment among them; never a peer's
name, id or score: only how many peers there are and where this one stands.

Size bands are the EU's enterprise size classes by headcount (Commission Recommendation
2003/361/EC, article 2): micro (fewer than 10), small (10–49), medium (50–249), and large
(250 and more).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: At least this many other organizations must qualify, or nothing is shown.
MIN_PEERS = 5

#: (id, label, first headcount, last headcount or None).
SIZE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("micro", "fewer than 10 people", 1, 9),
    ("small", "10 to 49 people", 10, 49),
    ("medium", "50 to 249 people", 50, 249),
    ("large", "250 people or more", 250, None),
)

NOT_OPTED_IN = "not_opted_in"
NO_SIZE = "no_profile_size"
NOT_SUBMITTED = "not_submitted"
TOO_FEW_PEERS = "too_few_peers"

REASONS = {
    NOT_OPTED_IN: (
        "This organization does not take part in the anonymous peer benchmark: its owners can "
        "join it in the organization's settings (taking part is what lets you compare)."
    ),
    NO_SIZE: "The organization's profile gives no number of employees, so it has no size band.",
    NOT_SUBMITTED: "Only submitted assessments are compared with peers.",
    TOO_FEW_PEERS: (
        "Fewer than {min} other organizations of your size ({band}) take part in the "
        "benchmark, too few to compare without revealing anyone."
    ),
}


def size_band(employees: Any) -> str | None:
    """The size band of a headcount, or None when there is none.

    >>> size_band(9), size_band(10), size_band(249), size_band(250), size_band(None)
    ('micro', 'small', 'medium', 'large', None)
    """
    if isinstance(employees, bool) or not isinstance(employees, int | float) or employees < 1:
        return None
    for band, _label, first, last in SIZE_BANDS:
        if employees >= first and (last is None or employees <= last):
            return band
    return None


def band_range(band: str) -> tuple[int, int | None]:
    """The first and last headcount of a band (None: no upper end)."""
    for name, _label, first, last in SIZE_BANDS:
        if name == band:
            return first, last
    raise KeyError(band)


def band_label(band: str) -> str:
    return next(label for name, label, _f, _l in SIZE_BANDS if name == band)


def percentile(value: float, others: Sequence[float]) -> float:
    """The percentile rank of ``value`` among ``others`` (0–100): the share of them below it,
    with ties counted half (the mid-rank definition, so the same value everywhere is 50).

    >>> percentile(3.0, [1, 2, 4, 5]), percentile(2.0, [2, 2, 2, 2]), percentile(0, [1, 2])
    (50.0, 50.0, 0.0)
    """
    if not others:
        raise ValueError("no peers to compare with")
    below = sum(1 for other in others if other < value - 1e-9)
    tied = sum(1 for other in others if abs(other - value) <= 1e-9)
    return round(100.0 * (below + tied / 2) / len(others), 1)


@dataclass(frozen=True)
class Peer:
    """One peer's latest scores: its overall score and its score per area id (what is
    compared, never shown)."""

    overall: float | None
    areas: Mapping[str, float | None]
    industry: str | None = None


def unavailable(reason: str, **words: Any) -> dict[str, Any]:
    return {
        "available": False,
        "reason": reason,
        "message": REASONS[reason].format(min=MIN_PEERS, **words),
    }


def benchmark(
    overall: float | None,
    areas: Sequence[Mapping[str, Any]],
    peers: Sequence[Peer],
    *,
    band: str,
    industry: str | None = None,
) -> dict[str, Any]:
    """The benchmark document of one assessment (``overall`` and ``areas``: its scores, the
    areas as mappings with ``id``, ``title`` and ``score``) among ``peers`` of its size band.

    When at least :data:`MIN_PEERS` of them share its industry, only those count; with fewer
    than :data:`MIN_PEERS` in the band, it is ``{available: false, reason, message}``.
    """
    same_industry = [p for p in peers if industry is not None and p.industry == industry]
    if len(same_industry) >= MIN_PEERS:
        group, scope = same_industry, "size_band_and_industry"
    else:
        group, scope = list(peers), "size_band"
    if len(group) < MIN_PEERS:
        return unavailable(TOO_FEW_PEERS, band=band_label(band))
    document: dict[str, Any] = {
        "available": True,
        "scope": scope,
        "size_band": band,
        "size_band_label": band_label(band),
        "industry": industry if scope == "size_band_and_industry" else None,
        "peers": len(group),
        "overall": _standing(overall, [p.overall for p in group]),
        "areas": [],
    }
    for area in areas:
        standing = _standing(area.get("score"), [p.areas.get(area.get("id")) for p in group])
        document["areas"].append({"id": area.get("id"), "title": area.get("title"), **standing})
    return document


def _standing(value: Any, others: Sequence[float | None]) -> dict[str, Any]:
    """The percentile of ``value`` among the scored ``others`` (and how many they are), or
    nulls when either side is not scored or fewer than :data:`MIN_PEERS` are."""
    scored = [float(o) for o in others if o is not None]
    if value is None or len(scored) < MIN_PEERS:
        return {"percentile": None, "compared": len(scored)}
    return {"percentile": percentile(float(value), scored), "compared": len(scored)}
