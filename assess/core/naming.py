"""Human names of assessments: "Full assessment 3", "Quick check 1", numbered per
organization and questionnaire, instead of the database's global ids."""

from __future__ import annotations

#: What each shipped questionnaire's assessments are called.
KINDS = {
    "ciso-nine-areas": "Full assessment",
    "ciso-nine-areas-quick": "Quick check",
}


def kind_of(questionnaire_id: str) -> str:
    """What an assessment of the questionnaire is called.

    >>> kind_of("ciso-nine-areas-quick"), kind_of("other")
    ('Quick check', 'Assessment')
    """
    return KINDS.get(questionnaire_id, "Assessment")


def assessment_name(questionnaire_id: str, number: int | None) -> str:
    """The kind and the number (the kind alone when there is no number).

    >>> assessment_name("ciso-nine-areas", 3), assessment_name("ciso-nine-areas", None)
    ('Full assessment 3', 'Full assessment')
    """
    kind = kind_of(questionnaire_id)
    return f"{kind} {number}" if number else kind
