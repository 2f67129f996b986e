"""Reading YAML and JSON documents while remembering where each value stood.

Validation errors must name the file, the line and the place (``areas[3].questions[2].levels``),
so documents are read once into plain Python data plus a map from each place to its line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assess.core.errors import InputError

Loc = tuple[str | int, ...]


def place_of(loc: Iterable[str | int]) -> str:
    """Render a location path the way our messages show it.

    >>> place_of(("areas", 3, "questions", 2, "levels"))
    'areas[3].questions[2].levels'
    >>> place_of(())
    '(top level)'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class Document:
    """Parsed data, the file it came from, and the line of every place in it."""

    data: Any
    file: str
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Iterable[str | int]) -> int | None:
        """The line of ``loc``, or of its nearest enclosing place that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())

    def error(self, loc: Iterable[str | int], message: str) -> InputError:
        loc = tuple(loc)
        return InputError(message, file=self.file, line=self.line_of(loc), place=place_of(loc))


class _Walker:
    """Walks a composed YAML node tree, recording lines and refusing duplicate keys."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Loc, int] = {}

    def walk(self, node: yaml.Node, loc: Loc) -> None:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = _scalar_key(key_node)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise InputError(
                        f"duplicate key {key!r} (first on line {seen[key]})",
                        file=self.file,
                        line=line,
                        place=place_of(loc) if loc else None,
                    )
                seen[key] = line
                self.walk(value_node, (*loc, key))
                self.lines[(*loc, key)] = line
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*loc, index))


def _scalar_key(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value = yaml.SafeLoader(node.value).get_single_data() if node.value else node.value
        return value if isinstance(value, str | int) else node.value
    return str(node.value)


def read_text(path: str | Path, what: str = "file") -> str:
    """Read a UTF-8 text file, turning OS errors into one-line input errors."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError(f"{what} is a directory, not a file", file=str(path)) from None
    except PermissionError:
        raise InputError(f"{what} cannot be read (permission denied)", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"{what} cannot be read ({exc.strerror})", file=str(path)) from None


def parse_yaml(text: str, file: str) -> Document:
    """Parse YAML (JSON is YAML too) into a :class:`Document`.

    >>> doc = parse_yaml("a:\\n  b: [1, 2]\\n", "x.yaml")
    >>> doc.data, doc.line_of(("a", "b", 1))
    ({'a': {'b': [1, 2]}}, 2)
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise InputError(f"malformed YAML: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", file=file) from None
    walker = _Walker(file)
    if node is not None:
        walker.walk(node, ())
    return Document(data=data, file=file, lines=walker.lines)


def load_document(path: str | Path, what: str = "file") -> Document:
    """Load a YAML or JSON file with line information."""
    path = Path(path)
    text = read_text(path, what)
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"malformed JSON: {exc.msg}", file=str(path), line=exc.lineno
            ) from None
    return parse_yaml(text, str(path))


def resource_dir(name: str) -> Path:
    """A folder shipped with the app (templates, static, questionnaires, migrations).

    In a wheel they sit inside the package; in a checkout (editable install) at the root.
    """
    package = Path(__file__).resolve().parent.parent  # assess/, above core/
    inside = package / name
    if inside.is_dir():
        return inside
    return package.parent / name
