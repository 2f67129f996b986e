"""PDF reports from WeasyPrint: one assessment, and an organization over time.

They need Chromium (for the charts) and poppler-utils (to read the PDF back); without them the
tests skip locally and fail under CI.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from assess.outputs import pdf
from assess.outputs.presentation import VERDICTS, fmt_money, fmt_score


def pdf_text(data: bytes, tmp_path: Path, name: str = "out.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def pdf_info(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


# --------------------------------------------------------------------------- the reports


def test_does_the_report_say_what_an_owner_needs(
    chromium, poppler, report_context, areas, tmp_path
):
    """Cover, page numbers, every area, the largest gaps and the verdict, on A4."""
    data = pdf.report_pdf(report_context)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "Harborview Medical Billing" in text
    assert "27 November 2026" in text
    assert "Page 1 of" in text
    assert "ciso-nine-areas, version 2.0" in text
    for area in areas:
        assert area["title"] in text
    verdict = VERDICTS[report_context["recommendation"].hire]
    assert verdict in text
    assert f"{fmt_score(report_context['results'].overall.score)} of 5" in text
    largest = sorted((a for a in areas if a["gap"]), key=lambda a: -a["gap"])[:3]
    for area in largest:
        assert f"{area['title']}: {fmt_score(area['score'])} against a target of" in text
    rec = report_context["recommendation"]
    for option in rec.costs.options:  # every engagement, priced, with its lines
        assert option.label in text and fmt_money(option.annual_usd) in text
    assert "(managed detection and response, MDR)" in text
    assert "Only drafts were shown." in text  # the review, in the appendix
    assert "The first 90 days" in text
    info = pdf_info(data, tmp_path)
    assert "(A4)" in info


def test_does_every_page_of_the_report_carry_content(chromium, poppler, report_context, tmp_path):
    """No page but the last holds only a heading or a table's last rows: a heading with its
    footer is ~130 characters, two rows of the levels table ~300 (both happened: four narrow
    option cards pushed their heading onto a page of its own)."""
    data = pdf.report_pdf(report_context)
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(data, tmp_path)).group(1))
    sizes = []
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        sizes.append(len(" ".join(text.split())))
    assert min(sizes[:-1]) >= 400, sizes


def test_does_the_report_print_on_letter(chromium, poppler, report_context, tmp_path):
    data = pdf.report_pdf(report_context, page_size="letter")
    assert "612 x 792 pts (letter)" in pdf_info(data, tmp_path)
    with pytest.raises(ValueError, match="A4 or Letter"):
        pdf.report_pdf(report_context, page_size="A5")


def test_is_a_name_with_markup_printed_as_written(chromium, poppler, report_context, tmp_path):
    """Is an organization named with quotes, & and </style> shown as text on cover and footer?"""
    name = 'Smith & "Sons" </style><b>Ltd</b>'
    data = pdf.report_pdf({**report_context, "organization": name, "recommendation": None})
    text = pdf_text(data, tmp_path)
    assert text.count(name) >= 3  # cover, summary, and the footer of each page
    assert "No recommendation" in text


def test_does_the_organization_report_show_trend_comparison_and_advice(
    chromium, poppler, report, areas, tmp_path
):
    titles = {a["id"]: a["title"] for a in areas}
    history = [
        {
            "label": label,
            "date": date,
            "overall": 1.0 + step,
            "areas": {a["id"]: min(5.0, (a["score"] or 0) + step) for a in areas},
            "area_titles": titles,
        }
        for step, (label, date) in enumerate(
            [("March 2025", "2025-03-10"), ("June 2026", "2026-06-15")]
        )
    ]
    comparison = {
        "from_label": "March 2025",
        "to_label": "June 2026",
        "overall_from": 1.0,
        "overall_to": 2.0,
        "areas": [
            {
                "id": a["id"],
                "title": a["title"],
                "from": history[0]["areas"][a["id"]],
                "to": history[1]["areas"][a["id"]],
                "delta": 1.0,
            }
            for a in areas
        ]
        + [
            {
                "id": "new-area",
                "title": "A brand new area",
                "from": None,
                "to": 2.0,
                "status": "added",
            }
        ],
    }
    data = pdf.organization_report_pdf(
        {
            "organization": "Harborview Medical Billing",
            "history": history,
            "comparison": comparison,
            "recommendation": report.recommendation,
        }
    )
    text = pdf_text(data, tmp_path)
    assert "Harborview Medical Billing" in text
    assert "Page 1 of" in text
    assert "March 2025 compared with June 2026" in text
    assert "+1.0" in text
    assert "new in June 2026" in text
    for area in areas:
        assert area["title"] in text
    assert VERDICTS[report.recommendation.hire] in text


def test_does_an_organization_without_history_get_a_report(chromium, poppler, tmp_path):
    data = pdf.organization_report_pdf({"organization": "New Co", "history": []})
    text = pdf_text(data, tmp_path)
    assert "No submitted assessment yet." in text
    assert "No recommendation" in text


def test_does_the_organization_report_end_with_the_action_plan(chromium, poppler, tmp_path):
    from datetime import date

    plan = {
        "progress": "1 of 2 done, 1 overdue",
        "items": [
            {
                "title": "Turn on multi-factor sign-in for email",
                "status": "in_progress",
                "owner": "Dana from IT",
                "due_date": date(2020, 1, 15),
                "overdue": True,
                "met_in": None,
            },
            {
                "title": "Write the incident plan",
                "status": "done",
                "owner": None,
                "due_date": None,
                "overdue": False,
                "met_in": "#4 · 2026-06-01",
            },
        ],
    }
    data = pdf.organization_report_pdf({"organization": "New Co", "history": [], "plan": plan})
    text = pdf_text(data, tmp_path)
    assert "Action plan" in text and "1 of 2 done, 1 overdue" in text
    assert "Turn on multi-factor sign-in for email" in text and "Dana from IT" in text
    assert "15 January 2020" in text and "overdue" in text and "In progress" in text
    assert "Nobody yet" in text and "No date" in text and "met in #4" in text
    without = pdf_text(
        pdf.organization_report_pdf({"organization": "New Co", "history": []}), tmp_path
    )
    assert "Action plan" not in without
