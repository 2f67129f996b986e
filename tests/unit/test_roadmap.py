"""The roadmap (assess/core/roadmap.py): actions, kinds, essential safeguards first, and the
obligations a regulation in the profile adds."""

from __future__ import annotations

import pytest

from assess.core.evaluation import build_report
from assess.core.questionnaire import get_questionnaire
from assess.core.recommend import load_policy, parse_profile
from assess.core.recommend.obligations import obligations_for
from assess.core.roadmap import FIRST_90_DAYS, find_out_action, who_does
from assess.core.scoring import Answer, score


@pytest.fixture(scope="module")
def q2():
    return get_questionnaire("ciso-nine-areas")


def all_zero(questionnaire):
    return {qid: Answer("level", 0) for qid in questionnaire.questions}


def profile(**changes):
    data = {
        "organization": "Harborview",
        "employees": 62,
        "industry": "healthcare",
        "regulations": [],
        "sensitive_data": ["pii"],
        "it_staff": 2,
        "security_staff": 0,
        "security_leader": "it_manager",
        "incidents_24m": 0,
        "customer_demands": False,
    }
    return parse_profile({**data, **changes})


def test_does_an_all_zero_answer_set_start_with_essential_safeguards_and_their_actions(q2):
    steps = score(q2, all_zero(q2)).results().roadmap
    first = [s for s in steps if s.first_90_days]
    assert len(first) == FIRST_90_DAYS
    assert all(s.essential for s in first[:3])
    assert sum(s.essential for s in first) >= 3
    for s in first:
        question = q2.questions[s.question]
        assert s.kind == "start"
        assert s.action == question.actions[1]
        assert s.action.strip()
        assert s.step == question.levels[1]
    # Every essential safeguard comes before every other step.
    kinds = [s.essential for s in steps]
    assert kinds == sorted(kinds, reverse=True)
    assert sum(kinds) == len(q2.essential_questions)


def test_is_a_dont_know_on_an_essential_question_a_step_to_find_out(q2):
    answers = {qid: Answer("level", 3) for qid in q2.questions}
    answers["program-oversight.mfa"] = Answer("unknown")
    (step,) = score(q2, answers).results().roadmap
    assert (step.question, step.kind, step.essential, step.unknown) == (
        "program-oversight.mfa",
        "find_out",
        True,
        True,
    )
    assert step.current_level == 0 and step.next_level == 1
    assert step.action.startswith("Ask the IT provider: “Do email, cloud, remote-access")
    assert "note the answer" in step.action.lower()


def test_is_an_essential_safeguard_below_target_a_step_even_when_its_area_meets_the_target(q2):
    answers = {qid: Answer("level", 4) for qid in q2.questions}
    answers["program-oversight.mfa"] = Answer("level", 1)  # the area's mean stays above 3
    assert score(q2, answers).areas.set_index("area").loc["program-oversight", "gap"] == 0
    (step,) = score(q2, answers).results().roadmap
    assert (step.question, step.kind, step.next_level) == ("program-oversight.mfa", "improve", 2)
    assert step.action == q2.questions["program-oversight.mfa"].actions[2]


def test_do_the_others_rank_by_area_weight_times_gap_after_the_essentials(q2):
    answers = {qid: Answer("level", 3) for qid in q2.questions}
    answers["security-budget.risk-based"] = Answer("level", 0)  # not essential, big gap
    answers["program-oversight.patching"] = Answer("level", 2)  # essential, small gap
    steps = score(q2, answers).results().roadmap
    assert [s.question for s in steps] == [
        "program-oversight.patching",
        "security-budget.risk-based",
    ]
    assert [s.rank for s in steps] == [1, 2]


def test_does_a_questionnaire_without_actions_fall_back_to_the_level_description():
    q1 = get_questionnaire("ciso-nine-areas@1.0")
    steps = score(q1, all_zero(q1)).results().roadmap
    assert steps and not any(s.essential for s in steps)
    for s in steps:
        assert s.action == s.step == q1.questions[s.question].levels[1]
        assert s.kind == "start"


def test_who_to_ask_comes_from_the_first_action_or_a_default():
    q1 = get_questionnaire("ciso-nine-areas@1.0")
    question = next(iter(q1.questions.values()))
    assert who_does(question).startswith("whoever looks after it")
    assert find_out_action(question).startswith("Ask whoever looks after it")


@pytest.mark.parametrize(
    ("regulations", "sources"),
    [
        (["hipaa"], ["45 CFR 164.308(a)(2)", "164.314(a)", "45 CFR 164.308(a)(1)(ii)(A)"]),
        (["glba"], ["16 CFR 314.4(a)", "16 CFR 314.4(b)"]),
        (["pci_dss"], ["requirement 12.5.2"]),
        (["cmmc"], ["3.12.4", "3.12.2", "DFARS 252.204-7012(c)"]),
        (["gdpr"], []),
    ],
)
def test_does_each_named_regulation_add_its_obligations_with_their_source(regulations, sources):
    found = obligations_for(profile(regulations=regulations))
    assert len(found) == len(sources)
    for obligation, cited in zip(found, sources, strict=True):
        assert cited in obligation["source"]
        assert obligation["regulation"] == regulations[0]


def test_are_obligations_in_the_first_90_days_without_pushing_safeguards_out(q2):
    report = build_report(q2, all_zero(q2), profile=profile(regulations=["hipaa", "cmmc"]))
    steps = report.results().roadmap
    first = [s for s in steps if s.first_90_days]
    safeguards = [s for s in first if s.kind != "obligation"]
    obligations = [s for s in first if s.kind == "obligation"]
    assert len(safeguards) == FIRST_90_DAYS
    assert [s.regulation for s in obligations] == ["hipaa"] * 3 + ["cmmc"] * 3
    assert all(s.source and s.question is None and s.area is None for s in obligations)
    assert [s.rank for s in steps] == list(range(1, len(steps) + 1))
    # Ranked after every safeguard step: no safeguard's rank moves.
    assert [s.kind for s in steps][-6:] == ["obligation"] * 6
    without = report.result.results(report.recommendation).roadmap
    assert [(s.question, s.rank) for s in steps[:-6]] == [(s.question, s.rank) for s in without]


def test_does_a_profile_without_regulations_add_no_obligation(q2):
    report = build_report(q2, all_zero(q2), profile=profile())
    assert not [s for s in report.results().roadmap if s.kind == "obligation"]


def test_does_the_shipped_policy_cite_a_source_for_every_obligation():
    for items in load_policy().obligations.values():
        for item in items:
            assert item.source and item.action and item.done_when


def test_does_finding_out_come_first_among_essential_safeguards_of_equal_priority():
    """A "don't know" on an essential safeguard is one question to the IT provider: among
    essential steps of the same priority it comes before the ones that need work."""
    from assess.core.evaluation import build_report
    from assess.core.questionnaire import get_questionnaire
    from assess.core.scoring import Answer

    q = get_questionnaire("ciso-nine-areas")
    heaviest = max(question.weight for question in q.essential_questions.values())
    last = [qid for qid, question in q.essential_questions.items() if question.weight == heaviest][
        -1
    ]
    answers = {qid: Answer("level", 0) for qid in q.questions} | {last: Answer("unknown")}
    first = build_report(q, answers).results().roadmap[0]
    assert first.question == last and first.kind == "find_out"


def test_the_owner_is_told_to_check_not_to_ask_the_owner() -> None:
    """The owner answers the questionnaire: a "don't know" whose work is the owner's reads
    "Check: …", never "Ask the owner: …"."""
    questions = get_questionnaire("ciso-nine-areas").questions.values()
    owners = [q for q in questions if who_does(q) == "the owner"]
    assert owners
    for question in owners:
        action = find_out_action(question)
        assert action.startswith(f"Check: “{question.text}” Note the answer"), question.id


@pytest.mark.parametrize("regulations", [[], ["hipaa", "pci_dss"]])
def test_do_mfa_and_payment_call_backs_lead_an_all_zero_first_90_days(q2, regulations):
    """What insurers ask first and what loses small firms most money: with nothing in place,
    the first 90 days include multi-factor sign-in and calling back on payment changes."""
    report = build_report(q2, all_zero(q2), profile=profile(regulations=regulations))
    first = [s.question for s in report.results().roadmap if s.first_90_days]
    assert "program-oversight.mfa" in first
    assert "awareness-training.payment-verification" in first
