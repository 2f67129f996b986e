"""Evaluation: score answers and, when a profile is known, propose targets and recommend.

The glue of the pure core that the CLI, the pages and the API share; it knows nothing of HTTP
or of the database. :meth:`Report.results` is the typed results document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.core import answer_sheets as answer_sheets
from assess.core.errors import InputError
from assess.core.questionnaire import Questionnaire, get_questionnaire
from assess.core.results import Recommendation, Results
from assess.core.scoring import Answer, Result, score


@dataclass
class Report:
    """Scores plus, when a profile is known, the recommendation and the obligations of its
    regulations (roadmap steps with their source)."""

    result: Result
    recommendation: Recommendation | None = None
    profile: Any = None
    obligations: list[dict[str, str]] = field(default_factory=list)

    def results(self) -> Results:
        """The typed results document (:mod:`assess.core.results`)."""
        return self.result.results(self.recommendation, self.obligations)


def build_report(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    *,
    targets: Mapping[str, float] | None = None,
    profile: Any = None,
    policy: Any = None,
) -> Report:
    """Score answers; with a profile, propose targets (overridden by ``targets``), advise,
    and add to the roadmap what the profile's regulations ask for in so many words."""
    effective: dict[str, float] = {}
    recommendation = None
    obligations: list[dict[str, str]] = []
    if profile is not None:
        from assess.core import recommend

        effective.update(
            recommend.propose_targets(profile, [a.id for a in questionnaire.areas], policy)
        )
    effective.update(targets or {})
    result = score(questionnaire, answers, effective)
    if profile is not None:
        from assess.core import recommend
        from assess.core.recommend.obligations import obligations_for

        recommendation = recommend.recommend(profile, result.areas, policy)
        obligations = obligations_for(profile, policy)
    return Report(
        result=result, recommendation=recommendation, profile=profile, obligations=obligations
    )


def score_offline(
    *,
    answers_path: Path,
    questionnaire_ref: str | None = None,
    target_items: Iterable[str] = (),
    profile_path: Path | None = None,
    policy_path: Path | None = None,
) -> Report:
    """Everything ``assess score`` does before printing."""
    sheet = answer_sheets.load_sheet(answers_path)
    ref = questionnaire_ref or sheet.questionnaire
    if ref is None:
        raise InputError(
            "no questionnaire: name one with --questionnaire or a 'questionnaire:' key",
            file=str(answers_path),
        )
    questionnaire = get_questionnaire(ref)
    answers = answer_sheets.answers_from_sheet(questionnaire, sheet)
    targets = answer_sheets.parse_targets(target_items, questionnaire)
    profile = policy = None
    if policy_path is not None:
        from assess.core.recommend import load_policy

        policy = load_policy(policy_path, [area.id for area in questionnaire.areas])
    if profile_path is not None:
        from assess.core.recommend import load_profile

        profile = load_profile(profile_path)
    return build_report(questionnaire, answers, targets=targets, profile=profile, policy=policy)
