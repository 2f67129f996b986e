"""The stylesheets parse: a rule left open (as a merge once left one) silently drops every
rule after it, which only the browser tests would notice, page by page."""

from __future__ import annotations

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.mark.parametrize("path", sorted(STATIC.rglob("*.css")), ids=lambda p: p.name)
def test_does_every_rule_of_the_stylesheet_close(path: Path):
    depth = 0
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert 0 <= depth <= 2, f"{path.name}:{number}: braces do not balance here"
    assert depth == 0, f"{path.name}: a rule is never closed"
