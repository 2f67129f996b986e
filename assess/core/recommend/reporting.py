"""Whom the security leader reports to, and what the board or owner hears and how often."""

from __future__ import annotations

from assess.core.recommend.policy import Policy, sources_of
from assess.core.recommend.profile import Profile
from assess.core.results import ReportingLine


def reporting_line(profile: Profile, policy: Policy) -> ReportingLine:
    """To the chief executive, with a dotted line to IT; a written report at least yearly,
    plus what the profile's regulations ask of board reporting (from the policy)."""
    rules = policy.reporting
    dotted = {"cio": "the CIO", "it_manager": "the IT manager"}.get(profile.security_leader)
    if dotted is None:
        dotted = "the IT lead" if profile.it_staff > 0 else "your IT service provider"
    audience = (
        "board" if profile.employees >= 250 or "sox" in profile.regulations else "owner or partners"
    )
    months = int(rules.board_report_months.value)
    cadence = "at least yearly" if months == 12 else f"at least every {months} months"
    board = f"A written report to the {audience} {cadence}, on risks, progress and incidents."
    duties = [text for code, text in rules.board_duties.items() if code in profile.regulations]
    board = " ".join([board, *duties])
    why = rules.why
    if profile.security_leader in ("cio", "it_manager"):
        why += (
            f" Today security sits with {dotted}: keep them doing IT security work, but give the "
            "security leader their own line to the chief executive."
        )
    citations = [
        policy.regulations[code].citation
        for code in profile.regulations
        if code in rules.board_duties
    ]
    return ReportingLine(
        reports_to=rules.reports_to,
        dotted_line_to=dotted,
        board_reporting=board,
        why=why,
        sources=sources_of(rules, rules.board_report_months, *citations),
    )
