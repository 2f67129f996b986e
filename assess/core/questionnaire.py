"""Questionnaires as data: schema, loading, validation and identity.

A questionnaire is a YAML file in ``questionnaires/``. It is read once, validated with pydantic
into immutable objects, and identified by its id, version and a hash of its parsed content
(re-formatting the file does not change the hash). Every validation error names the file, the
line and the place inside the document, e.g. ``areas[3].questions[2].levels``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from assess.core.documents import Document, load_document, place_of, resource_dir
from assess.core.errors import InputError, InputErrors

LEVELS = (0, 1, 2, 3, 4, 5)

#: NIST CSF 2.0 categories (NIST CSWP 29). Subcategories (``GV.RR-03``) are accepted when
#: their category is one of these.
CSF_CATEGORIES: dict[str, str] = {
    "GV.OC": "Organizational Context",
    "GV.RM": "Risk Management Strategy",
    "GV.RR": "Roles, Responsibilities, and Authorities",
    "GV.PO": "Policy",
    "GV.OV": "Oversight",
    "GV.SC": "Cybersecurity Supply Chain Risk Management",
    "ID.AM": "Asset Management",
    "ID.RA": "Risk Assessment",
    "ID.IM": "Improvement",
    "PR.AA": "Identity Management, Authentication, and Access Control",
    "PR.AT": "Awareness and Training",
    "PR.DS": "Data Security",
    "PR.PS": "Platform Security",
    "PR.IR": "Technology Infrastructure Resilience",
    "DE.CM": "Continuous Monitoring",
    "DE.AE": "Adverse Event Analysis",
    "RS.MA": "Incident Management",
    "RS.AN": "Incident Analysis",
    "RS.CO": "Incident Response Reporting and Communication",
    "RS.MI": "Incident Mitigation",
    "RC.RP": "Incident Recovery Plan Execution",
    "RC.CO": "Incident Recovery Communication",
}

_CSF_RE = re.compile(r"^(?P<category>[A-Z]{2}\.[A-Z]{2})(?:-\d{2})?$")
_ID_RE = r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$"

Id = Annotated[str, StringConstraints(pattern=_ID_RE, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Weight = Annotated[float, Field(gt=0, le=100)]


def csf_category(code: str) -> str | None:
    """The CSF 2.0 category a code belongs to, or None when it is not one.

    >>> csf_category("GV.RR-03"), csf_category("RS.MA"), csf_category("XX.YY")
    ('GV.RR', 'RS.MA', None)
    """
    match = _CSF_RE.match(code)
    if match and match["category"] in CSF_CATEGORIES:
        return match["category"]
    return None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class ScaleLevel(_Frozen):
    label: Text
    description: Text


class Question(_Frozen):
    id: Id
    text: Text
    help: Text
    weight: Weight = 1.0
    allow_na: bool = False
    csf: tuple[str, ...] = ()
    levels: dict[int, Text]


class Area(_Frozen):
    id: Id
    title: Text
    responsibility: Text
    csf: tuple[str, ...]
    weight: Weight = 1.0
    questions: tuple[Question, ...] = Field(min_length=1)


class Questionnaire(_Frozen):
    """An immutable, validated questionnaire."""

    id: Id
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Text
    description: Text | None = None
    subset_of: Id | None = None
    scale: dict[int, ScaleLevel]
    areas: tuple[Area, ...] = Field(min_length=1)

    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(cached_property,))

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the parsed content in canonical JSON: formatting does not change it."""
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def identity(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "hash": self.content_hash}

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for area in self.areas for q in area.questions}

    @cached_property
    def area_of(self) -> dict[str, Area]:
        """The area each question id belongs to."""
        return {q.id: area for area in self.areas for q in area.questions}

    @cached_property
    def area_by_id(self) -> dict[str, Area]:
        return {area.id: area for area in self.areas}

    def label(self, level: int) -> str:
        return self.scale[level].label


# --------------------------------------------------------------------------- validation


def _pydantic_errors(doc: Document, exc: ValidationError) -> list[InputError]:
    errors = []
    for err in exc.errors():
        loc = tuple(part for part in err["loc"] if not isinstance(part, str) or part)
        message = err["msg"]
        if err["type"] == "missing":
            message = f"{loc[-1]!s} is missing"
            loc = loc[:-1]
        elif err["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!s}"
        elif err["type"] == "string_pattern_mismatch":
            message = (
                f"{err.get('input')!r} is not a valid id "
                "(lower-case letters, digits and dashes, parts joined by dots)"
            )
        elif err["type"] in {"greater_than", "less_than_equal"} and loc and loc[-1] == "weight":
            message = f"weight must be greater than 0 (got {err.get('input')!r})"
        errors.append(doc.error(loc, message))
    return errors


def _check_levels(doc: Document, loc: tuple, levels: Any, what: str) -> list[InputError]:
    if not isinstance(levels, dict):
        return []
    keys = set(levels)
    errors = []
    missing = [lv for lv in LEVELS if lv not in keys]
    extra = sorted(str(k) for k in keys if k not in LEVELS)
    if missing:
        errors.append(doc.error(loc, f"{what} {', '.join(map(str, missing))} missing (need 0–5)"))
    if extra:
        errors.append(doc.error(loc, f"unknown {what} {', '.join(extra)} (only 0–5 exist)"))
    return errors


def _check_csf(doc: Document, loc: tuple, codes: Any) -> list[InputError]:
    if not isinstance(codes, list | tuple):
        return []
    return [
        doc.error((*loc, i), f"unknown NIST CSF 2.0 category {code!r}")
        for i, code in enumerate(codes)
        if not isinstance(code, str) or csf_category(code) is None
    ]


def _semantic_errors(doc: Document) -> list[InputError]:
    """Checks pydantic cannot express: levels 0–5, CSF codes, unique and prefixed ids."""
    data = doc.data
    errors: list[InputError] = []
    errors += _check_levels(doc, ("scale",), data.get("scale"), "scale level")
    areas = data.get("areas")
    if not isinstance(areas, list):
        return errors
    area_ids: dict[str, int] = {}
    question_ids: dict[str, tuple] = {}
    for a, area in enumerate(areas):
        if not isinstance(area, dict):
            continue
        aloc = ("areas", a)
        area_id = area.get("id")
        if isinstance(area_id, str):
            if area_id in area_ids:
                errors.append(
                    doc.error(
                        (*aloc, "id"),
                        f"duplicate area id {area_id!r} (also areas[{area_ids[area_id]}])",
                    )
                )
            area_ids.setdefault(area_id, a)
        errors += _check_csf(doc, (*aloc, "csf"), area.get("csf"))
        questions = area.get("questions")
        if not isinstance(questions, list):
            continue
        for q, question in enumerate(questions):
            if not isinstance(question, dict):
                continue
            qloc = (*aloc, "questions", q)
            qid = question.get("id")
            if isinstance(qid, str):
                if qid in question_ids:
                    errors.append(
                        doc.error(
                            (*qloc, "id"),
                            f"duplicate question id {qid!r} (also {place_of(question_ids[qid])})",
                        )
                    )
                question_ids.setdefault(qid, qloc)
                if isinstance(area_id, str) and not qid.startswith(area_id + "."):
                    errors.append(
                        doc.error(
                            (*qloc, "id"),
                            f"question id {qid!r} does not start with its area's id {area_id + '.'!r}",
                        )
                    )
            errors += _check_levels(doc, (*qloc, "levels"), question.get("levels"), "level")
            errors += _check_csf(doc, (*qloc, "csf"), question.get("csf"))
    return errors


def parse_questionnaire(doc: Document) -> Questionnaire:
    """Validate a parsed document into a :class:`Questionnaire`, reporting every problem."""
    if not isinstance(doc.data, dict):
        raise doc.error(
            (), "a questionnaire must be a mapping with id, version, title, scale and areas"
        )
    errors = _semantic_errors(doc)
    try:
        questionnaire = Questionnaire.model_validate(doc.data)
    except ValidationError as exc:
        errors += _pydantic_errors(doc, exc)
        questionnaire = None
    if errors:
        errors.sort(key=lambda e: (e.line or 0, e.place or ""))
        raise InputErrors(errors)
    assert questionnaire is not None
    return questionnaire


def load_questionnaire_file(path: str | Path) -> Questionnaire:
    return parse_questionnaire(load_document(path, "questionnaire file"))


# --------------------------------------------------------------------------- the shipped set


def questionnaire_dir() -> Path:
    return resource_dir("questionnaires")


def is_questionnaire_file(path: Path) -> bool:
    """Questionnaire files are the YAML files in questionnaires/ that are not policies."""
    return path.suffix in {".yaml", ".yml"} and not path.stem.endswith("policy")


def shipped_questionnaire_files() -> list[Path]:
    return sorted(p for p in questionnaire_dir().iterdir() if is_questionnaire_file(p))


@lru_cache(maxsize=1)
def shipped_questionnaires() -> dict[str, Questionnaire]:
    """All shipped questionnaires by id, loaded and validated once."""
    return {q.id: q for q in map(load_questionnaire_file, shipped_questionnaire_files())}


DEFAULT_QUESTIONNAIRE = "ciso-nine-areas"


def get_questionnaire(ref: str | None = None) -> Questionnaire:
    """A questionnaire by shipped id, or from a path to a YAML file."""
    ref = ref or DEFAULT_QUESTIONNAIRE
    shipped = shipped_questionnaires()
    if ref in shipped:
        return shipped[ref]
    if ref.endswith((".yaml", ".yml")) or "/" in ref or Path(ref).is_file():
        return load_questionnaire_file(ref)
    known = ", ".join(sorted(shipped)) or "none"
    raise InputError(f"unknown questionnaire {ref!r} (known: {known})")


def check_subset(
    sub: Questionnaire, full: Questionnaire, file: str | None = None
) -> list[InputError]:
    """A quick questionnaire must ask a subset of its full one's questions, unchanged."""
    errors = []
    for a, area in enumerate(sub.areas):
        for q, question in enumerate(area.questions):
            place = place_of(("areas", a, "questions", q))
            original = full.questions.get(question.id)
            if original is None:
                errors.append(
                    InputError(
                        f"question {question.id!r} is not in {full.id}", file=file, place=place
                    )
                )
            elif original != question:
                errors.append(
                    InputError(
                        f"question {question.id!r} differs from {full.id}'s", file=file, place=place
                    )
                )
            elif full.area_of[question.id].id != area.id:
                errors.append(
                    InputError(
                        f"question {question.id!r} sits in another area in {full.id}",
                        file=file,
                        place=place,
                    )
                )
    return errors


def validate_files(paths: Iterable[str | Path]) -> list[InputError]:
    """Validate questionnaire (and policy) files; return every error found."""
    from assess.core import recommend  # policies live beside questionnaires

    files = list(map(Path, paths))
    found: dict[Path, list[InputError]] = {path: [] for path in files}
    loaded: dict[str, tuple[Questionnaire, str]] = {}
    for path in files:
        if path.stem.endswith("policy"):
            continue
        try:
            questionnaire = load_questionnaire_file(path)
        except InputErrors as exc:
            found[path] += exc.errors
            continue
        except InputError as exc:
            found[path].append(exc)
            continue
        loaded[questionnaire.id] = (questionnaire, str(path))
    # Policies after questionnaires: their target bumps may name the areas of any of them.
    area_ids = [area.id for questionnaire, _ in loaded.values() for area in questionnaire.areas]
    for path in files:
        if not path.stem.endswith("policy"):
            continue
        try:
            recommend.load_policy(path, area_ids)
        except InputErrors as exc:
            found[path] += exc.errors
        except InputError as exc:
            found[path].append(exc)
    errors = [error for errors_of_file in found.values() for error in errors_of_file]
    for questionnaire, file in loaded.values():
        if questionnaire.subset_of:
            full = loaded.get(questionnaire.subset_of, (None,))[0]
            if full is None:
                try:
                    full = get_questionnaire(questionnaire.subset_of)
                except InputError as exc:
                    errors.append(InputError(str(exc), file=file, place="subset_of"))
                    continue
            errors += check_subset(questionnaire, full, file)
    return errors
