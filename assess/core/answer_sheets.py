"""Answer sheets: reading answers from YAML or CSV files, and checking them against a
questionnaire. The same check serves the CLI (one error, with file and line) and the API
(every error, by question id).

YAML: ``{questionnaire: ID, answers: {QUESTION_ID: LEVEL | na | unknown | {level, note}}}``.
CSV: a header ``question_id,level,note`` and one row per answer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.core.documents import parse_yaml, read_text
from assess.core.errors import InputError
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import NA, Answer, AnswerValueError, parse_answer

CSV_COLUMNS = ("question_id", "level", "note")


@dataclass(frozen=True)
class Entry:
    """One raw answer as written in a file, with the line it stood on."""

    question: str
    value: Any
    line: int | None = None


@dataclass(frozen=True)
class AnswerSheet:
    file: str
    questionnaire: str | None
    entries: tuple[Entry, ...]


def check_answer(questionnaire: Questionnaire, question_id: Any, value: Any) -> Answer:
    """One answer checked against its questionnaire; AnswerValueError says what is wrong."""
    if not isinstance(question_id, str) or question_id not in questionnaire.questions:
        raise AnswerValueError(f"unknown question id {question_id!r} in {questionnaire.id}")
    answer = parse_answer(value)
    if answer.status == NA and not questionnaire.questions[question_id].allow_na:
        raise AnswerValueError(f"question {question_id!r} cannot be answered na")
    return answer


def check_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any]
) -> tuple[dict[str, Answer], dict[str, str]]:
    """Check a mapping of answers; return the good ones and an error per bad question id."""
    good: dict[str, Answer] = {}
    bad: dict[str, str] = {}
    for question_id, value in raw.items():
        try:
            good[question_id] = check_answer(questionnaire, question_id, value)
        except AnswerValueError as exc:
            bad[str(question_id)] = str(exc)
    return good, bad


def answers_from_sheet(questionnaire: Questionnaire, sheet: AnswerSheet) -> dict[str, Answer]:
    """The sheet's answers, or an InputError naming the first bad one by file and line."""
    answers: dict[str, Answer] = {}
    lines: dict[str, int | None] = {}
    for entry in sheet.entries:
        if entry.question in answers:
            first = lines[entry.question]
            raise InputError(
                f"question {entry.question!r} is answered twice"
                + (f" (first on line {first})" if first else ""),
                file=sheet.file,
                line=entry.line,
            )
        try:
            answers[entry.question] = check_answer(questionnaire, entry.question, entry.value)
        except AnswerValueError as exc:
            place = f"answers.{entry.question}" if isinstance(entry.question, str) else None
            raise InputError(str(exc), file=sheet.file, line=entry.line, place=place) from None
        lines[entry.question] = entry.line
    return answers


def parse_yaml_sheet(text: str, file: str) -> AnswerSheet:
    doc = parse_yaml(text, file)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "an answers file must be a mapping with 'questionnaire' and 'answers'")
    unknown = set(data) - {"questionnaire", "answers", "targets"}
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise doc.error((key,), f"unknown key {key!r} (use questionnaire and answers)")
    questionnaire = data.get("questionnaire")
    if questionnaire is not None and not isinstance(questionnaire, str):
        raise doc.error(("questionnaire",), "questionnaire must be an id or a path")
    answers = data.get("answers")
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise doc.error(("answers",), "answers must be a mapping of question id to level")
    entries = tuple(
        Entry(question=qid, value=value, line=doc.line_of(("answers", qid)))
        for qid, value in answers.items()
    )
    return AnswerSheet(file=file, questionnaire=questionnaire, entries=entries)


def parse_csv_sheet(text: str, file: str) -> AnswerSheet:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            "the CSV file is empty (need a header question_id,level,note)", file=file
        ) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=file, line=1) from None
    columns = [h.strip().lower() for h in header]
    if columns[:2] != ["question_id", "level"] or any(c not in CSV_COLUMNS for c in columns):
        raise InputError(
            f"the CSV header must be question_id,level,note (got {','.join(header)})",
            file=file,
            line=1,
        )
    entries = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                raise InputError(
                    f"{len(row)} columns where the header has {len(columns)}", file=file, line=line
                )
            record = dict(zip(columns, (cell.strip() for cell in row), strict=False))
            level = record.get("level", "")
            note = record.get("note", "")
            if level == "":
                if note:
                    raise InputError(
                        f"question {record['question_id']!r} has a note but no level",
                        file=file,
                        line=line,
                    )
                continue
            value: Any = {"level": level, "note": note} if note else level
            entries.append(Entry(question=record["question_id"], value=value, line=line))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=file, line=reader.line_num) from None
    return AnswerSheet(file=file, questionnaire=None, entries=tuple(entries))


def load_sheet(path: str | Path) -> AnswerSheet:
    """Read an answers file, YAML or CSV by its extension."""
    path = Path(path)
    text = read_text(path, "answers file")
    if path.suffix.lower() == ".csv":
        return parse_csv_sheet(text, str(path))
    return parse_yaml_sheet(text, str(path))


def sheet_to_yaml_data(questionnaire_id: str, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The YAML answers-file form of some answers (for exports and examples)."""
    return {
        "questionnaire": questionnaire_id,
        "answers": {
            qid: ({"level": a.value, "note": a.note} if a.note else a.value)
            for qid, a in answers.items()
        },
    }


def parse_targets(items: Iterable[str], questionnaire: Questionnaire) -> dict[str, float]:
    """``AREA=LEVEL`` pairs from the command line, checked against the questionnaire.

    >>> from assess.core.questionnaire import get_questionnaire
    >>> parse_targets(["incident-response=4"], get_questionnaire())
    {'incident-response': 4.0}
    """
    targets: dict[str, float] = {}
    for item in items:
        area, sep, level = item.partition("=")
        area = area.strip()
        if not sep:
            raise InputError(f"--target {item!r}: use AREA=LEVEL, e.g. incident-response=4")
        if area not in questionnaire.area_by_id:
            known = ", ".join(questionnaire.area_by_id)
            raise InputError(f"--target {item!r}: unknown area {area!r} (areas: {known})")
        targets[area] = parse_target_level(level, f"--target {item!r}")
    return targets


def parse_target_level(value: Any, what: str = "target") -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond floats
        raise InputError(f"{what}: {value!r} is not a number from 0 to 5") from None
    if not 0 <= number <= 5:
        raise InputError(f"{what}: {number:g} is outside 0–5")
    return number
