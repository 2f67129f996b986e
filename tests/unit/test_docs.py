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


# --------------------------------------------------------------------------- the layout


def layout_entries() -> dict[str, str]:
    """The README's Layout block: path → its one-line description."""
    section = README.split("## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```\n", 1)[1].split("```", 1)[0]
    entries = {}
    for line in block.splitlines():
        path, _, description = line.partition(" ")
        entries[path] = description.strip()
    return entries


def package_tree() -> set[str]:
    """Every module (``__init__.py`` of the top package only) and subpackage of ``assess/``."""
    found = {"assess/__init__.py"}
    for path in (ROOT / "assess").rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if path.name == "__init__.py":
            if path.parent != ROOT / "assess":
                found.add(relative.removesuffix("__init__.py"))
        else:
            found.add(relative)
    return found


def test_does_the_readme_layout_list_every_module_and_package_once():
    listed = {path for path in layout_entries() if path.startswith("assess/")}
    tree = package_tree()
    assert sorted(tree - listed) == [], "in the tree but not in the README's Layout"
    assert sorted(listed - tree) == [], "in the README's Layout but not in the tree"


def test_does_every_layout_line_say_what_it_is():
    assert all(len(description.split()) >= 3 for description in layout_entries().values())
