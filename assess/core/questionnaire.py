"""Questionnaires as data: schema, loading, validation and identity.

A questionnaire is a YAML file in ``questionnaires/``. It is read once, validated with pydantic
into immutable objects, and identified by its id, version and a hash of its parsed content
(re-formatting the file does not change the hash). Every validation error names the file, the
line and the place inside the document, e.g. ``areas[3].questions[2].levels``.

The newest version of each questionnaire sits in ``questionnaires/``; versions it replaced are
kept unchanged in ``questionnaires/archive/`` so the CLI and comparisons can still read them
(``get_questionnaire("ciso-nine-areas@1.0")``). A bare id gives the newest version.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, ValidationError

from assess.core.documents import Document, load_document, place_of, resource_dir
from assess.core.errors import InputError, InputErrors

LEVELS = (0, 1, 2, 3, 4, 5)
#: An action says how to reach a level from the one below, so level 0 has none.
ACTION_LEVELS = (1, 2, 3, 4, 5)

#: Words a reader gets through in a minute when answering. 200 is a round figure below the
#: 238 words a minute measured for silent reading of English non-fiction (Brysbaert 2019,
#: "How many words do we read per minute?", Journal of Memory and Language 109, 104047),
#: because a reader here weighs each level against their own business as they go.
READING_WORDS_PER_MINUTE = 200

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
    #: One of the essential safeguards every small business needs (MFA, backups, ...): a quick
    #: check must ask every essential question of its full questionnaire.
    essential: StrictBool = False
    csf: tuple[str, ...] = ()
    levels: dict[int, Text]
    #: How to reach each level 1–5 from the one below: verb + deliverable + who.
    actions: dict[int, Text] = Field(default_factory=dict)

    @property
    def reading_words(self) -> int:
        """Words a reader reads to answer: the question, its help and its six levels."""
        return sum(_words(t) for t in (self.text, self.help, *self.levels.values()))


def _words(text: str) -> int:
    return len(text.split())


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
        """SHA-256 of the parsed content in canonical JSON: formatting does not change it.

        Keys added after version 1.0 (``essential``, ``actions``) count only when set, so a
        questionnaire written without them keeps the hash its submitted records store.
        """
        content = self.model_dump(mode="json")
        for area in content["areas"]:
            for question in area["questions"]:
                if not question.get("essential"):
                    question.pop("essential", None)
                if not question.get("actions"):
                    question.pop("actions", None)
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def ref(self) -> str:
        """The id and version that find exactly this questionnaire: ``ciso-nine-areas@2.0``."""
        return f"{self.id}@{self.version}"

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

    @cached_property
    def essential_questions(self) -> dict[str, Question]:
        """The questions on essential safeguards, in questionnaire order."""
        return {qid: q for qid, q in self.questions.items() if q.essential}

    @cached_property
    def reading_words(self) -> int:
        """Words of every question's text, help and level descriptions."""
        return sum(q.reading_words for q in self.questions.values())

    @cached_property
    def reading_minutes(self) -> int:
        """Minutes to read the questions once, at READING_WORDS_PER_MINUTE, rounded up."""
        return math.ceil(self.reading_words / READING_WORDS_PER_MINUTE)

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
        elif err["type"] == "bool_type" and loc:
            message = f"{loc[-1]!s} must be true or false (got {err.get('input')!r})"
        elif err["type"] == "dict_type" and loc and loc[-1] == "actions":
            message = "actions must be a mapping of levels 1–5 to what to do"
        errors.append(doc.error(loc, message))
    return errors


def _check_levels(
    doc: Document, loc: tuple, levels: Any, what: str, need: tuple[int, ...] = LEVELS
) -> list[InputError]:
    if not isinstance(levels, dict):
        return []
    keys = set(levels)
    errors = []
    span = f"{need[0]}–{need[-1]}"
    missing = [lv for lv in need if lv not in keys]
    extra = sorted(str(k) for k in keys if k not in need)
    if missing:
        errors.append(
            doc.error(loc, f"{what} {', '.join(map(str, missing))} missing (need {span})")
        )
    if extra:
        errors.append(doc.error(loc, f"unknown {what} {', '.join(extra)} (only {span} exist)"))
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
    with_actions: list[tuple] = []
    without_actions: list[tuple] = []
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
            if "actions" in question:
                with_actions.append(qloc)
                errors += _check_levels(
                    doc, (*qloc, "actions"), question.get("actions"), "action", ACTION_LEVELS
                )
            else:
                without_actions.append(qloc)
            errors += _check_csf(doc, (*qloc, "csf"), question.get("csf"))
    if with_actions:  # actions are all or nothing: a roadmap cannot skip a question
        errors += [
            doc.error(
                qloc,
                f"actions is missing (other questions have them, e.g. {place_of(with_actions[0])})",
            )
            for qloc in without_actions
        ]
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

ARCHIVE = "archive"


def questionnaire_dir() -> Path:
    return resource_dir("questionnaires")


def archive_dir() -> Path:
    """Versions replaced by a newer one, kept unchanged so they stay readable."""
    return questionnaire_dir() / ARCHIVE


def is_questionnaire_file(path: Path) -> bool:
    """Questionnaire files are the YAML files in questionnaires/ that are not policies."""
    return path.suffix in {".yaml", ".yml"} and not path.stem.endswith("policy")


def shipped_questionnaire_files() -> list[Path]:
    """The current questionnaires (not the archive)."""
    return sorted(p for p in questionnaire_dir().iterdir() if is_questionnaire_file(p))


def archived_questionnaire_files() -> list[Path]:
    folder = archive_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if is_questionnaire_file(p))


def shipped_files() -> list[Path]:
    """Every file `assess validate` checks by default: current YAML (policies too) and archive."""
    current = sorted(p for p in questionnaire_dir().iterdir() if p.suffix in {".yaml", ".yml"})
    return current + archived_questionnaire_files()


def version_key(version: str) -> tuple:
    """Sort versions as numbers where they are numbers: "1.10" comes after "1.9".

    >>> sorted(["1.10", "2.0", "1.9"], key=version_key)
    ['1.9', '1.10', '2.0']
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", version))


@lru_cache(maxsize=1)
def all_questionnaires() -> dict[str, Questionnaire]:
    """Every shipped version, current and archived, by ``id@version``, loaded once."""
    loaded = map(
        load_questionnaire_file, shipped_questionnaire_files() + archived_questionnaire_files()
    )
    return {q.ref: q for q in loaded}


@lru_cache(maxsize=1)
def shipped_questionnaires() -> dict[str, Questionnaire]:
    """The newest shipped version of each questionnaire, by id."""
    newest: dict[str, Questionnaire] = {}
    for q in all_questionnaires().values():
        if q.id not in newest or version_key(q.version) > version_key(newest[q.id].version):
            newest[q.id] = q
    return dict(sorted(newest.items()))


DEFAULT_QUESTIONNAIRE = "ciso-nine-areas"


def get_questionnaire(ref: str | None = None) -> Questionnaire:
    """A shipped questionnaire by id (the newest version) or ``id@version``, or a YAML file."""
    ref = ref or DEFAULT_QUESTIONNAIRE
    shipped = shipped_questionnaires()
    if ref in shipped:
        return shipped[ref]
    versions = all_questionnaires()
    if ref in versions:
        return versions[ref]
    if ref.endswith((".yaml", ".yml")) or "/" in ref or Path(ref).is_file():
        return load_questionnaire_file(ref)
    if "@" in ref and ref.split("@", 1)[0] in shipped:
        qid = ref.split("@", 1)[0]
        known = ", ".join(
            sorted((q.version for q in versions.values() if q.id == qid), key=version_key)
        )
        raise InputError(f"unknown version of questionnaire {ref!r} (known: {known})")
    known = ", ".join(sorted(shipped)) or "none"
    raise InputError(f"unknown questionnaire {ref!r} (known: {known})")


def check_subset(
    sub: Questionnaire, full: Questionnaire, file: str | None = None
) -> list[InputError]:
    """A quick questionnaire asks a subset of its full one's questions, unchanged, and every
    essential question of the full one."""
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
    errors += [
        InputError(
            f"essential question {qid!r} of {full.id} is missing (a quick check asks every one)",
            file=file,
            place="areas",
        )
        for qid in full.essential_questions
        if qid not in sub.questions
    ]
    return errors


def _full_of(sub: Questionnaire, loaded: dict[str, Questionnaire]) -> Questionnaire:
    """The questionnaire ``sub`` is a subset of: ``subset_of: id@version`` names it exactly;
    a bare id means the same version as ``sub`` when there is one, else the newest."""
    ref = sub.subset_of or ""
    if "@" in ref:
        return loaded.get(ref) or get_questionnaire(ref)
    same_version = f"{ref}@{sub.version}"
    if same_version in loaded:
        return loaded[same_version]
    newest = [q for q in loaded.values() if q.id == ref]
    if newest:
        return max(newest, key=lambda q: version_key(q.version))
    if same_version in all_questionnaires():
        return all_questionnaires()[same_version]
    return get_questionnaire(ref)


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
        loaded[questionnaire.ref] = (questionnaire, str(path))
    # Policies after questionnaires: their target bumps may name the areas of any of them.
    area_ids = list(
        dict.fromkeys(
            area.id for questionnaire, _ in loaded.values() for area in questionnaire.areas
        )
    )
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
    questionnaires = {ref: questionnaire for ref, (questionnaire, _) in loaded.items()}
    for questionnaire, file in loaded.values():
        if questionnaire.subset_of:
            try:
                full = _full_of(questionnaire, questionnaires)
            except InputError as exc:
                errors.append(InputError(str(exc), file=file, place="subset_of"))
                continue
            errors += check_subset(questionnaire, full, file)
    return errors
