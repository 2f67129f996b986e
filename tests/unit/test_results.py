"""The results contract (assess/core/results.py): stored documents are upgraded."""

from __future__ import annotations

from assess.core.results import SCHEMA_VERSION, Results

V1 = {
    "schema_version": 1,
    "questionnaire": {"id": "q", "version": "1.0", "hash": "ab"},
    "overall": {"score": 0.5, "level": 0, "label": "Not performed"},
    "areas": [],
    "roadmap": [
        {"rank": 1, "area": "a", "question": "a.one", "text": "One?", "current_level": 0,
         "unknown": True, "next_level": 1, "step": "Level one.", "priority": 3.0,
         "first_90_days": True},
        {"rank": 2, "area": "a", "question": "a.two", "text": "Two?", "current_level": 0,
         "unknown": False, "next_level": 1, "step": "Level one too.", "priority": 2.0,
         "first_90_days": True},
        {"rank": 3, "area": "a", "question": "a.three", "text": "Three?", "current_level": 2,
         "unknown": False, "next_level": 3, "step": "Level three.", "priority": 1.0,
         "first_90_days": True},
    ],
    "unanswered": [],
}  # fmt: skip


def test_does_a_version_1_roadmap_read_with_kinds_and_its_step_as_action():
    results = Results.from_stored(V1)
    assert results.schema_version == SCHEMA_VERSION == 2
    assert [s.kind for s in results.roadmap] == ["find_out", "start", "improve"]
    assert [s.action for s in results.roadmap] == [s["step"] for s in V1["roadmap"]]
    assert not any(s.essential or s.source or s.regulation for s in results.roadmap)
    assert results.csf == ()
    # Everything version 1 had is unchanged.
    dumped = results.model_dump(mode="json")
    for old, new in zip(V1["roadmap"], dumped["roadmap"], strict=True):
        assert {k: new[k] for k in old} == old


def test_does_a_document_without_a_version_upgrade_all_the_way():
    unversioned = {k: v for k, v in V1.items() if k != "schema_version"}
    assert Results.from_stored(unversioned) == Results.from_stored(V1)


def test_does_a_version_2_document_read_back_as_it_was_written():
    results = Results.from_stored(V1)
    assert Results.from_stored(results.model_dump(mode="json")) == results
