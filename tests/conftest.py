"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "unit" / "data"


def missing_tool(message: str) -> None:
    """Skip with a message saying how to get the tool, except under CI, where it fails."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI runs everything: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def mini():
    from assess.questionnaire import load_questionnaire_file

    return load_questionnaire_file(DATA / "mini.yaml")
