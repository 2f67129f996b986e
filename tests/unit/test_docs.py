"""The README stays honest: every command and every setting is documented there."""

from __future__ import annotations

import re

import click
import pytest

from assess.cli import APP_COMMANDS, cli
from assess.web import config
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
FLASK_BUILTINS = {"run", "shell", "routes", "db", "limiter"}


def command_paths() -> list[str]:
    paths = []
    commands = {**cli.commands, **{c.name: c for c in APP_COMMANDS}}
    for name, command in commands.items():
        if name in FLASK_BUILTINS:
            continue
        if isinstance(command, click.Group):
            paths += [f"assess {name} {sub}" for sub in command.commands]
        else:
            paths.append(f"assess {name}")
    return sorted(paths)


@pytest.mark.parametrize("path", command_paths())
def test_is_every_command_in_the_readme(path):
    assert path in README, f"`{path}` is not documented in README.md"


def test_is_assess_run_in_the_readme():
    assert "assess run" in README and "make run" in README and "make test" in README


SETTINGS = sorted(set(re.findall(r"^\| ([A-Z_]+) \|", config.__doc__ or "", flags=re.M)))


@pytest.mark.parametrize("name", SETTINGS)
def test_is_every_setting_in_the_readme(name):
    assert f"`{name}`" in README, f"the setting {name} is not documented in README.md"


def test_are_the_settings_read_from_the_environment_the_documented_ones():
    source = (ROOT / "assess" / "web" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', source)) | set(
        re.findall(r'_(?:int|flag)\("([A-Z_]+)"', source)
    )
    assert read <= set(SETTINGS), (
        f"undocumented in config.py's table: {sorted(read - set(SETTINGS))}"
    )
