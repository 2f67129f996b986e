"""The recommendation as a terminal block: every section, numbered sources, 100 columns."""

from __future__ import annotations

from assess.core.recommend import load_profile, recommend
from assess.outputs.recommendation_text import format_recommendation
from tests.unit.recommend.cases import EXAMPLES, areas_frame


def test_format_has_every_section_and_numbered_sources() -> None:
    text = format_recommendation(
        recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(1.5))
    )
    for heading in (
        "Recommendation for Harborview Medical Billing: engage a virtual CISO (vCISO)",
        "Margin: 4.5 points below the 10 that call for a full-time CISO: a clear margin.",
        "of your $11.5M revenue",
        "\nWhy\n",
        "Yearly cost of each option",
        "  Virtual CISO (vCISO) on retainer: about $",
        "  (recommended)\n",
        "Round-the-clock monitoring of your computers for attacks (managed detection and response,",
        "From a vCISO to a full-time CISO",
        "Reporting line",
        "Largest gaps (what to do first is the first 90 days)",
        "\nSources\n",
        "  [1] ",
    ):
        assert heading in text
