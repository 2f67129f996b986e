"""Fixtures shared by the tests of the outputs: the example report, its context, and the tools
(Chromium for chart images, poppler for reading PDFs) that skip locally and fail under CI."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from assess.core.answer_sheets import answers_from_sheet, load_sheet
from assess.core.evaluation import score_offline
from assess.outputs import images, report_views
from tests.conftest import ROOT, missing_tool

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def chromium():
    if images.find_browser() is None:
        missing_tool(
            "chart images need Chromium: apt-get install -y chromium (or set BROWSER_PATH)"
        )
    yield
    images.shutdown()


@pytest.fixture(scope="module")
def poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        missing_tool("reading PDFs needs poppler-utils: apt-get install -y poppler-utils")


@pytest.fixture(scope="module")
def report():
    return score_offline(
        answers_path=EXAMPLES / "answers.yaml", profile_path=EXAMPLES / "profile.yaml"
    )


@pytest.fixture(scope="module")
def areas(report):
    return report.results().model_dump(mode="json")["areas"]


@pytest.fixture(scope="module")
def report_context(report):
    """(Not named ``context``: that is pytest-playwright's fixture.)"""
    questionnaire = report.result.questionnaire
    answers = answers_from_sheet(questionnaire, load_sheet(EXAMPLES / "answers.yaml"))
    return report_views.assessment_report_context(
        report.results(),
        questionnaire=questionnaire,
        organization="Harborview Medical Billing",
        answers=answers,
        reviews={
            "program-oversight.policies": SimpleNamespace(
                verified_level=1, comment="Only drafts were shown.", reviewer="auditor@example.com"
            ),
            "continuity-recovery.backups-automatic": SimpleNamespace(
                verified_level=None, comment="No restore log."
            ),
        },
        date="2026-11-27",
    )
