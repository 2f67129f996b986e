"""How values read to a person: the same on the pages, in the PDF reports and in the terminal.

Labels: an answer ("Level 2 — Repeatable", "Not applicable", "Don't know", "Not answered"), a
level, the verdict, the cost options, what a recommendation factor pushes toward, and the ids
of the profile's choices ("phi" → "Health records"). Formats: a score (one decimal), a change
("+0.5", "0.0"), money ("$24,000"), a plain number, points ("+2.5"), a percentage and a date.

Each is a plain function, and :data:`FILTERS` names them as Jinja filters, registered on the
Flask environment (``assess.web.app``) and on the PDF one (``assess.outputs.pdf``). A missing
value reads "–" in every format. The words for answers without a level come from
:mod:`assess.core.charts`, whose hovers say them in running text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from assess.core import charts
from assess.core.recommend.policy_file import load_policy
from assess.core.scoring import shown_score
from assess.outputs.questionnaire_words import (
    attr as _attr,
)
from assess.outputs.questionnaire_words import (
    question_text,
    questionnaire_name,
    questions_by_area,
)

#: What a value that is not there reads as, in every format.
NONE = "–"

# --------------------------------------------------------------------------- answers and levels

#: An answer without a level, as a label (the sentence-case form of the core's wording).
NOT_ANSWERED = charts.NOT_ANSWERED.capitalize()
DONT_KNOW = charts.DONT_KNOW.capitalize()
NOT_APPLICABLE = charts.NOT_APPLICABLE.capitalize()
ANSWER_WORDS = {"na": NOT_APPLICABLE, "unknown": DONT_KNOW}


def level_text(level: Any, scale: Any = None) -> str:
    """A level with its name on the questionnaire's scale, when one is given.

    ``scale`` is a questionnaire (``label(level)``), a mapping of levels to names (or to
    ``{label: ...}``), or the name itself.

    >>> level_text(2, "Repeatable"), level_text("3", {3: "Defined"}), level_text(4)
    ('Level 2 — Repeatable', 'Level 3 — Defined', 'Level 4')
    >>> level_text(None)
    '–'
    """
    if _missing(level) or level == "":
        return NONE
    try:
        level = int(level)
    except (TypeError, ValueError):
        return str(level)
    label = _scale_label(scale, level)
    return f"Level {level} — {label}" if label else f"Level {level}"


def answer_text(value: Any, scale: Any = None) -> str:
    """An answer as a person reads it: a level (with its name when ``scale`` is given),
    "Not applicable", "Don't know", or "Not answered".

    ``value`` is what the API writes (a level, ``na``, ``unknown``, None) or an answer with
    ``status`` and ``level`` (a ``scoring.Answer`` or a stored row).

    >>> answer_text(2, "Repeatable"), answer_text("na"), answer_text("unknown")
    ('Level 2 — Repeatable', 'Not applicable', "Don't know")
    >>> answer_text(None), answer_text(""), answer_text("3")
    ('Not answered', 'Not answered', 'Level 3')
    """
    status = _attr(value, "status")
    if status is not None:
        value = _attr(value, "level") if status == "level" else status
    if _missing(value) or value == "" or value == "missing":
        return NOT_ANSWERED
    text = str(value).strip().lower()
    if text in ANSWER_WORDS:
        return ANSWER_WORDS[text]
    return level_text(value, scale)


def _scale_label(scale: Any, level: int) -> str | None:
    if scale is None:
        return None
    if isinstance(scale, str):
        return scale
    if isinstance(scale, Mapping):
        entry = scale.get(level, scale.get(str(level)))
        return _attr(entry, "label") if entry is not None and not isinstance(entry, str) else entry
    label = getattr(scale, "label", None)
    if callable(label):
        try:
            return str(label(level))
        except (KeyError, IndexError, ValueError):
            return None
    return None


# --------------------------------------------------------------------------- the recommendation

VERDICTS = {
    "ciso": "Hire a full-time CISO",
    "vciso": "Engage a virtual CISO (vCISO)",
}
#: The verdict by engagement (who does the work), as the pages and reports say it.
ENGAGEMENT_VERDICTS = {
    "basics": "Let your IT provider do the basics, with a vCISO review a few times a year",
    "fractional": "Engage a virtual CISO (vCISO)",
    "fractional_with_manager": "Hire a security manager and engage a vCISO",
    "full_time": "Hire a full-time CISO",
}
#: The options, as the cost cards name them (the two leaders, then the engagements).
OPTION_NAMES = {
    "vciso": "Virtual CISO (vCISO)",
    "ciso": "Full-time CISO",
    "basics": "IT provider + periodic vCISO review",
    "fractional": "Virtual CISO (vCISO) on retainer",
    "fractional_with_manager": "Security manager + vCISO",
    "full_time": "Full-time CISO",
}
#: What a reason pushes toward.
EFFECTS = {"toward_ciso": "Full-time CISO", "toward_vciso": "vCISO", "neutral": "Neither"}

#: Labels for the ids of the profile's choices (an id not listed is humanized).
CHOICE_LABELS = {
    # regulations
    "hipaa": "HIPAA (US health data)",
    "pci_dss": "PCI DSS (payment cards)",
    "glba": "GLBA / FTC Safeguards Rule (financial services)",
    "sox": "SOX (US public companies)",
    "gdpr": "GDPR (personal data of people in the EU)",
    "ccpa": "CCPA / CPRA (California consumers)",
    "cmmc": "CMMC (US defense contracts)",
    "itar": "ITAR (US defense articles)",
    "nydfs": "NYDFS Cybersecurity Regulation (New York financial services)",
    "ferpa": "FERPA (US student records)",
    "soc2": "SOC 2 (customer audits)",
    # sensitive data
    "pii": "Personal data (names, addresses, ID numbers)",
    "phi": "Health records",
    "payment": "Payment card data",
    "financial": "Financial account data",
    "cui": "Controlled Unclassified Information (US government)",
    "intellectual_property": "Intellectual property and trade secrets",
    # who leads security
    "none": "No one in particular",
    "it_manager": "The IT manager or IT provider",
    "cio": "A CIO or IT director",
    "vciso": "A virtual CISO (vCISO)",
    "ciso": "A full-time CISO",
}
_ACRONYMS = {"it", "pii", "phi", "pci", "hipaa", "gdpr", "sox", "msp", "ciso", "vciso", "cio"}


def verdict_text(hire: Any) -> str:
    """The verdict of a recommendation from its ``hire``.

    >>> verdict_text("vciso"), verdict_text("CISO"), verdict_text(None)
    ('Engage a virtual CISO (vCISO)', 'Hire a full-time CISO', 'No verdict')
    """
    key = str(hire or "").lower()
    return VERDICTS.get(key, key.upper() or "No verdict")


def engagement_verdict(engagement: Any, keep: bool = False) -> str:
    """The verdict from a recommendation's ``engagement``; ``keep`` when a CISO is in place.

    >>> engagement_verdict("fractional_with_manager"), engagement_verdict("full_time", True)
    ('Hire a security manager and engage a vCISO', 'Keep your full-time CISO')
    """
    if keep:
        return "Keep your full-time CISO"
    key = str(engagement or "")
    return ENGAGEMENT_VERDICTS.get(key, verdict_text(key))


def _plan_within() -> float:
    """The policy's ``plan_within``: within it a vCISO verdict says "plan a CISO now", so the
    badge says "close to the line" there and only there."""
    return load_policy().decision.plan_within.value


def margin_text(margin: Any, hire: Any, threshold: Any, close_within: float | None = None) -> str:
    """The margin (points from the threshold) in words an owner can follow: close to the line
    within the policy's ``plan_within`` points (``close_within``), a clear margin beyond.

    >>> margin_text(4.5, "vciso", 10, close_within=3)
    '4.5 points below the 10 that call for a full-time CISO: a clear margin.'
    >>> margin_text(1.2, "ciso", 10, close_within=3)
    '1.2 points above the 10 that call for a full-time CISO: close to the line.'
    """
    if margin is None or threshold is None:
        return ""
    close_within = _plan_within() if close_within is None else close_within
    side = "above" if str(hire) == "ciso" else "below"
    how = "a clear margin" if float(margin) > close_within else "close to the line"
    return (
        f"{fmt_number(round(float(margin), 1))} points {side} the {fmt_number(threshold)} that "
        f"call for a full-time CISO: {how}."
    )


def points_side(points: Any, threshold: Any, hire: Any) -> str:
    """Which side of the threshold the points are (``ciso`` at or above it), for the margin's
    words: a large firm is advised a CISO below the threshold. ``hire`` when no points.

    >>> points_side(8, 10, "ciso"), points_side(10, 10, "vciso"), points_side(None, 10, "ciso")
    ('vciso', 'ciso', 'ciso')
    """
    if points is None or threshold is None:
        return str(hire)
    return "ciso" if float(points) >= float(threshold) else "vciso"


def delivers_text(engagement: Any) -> str:
    """What an engagement's hours buy, from the shipped policy ("" when it says nothing).

    >>> delivers_text("fractional").startswith("In the first 90 days")
    True
    """
    return load_policy().engagements.delivers.get(str(engagement or ""), "")


def option_name(key: Any) -> str:
    """The name of a cost option.

    >>> option_name("vciso")
    'Virtual CISO (vCISO)'
    """
    return OPTION_NAMES.get(str(key), str(key))


def effect_text(effect: Any) -> str:
    """What a reason pushes toward.

    >>> effect_text("toward_ciso"), effect_text("neutral")
    ('Full-time CISO', 'Neither')
    """
    return EFFECTS.get(str(effect), choice_label(str(effect or "")))


def choice_label(value: Any) -> str:
    """A readable label for an id such as ``it_manager`` or ``financial-services``.

    >>> choice_label("it_manager"), choice_label("professional_services"), choice_label("soc2")
    ('The IT manager or IT provider', 'Professional services', 'SOC 2 (customer audits)')
    """
    key = str(value).lower()
    if key in CHOICE_LABELS:
        return CHOICE_LABELS[key]
    words = [w.upper() if w in _ACRONYMS else w for w in re.split(r"[-_\s]+", key) if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def factor_text(reason: Any) -> str:
    """A reason's factor: its title, or its id in words.

    >>> factor_text({"factor": "security_staff"}), factor_text({"title": "Headcount"})
    ('Security staff', 'Headcount')
    """
    title = _attr(reason, "title")
    return str(title) if title else choice_label(_attr(reason, "factor") or "")


def reason_value(reason: Any) -> str:
    """A reason's value as an owner reads it: "62", "$12,000,000", "Health records", "yes".

    ``reason`` is a mapping or an object with ``factor`` and ``value``.

    >>> reason_value({"factor": "sensitive_data", "value": ["phi", "payment"]})
    'Health records, Payment card data'
    >>> reason_value({"factor": "annual_revenue_usd", "value": 12000000})
    '$12,000,000'
    >>> reason_value({"factor": "maturity_gap", "value": 2.08})
    '2.1'
    """
    value, factor = _attr(reason, "value"), str(_attr(reason, "factor") or "")
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(choice_label(v) for v in value) or "none"
    if isinstance(value, int | float) and (factor.endswith("_usd") or "revenue" in factor):
        return fmt_money(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    text = str(value)
    return choice_label(text) if text.replace("_", "").isalnum() and text.islower() else text


def plain(value: Any) -> str:
    """Any value as short text: numbers as :func:`fmt_number`, lists joined by commas.

    >>> plain([1, 2.5, True]), plain({"a": None}), plain([])
    ('1, 2.5, yes', 'a: –', 'none')
    """
    if _missing(value):
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return fmt_number(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {plain(v)}" for k, v in value.items())
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(plain(v) for v in value) or "none"
    return str(value)


# --------------------------------------------------------------------------- formats


def fmt_score(value: Any) -> str:
    """A score with one decimal, rounded down (:func:`assess.core.scoring.shown_score`: it
    never shows more than was reached, so it agrees with the level), or "–" when there is none.

    >>> fmt_score(2.449), fmt_score(0.9965), fmt_score(None), fmt_score(float("nan"))
    ('2.4', '0.9', '–', '–')
    """
    if _missing(value):
        return NONE
    return f"{shown_score(value):.1f}"


def fmt_gap(value: Any, score: Any = None, target: Any = None) -> str:
    """A gap to target with one decimal: given the score and target, the difference of the
    two as shown (target 3.0, score 0.96 shown 0.9: gap 2.1), so the row adds up.

    >>> fmt_gap(2.04, 0.96, 3.0), fmt_gap(0.5), fmt_gap(None), fmt_gap(0, 3.2, 3.0)
    ('2.1', '0.5', '–', '0.0')
    """
    if not _missing(score) and not _missing(target):
        return f"{max(shown_score(target) - shown_score(score), 0.0):.1f}"
    if _missing(value):
        return NONE
    return f"{round(float(value), 1):.1f}"


def fmt_delta(value: Any, before: Any = None, after: Any = None) -> str:
    """A change in score with its sign and one decimal; no sign when it rounds to nothing.

    Given the two scores, the change is the one a reader computes from them as printed
    (see :func:`shown_delta`), so 1.56 → 1.49 reads "1.5, 1.4, -0.1".

    >>> fmt_delta(0.46), fmt_delta(-1.25), fmt_delta(-0.04), fmt_delta(None)
    ('+0.5', '-1.2', '0.0', '–')
    >>> fmt_delta(-0.07, 1.56, 1.49)
    '-0.1'
    """
    value = shown_delta(before, after, value)
    if _missing(value):
        return NONE
    rounded = round(float(value), 1)
    return "0.0" if rounded == 0 else f"{rounded:+.1f}"


def shown_delta(before: Any, after: Any, delta: Any = None) -> Any:
    """The change a reader computes from the two scores as printed (one decimal each);
    ``delta`` when a side is missing.

    >>> shown_delta(1.56, 1.49), shown_delta(None, 2.0, None)
    (-0.1, None)
    """
    if _missing(before) or _missing(after):
        return delta
    return round(shown_score(after) - shown_score(before), 1)


def fmt_money(value: Any) -> str:
    """US dollars without cents; a pair or a ``{low, high}`` mapping as a range.

    >>> fmt_money(123000), fmt_money([48000, 96000]), fmt_money(None), fmt_money(69000.4)
    ('$123,000', '$48,000–$96,000', '–', '$69,000')
    """
    if isinstance(value, Mapping):
        low, high = value.get("low", value.get("min")), value.get("high", value.get("max"))
        if low is not None and high is not None:
            return f"{fmt_money(low)}–{fmt_money(high)}"
        value = low if low is not None else high
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return f"{fmt_money(value[0])}–{fmt_money(value[1])}"
    if _missing(value) or isinstance(value, str | bool):
        return NONE if _missing(value) else str(value)
    return f"${float(value):,.0f}"


def fmt_number(value: Any) -> str:
    """A plain number: whole numbers without decimals, others with up to two.

    >>> fmt_number(14), fmt_number(2.5), fmt_number(0.125), fmt_number(12000)
    ('14', '2.5', '0.12', '12,000')
    """
    if _missing(value):
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    number = float(value)
    if number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def fmt_points(value: Any) -> str:
    """A reason's weight in points, always signed.

    >>> fmt_points(2.5), fmt_points(-4.0), fmt_points(0), fmt_points("n/a")
    ('+2.5', '-4', '0', 'n/a')
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return plain(value)
    if _missing(value):
        return NONE
    return "0" if value == 0 else ("+" if value > 0 else "-") + fmt_number(abs(value))


def fmt_percent(value: Any) -> str:
    """A share as a whole percentage: 0.66 (a fraction) or 66 both read "66%".

    >>> fmt_percent(0.66), fmt_percent(0.3), fmt_percent(85), fmt_percent(None)
    ('66%', '30%', '85%', '–')
    """
    if _missing(value) or isinstance(value, bool) or not isinstance(value, int | float):
        return NONE if _missing(value) else str(value)
    share = float(value) * 100 if value <= 1 else float(value)
    return f"{share:.0f}%"


def fmt_date(value: Any) -> str:
    """A date as "27 November 2026" (the same reading in the US and the UK); "" for none.

    >>> fmt_date("2026-11-27"), fmt_date(dt.date(2026, 3, 1)), fmt_date("2026-03-05T10:00:00")
    ('27 November 2026', '1 March 2026', '5 March 2026')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {value:%B %Y}"


def fmt_timestamp(value: Any) -> str:
    """A moment as "27 November 2026, 14:03 UTC".

    >>> fmt_timestamp("2026-11-27T14:03:09+00:00")
    '27 November 2026, 14:03 UTC'
    """
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value
        return f"{fmt_date(value.date())}, {value:%H:%M} UTC"
    return str(value or "")


# --------------------------------------------------------------------------- helpers


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


#: A roadmap step's kind, as a short label.
STEP_KINDS = {"find_out": "Find out", "start": "Start", "improve": "Improve"}


def regulation_name(regulation: Any) -> str:
    """A regulation's short name, as a step's label says it.

    >>> regulation_name("hipaa"), regulation_name("glba"), regulation_name("new_rule")
    ('HIPAA', 'GLBA / FTC Safeguards Rule', 'New rule')
    """
    return choice_label(regulation or "").split(" (")[0]


def step_kind(step: Any) -> str:
    """A roadmap step's kind as a short label: "Find out", "Start", "Improve", or "Required
    by …" for an obligation.

    >>> step_kind({"kind": "find_out"}), step_kind({"kind": "obligation", "regulation": "cmmc"})
    ('Find out', 'Required by CMMC')
    """
    kind = str(_attr(step, "kind") or "")
    if kind == "obligation":
        return f"Required by {regulation_name(_attr(step, 'regulation'))}"
    return STEP_KINDS.get(kind, choice_label(kind))


#: The Jinja filters: ``{{ area.score | score }}``, ``{{ answer | answer(questionnaire) }}``.
FILTERS: dict[str, Callable[..., Any]] = {
    "score": fmt_score,
    "gap": fmt_gap,
    "delta": fmt_delta,
    "money": fmt_money,
    "number": fmt_number,
    "points": fmt_points,
    "percent": fmt_percent,
    "date": fmt_date,
    "timestamp": fmt_timestamp,
    "answer": answer_text,
    "level": level_text,
    "verdict": verdict_text,
    "engagement": engagement_verdict,
    "margin": margin_text,
    "option_name": option_name,
    "delivers": delivers_text,
    "effect": effect_text,
    "choice_label": choice_label,
    "factor": factor_text,
    "reason_value": reason_value,
    "plain": plain,
    "step_kind": step_kind,
    "questionnaire_name": questionnaire_name,
    "questions_by_area": questions_by_area,
    "question_text": question_text,
}
