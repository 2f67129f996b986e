"""The NIST CSF 2.0 view: the answers regrouped by CSF function and category.

Each question carries ``csf`` tags (categories such as ``PR.AA``, or subcategories such as
``GV.RR-03``, which count for their category). Per category::

    score  = weighted mean of the levels of the questions tagged with it ("don't know" as 0,
             n/a and unanswered left out), as area scores are
    target = mean of those questions' area targets
    gap    = max(target − score, 0)

Categories come in CSF order (Govern, Identify, Protect, Detect, Respond, Recover); those no
question is tagged with are left out. Pure pandas; a questionnaire without tags has no view.
"""

from __future__ import annotations

import pandas as pd

from assess.core.questionnaire import CSF_CATEGORIES, Questionnaire, csf_category

#: The six CSF 2.0 functions (NIST CSWP 29), in the framework's order.
CSF_FUNCTIONS: dict[str, str] = {
    "GV": "Govern",
    "ID": "Identify",
    "PR": "Protect",
    "DE": "Detect",
    "RS": "Respond",
    "RC": "Recover",
}

CSF_COLUMNS = [
    "function", "function_name", "category", "category_name", "score", "target", "gap",
    "questions", "total",
]  # fmt: skip


def question_categories(questionnaire: Questionnaire) -> pd.DataFrame:
    """One row per question and CSF category it is tagged with (each pair once)."""
    rows = [
        {"question": qid, "category": category}
        for qid, question in questionnaire.questions.items()
        for category in dict.fromkeys(csf_category(code) for code in question.csf)
        if category is not None
    ]
    return pd.DataFrame(rows, columns=["question", "category"])


def csf_scores(
    frame: pd.DataFrame, areas: pd.DataFrame, questionnaire: Questionnaire
) -> pd.DataFrame:
    """Current and target per CSF category for one assessment (see the module's docstring).

    ``frame`` is :func:`assess.core.scoring.answers_frame`'s, ``areas`` is
    :func:`assess.core.scoring.score_areas`'s (for the targets).

    >>> from assess.core.questionnaire import get_questionnaire
    >>> from assess.core.scoring import Answer, answers_frame, score_areas
    >>> q = get_questionnaire("ciso-nine-areas")
    >>> f = answers_frame(q, {"program-oversight.mfa": Answer("level", 2)})
    >>> row = csf_scores(f, score_areas(f), q).set_index("category").loc["PR.AA"]
    >>> row["function_name"], float(row["score"]), float(row["target"]), int(row["questions"])
    ('Protect', 2.0, 3.0, 1)
    """
    tags = question_categories(questionnaire)
    if tags.empty:
        return pd.DataFrame(columns=CSF_COLUMNS)
    targets = areas[["area", "target"]]
    work = tags.merge(frame[["question", "area", "level", "weight"]], on="question").merge(
        targets, on="area", how="left"
    )
    scored = work["level"].notna()
    work = work.assign(
        wl=(work["level"] * work["weight"]).where(scored, 0.0),
        w=work["weight"].where(scored, 0.0),
        is_scored=scored,
    )
    grouped = work.groupby("category", sort=False).agg(
        wl=("wl", "sum"),
        w=("w", "sum"),
        questions=("is_scored", "sum"),
        total=("question", "size"),
        target=("target", "mean"),
    )
    score = (grouped["wl"] / grouped["w"]).where(grouped["w"] > 0)
    order = {category: i for i, category in enumerate(CSF_CATEGORIES)}
    out = grouped.assign(
        score=score,
        gap=(grouped["target"] - score).clip(lower=0.0),
        questions=grouped["questions"].astype(int),
        total=grouped["total"].astype(int),
    ).reset_index()
    out = out.assign(
        function=out["category"].str[:2],
        function_name=out["category"].str[:2].map(CSF_FUNCTIONS),
        category_name=out["category"].map(CSF_CATEGORIES),
        order=out["category"].map(order),
    )
    return out.sort_values("order", kind="stable")[CSF_COLUMNS].reset_index(drop=True)
