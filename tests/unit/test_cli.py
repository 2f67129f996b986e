"""The offline `assess` command: readable output, valid JSON, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.cli import cli
from tests.conftest import DATA, ROOT
from tests.unit.test_answer_sheets import BAD_SHEETS, write_sheet
from tests.unit.test_evaluation import BAD_REFERENCES

EXAMPLES = ROOT / "examples"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_score_prints_a_readable_table():
    result = run("score", str(EXAMPLES / "answers.yaml"))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Incident response" in out and "Overall:" in out and "First 90 days" in out
    assert "7/7 (1 don't know, 1 n/a)" in out


def test_score_json_follows_the_contract():
    result = run("score", str(EXAMPLES / "answers.yaml"), "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) >= {"questionnaire", "overall", "areas", "roadmap"}
    assert set(data["questionnaire"]) == {"id", "version", "hash"}
    assert set(data["overall"]) == {"score", "level", "label"}
    assert {"id", "title", "score", "target", "gap", "answered", "total", "unknown", "na"} <= set(
        data["areas"][0]
    )
    assert len(data["areas"]) == 9
    # unrounded: the stakeholder area's mean is not a round number
    assert any(len(repr(a["score"])) > 6 for a in data["areas"])


def test_score_csv_has_one_row_per_area():
    result = run("score", str(EXAMPLES / "answers.yaml"), "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "id,title,score,target,gap,answered,total,unknown,na"
    assert len(lines) == 10


def test_the_csv_example_scores_on_the_quick_questionnaire():
    result = run(
        "score",
        str(EXAMPLES / "answers-quick.csv"),
        "--questionnaire",
        "ciso-nine-areas-quick",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert data["questionnaire"]["id"] == "ciso-nine-areas-quick"
    assert sum(a["answered"] for a in data["areas"]) == 28


def test_targets_from_the_command_line_change_the_gap():
    base = json.loads(run("score", str(EXAMPLES / "answers.yaml"), "--format", "json").stdout)
    high = json.loads(
        run(
            "score",
            str(EXAMPLES / "answers.yaml"),
            "--format",
            "json",
            "--target",
            "incident-response=4.5",
        ).stdout
    )
    ir = lambda d: next(a for a in d["areas"] if a["id"] == "incident-response")  # noqa: E731
    assert ir(high)["target"] == 4.5 and ir(high)["gap"] == pytest.approx(ir(base)["gap"] + 1.5)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(("name", "text", "expected"), [*BAD_SHEETS, *BAD_REFERENCES])
def test_bad_input_exits_2_with_one_clear_line(tmp_path, name, text, expected):
    """The answer-sheet and evaluation tests check these messages at their source; here, the
    command prints each on one line and exits 2."""
    path = write_sheet(tmp_path, name, text)
    args = ["score", str(path)]
    if name.endswith(".csv"):
        args += ["--questionnaire", str(DATA / "mini.yaml")]
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for part in expected:
        assert part in lines[0]
    assert "Traceback" not in result.stderr


def test_a_missing_answers_file_is_named(tmp_path):
    result = run("score", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"assess: error: {tmp_path / 'none.yaml'}: answers file not found"
    )


@pytest.mark.parametrize(
    "target", ["incident-response=6", "nowhere=3", "incident-response", "incident-response=high"]
)
def test_bad_targets_exit_2(target):
    result = run("score", str(EXAMPLES / "answers.yaml"), "--target", target)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_validate_passes_on_the_shipped_files():
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    assert "ciso-nine-areas.yaml" in result.stdout


def test_validate_fails_with_every_problem_listed(tmp_path):
    broken = (
        (DATA / "mini.yaml")
        .read_text()
        .replace("csf: [GV.OV]", "csf: [GV.XX]")
        .replace("weight: 3", "weight: 0")
    )
    path = _write(tmp_path, "broken.yaml", broken)
    result = run("validate", str(path), str(DATA / "mini.yaml"))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any("areas[0].csf[0]" in line and "GV.XX" in line for line in lines)
    assert any("areas[0].questions[1].weight" in line for line in lines)


def test_the_installed_console_script_runs():
    """The real `assess` entry point, as a user would call it."""
    exe = Path(sys.executable).parent / "assess"
    done = subprocess.run(
        [str(exe), "score", str(EXAMPLES / "answers.yaml"), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["overall"]["label"]
    bad = subprocess.run(
        [str(exe), "score", "/nonexistent.yaml"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
