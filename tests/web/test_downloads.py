"""Downloads from the pages, the API and the CLI: chart files and PDF reports, read back."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assess.cli import cli
from assess.outputs import images
from assess.records import history
from assess.records.database import db
from assess.records.demo import create_demo
from tests.conftest import missing_tool
from tests.factories import PROFILE, login_as

QUICK = "ciso-nine-areas-quick"
ANSWERS = {
    "program-oversight.accountable-owner": 2,
    "incident-response.plan": {"level": 1, "note": "<i>phone list</i> only"},
    "continuity-recovery.backups-automatic": 3,
    "security-budget.risk-based": "unknown",
}
TITLES = ["Program oversight", "Incident response", "Continuity and recovery", "Security budget"]


pytestmark = pytest.mark.usefixtures("chromium")  # every test here: tests/conftest.py's


@pytest.fixture
def owner(client, factory):
    user = factory.user("owner@example.com")
    org = factory.organization(user, "Acme <Dental>")
    assessment = factory.assessment(org, user, QUICK, ANSWERS)
    login_as(client, user.email)
    return user, org, assessment


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        missing_tool("pdftotext is needed to read PDFs back: apt-get install poppler-utils")
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def external_references(html: str) -> list[str]:
    """src/href attributes of tags in the document that point to another host."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in {"src", "href"} and value and re.match(r"(https?:)?//", value):
                    found.append(f"<{tag} {name}={value}>")

    Tags().feed(html)
    return found


def svg_texts(data: bytes) -> list[str]:
    return sorted(re.findall(r"<text[^>]*>([^<]+)</text>", data.decode("utf-8")))


def test_does_the_radar_download_as_a_png_of_print_size(client, owner):
    _, _, assessment = owner
    response = client.get(f"/assessments/{assessment.id}/charts/radar.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    assert png_size(response.data) == (1800, 1300)


def test_do_svg_and_pdf_charts_carry_the_area_names(client, owner, tmp_path):
    _, _, assessment = owner
    svg = client.get(f"/assessments/{assessment.id}/charts/gaps.svg")
    assert svg.mimetype == "image/svg+xml"
    text = " ".join(svg_texts(svg.data))
    assert all(title in text for title in TITLES)
    pdf = client.get(f"/assessments/{assessment.id}/charts/radar.pdf")
    assert pdf.data.startswith(b"%PDF") and "Target" in pdf_text(pdf.data, tmp_path)


def test_is_the_html_chart_self_contained(client, owner):
    _, _, assessment = owner
    html = client.get(f"/assessments/{assessment.id}/charts/radar.html").get_data(as_text=True)
    assert external_references(html) == []
    assert "Plotly.newPlot" in html
    assert len(html) > 1_000_000  # plotly.js is inline


def test_does_the_report_read_right(client, owner, tmp_path):
    _, _, assessment = owner
    response = client.get(f"/assessments/{assessment.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "Acme <Dental>" in text  # the name as text, not markup
    assert "Page 1 of" in text and "Executive summary" in text
    assert all(title in text for title in TITLES)
    assert "<i>phone list</i> only" in text  # notes printed as written
    letter = client.get(f"/assessments/{assessment.id}/report.pdf?size=letter")
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_do_the_api_and_the_cli_give_the_same_files(client, owner, factory, tmp_path):
    user, org, assessment = owner
    headers = {"Authorization": f"Bearer {factory.token(user)}"}
    api_svg = client.get(f"/api/v1/assessments/{assessment.id}/charts/radar.svg", headers=headers)
    page_svg = client.get(f"/assessments/{assessment.id}/charts/radar.svg")
    assert api_svg.status_code == 200 and svg_texts(api_svg.data) == svg_texts(page_svg.data)
    api_png = client.get(f"/api/v1/assessments/{assessment.id}/charts/radar.png", headers=headers)
    # the CLI on the same answers, profile and targets
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"questionnaire": QUICK, "answers": ANSWERS}))
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump({"organization": org.name, **PROFILE}))
    out_svg, out_png, out_pdf = tmp_path / "r.svg", tmp_path / "r.png", tmp_path / "r.pdf"
    runner = CliRunner()
    for target in (out_svg, out_png):
        done = runner.invoke(
            cli, ["score", str(answers), "--profile", str(profile), "--chart", str(target)]
        )
        assert done.exit_code == 0, done.stderr
    # the same chart; the server's file also says whose it is in its title
    server_texts = [t for t in svg_texts(api_svg.data) if "Acme" not in t]
    cli_texts = [t for t in svg_texts(out_svg.read_bytes()) if "Maturity by area" not in t]
    assert cli_texts == [t for t in server_texts if "Maturity by area" not in t]
    assert b"Acme &#60;Dental&#62;" in api_svg.data  # whose chart, as text
    assert png_size(out_png.read_bytes()) == png_size(api_png.data)
    done = runner.invoke(
        cli, ["score", str(answers), "--profile", str(profile), "--report", str(out_pdf)]
    )
    assert done.exit_code == 0
    api_pdf = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf", headers=headers)
    cli_text, api_text = pdf_text(out_pdf.read_bytes(), tmp_path), pdf_text(api_pdf.data, tmp_path)
    for needle in ("Executive summary", "Incident response", "Engage a virtual CISO"):
        assert needle in cli_text and needle in api_text


def test_does_the_organization_trend_and_report_download(client, app, tmp_path):
    org, logins = create_demo()
    login = next(login for login in logins if login.role == "auditor")
    login_as(client, login.email, login.password)
    trend = client.get(f"/organizations/{org.id}/charts/trend.svg")
    assert trend.status_code == 200 and "Overall" in " ".join(svg_texts(trend.data))
    first, *_, last = history.submitted_assessments(org)
    compared = client.get(
        f"/organizations/{org.id}/charts/compare.png?from={first.id}&to={last.id}"
    )
    assert png_size(compared.data)[0] > 1000
    text = pdf_text(client.get(f"/organizations/{org.id}/report.pdf").data, tmp_path)
    assert org.name in text and "Page 1 of" in text


def test_does_the_report_footer_keep_page_n_of_m_on_one_line(client, app, tmp_path):
    """A long organization name fills the footer's left box; the page number beside it keeps
    "Page N of M" whole on every page (it wrapped as "Page 2 of / 13")."""
    org, logins = create_demo()
    org.name = "Northern Regional Dental and Orthodontic Practice Partnership Holdings " * 2
    db.session.commit()
    login = next(login for login in logins if login.role == "owner")
    login_as(client, login.email, login.password)
    data = client.get(f"/organizations/{org.id}/report.pdf").data
    pages = pdf_text(data, tmp_path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"Page {number} of {len(pages)}\s*$", page.rstrip(), re.MULTILINE), (
            f"page {number}: {page.rstrip().splitlines()[-3:]}"
        )


def test_are_the_download_buttons_on_the_pages(client, app):
    org, logins = create_demo()
    login = next(login for login in logins if login.role == "owner")
    login_as(client, login.email, login.password)
    first, *_, last = history.submitted_assessments(org)
    results = client.get(f"/assessments/{last.id}/results").get_data(as_text=True)
    for fmt in ("png", "svg", "pdf", "html"):
        assert f"/assessments/{last.id}/charts/radar.{fmt}" in results
        assert f"/assessments/{last.id}/charts/gaps.{fmt}" in results
    assert f"/assessments/{last.id}/report.pdf" in results
    history_page = client.get(f"/organizations/{org.id}/history").get_data(as_text=True)
    assert (
        f"/organizations/{org.id}/charts/trend.png" in history_page
        and f"/organizations/{org.id}/report.pdf" in history_page
    )
    compare = client.get(f"/organizations/{org.id}/compare?from={first.id}&to={last.id}").get_data(
        as_text=True
    )
    assert f"/organizations/{org.id}/charts/compare.png?from={first.id}" in compare.replace(
        "&amp;", "&"
    )


def test_without_chromium_do_downloads_answer_503_and_pages_still_work(client, owner, monkeypatch):
    _, _, assessment = owner
    images.shutdown()
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    response = client.get(f"/assessments/{assessment.id}/charts/radar.png")
    assert response.status_code == 503 and "not available" in response.get_data(as_text=True)
    assert client.get(f"/assessments/{assessment.id}/results").status_code == 200
    html = client.get(f"/assessments/{assessment.id}/charts/radar.html")
    assert html.status_code == 200  # HTML needs no browser
    monkeypatch.delenv("BROWSER_PATH")
    images.shutdown()


def test_can_a_stranger_download_anything(app, owner, factory):
    _, org, assessment = owner
    stranger = factory.user("stranger@example.com")
    fresh = app.test_client()
    assert login_as(fresh, stranger.email).status_code == 302
    for path in (
        f"/assessments/{assessment.id}/charts/radar.png",
        f"/assessments/{assessment.id}/report.pdf",
        f"/organizations/{org.id}/charts/trend.svg",
        f"/organizations/{org.id}/report.pdf",
    ):
        assert fresh.get(path).status_code == 404, path


def test_does_a_draft_report_say_it_is_a_draft(client, owner, tmp_path):
    _, _, assessment = owner
    text = pdf_text(client.get(f"/assessments/{assessment.id}/report.pdf").data, tmp_path)
    assert "Draft: these answers were not submitted" in text and "DRAFT, not submitted" in text


def test_are_report_file_names_transliterated_and_distinct_per_page_size(client, owner):
    from assess.records.database import db

    _, org, assessment = owner
    org.name = "Zoë's Café"
    db.session.commit()
    names = set()
    for query in ("", "?size=letter"):
        response = client.get(f"/assessments/{assessment.id}/report.pdf{query}")
        assert response.status_code == 200
        names.add(re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"])[1])
    assert names == {
        f"zoe-s-cafe-assessment-{assessment.id}-report-a4.pdf",
        f"zoe-s-cafe-assessment-{assessment.id}-report-letter.pdf",
    }
