"""The JSON API under fuzzing: at least 500 generated requests, never a 5xx.

Hypothesis draws each request from the OpenAPI document (/api/v1/openapi.json): a method
(mostly the documented ones), a documented path with its parameters filled in (ids of one's
own organization, of someone else's, huge, negative, zero, text), a query string, headers
(no token, valid tokens of each role, garbage tokens, odd content types) and a body: one
built from the operation's request schema (with now and then a part replaced by anything),
arbitrary JSON (huge integers, NaN and infinities, text with NUL and lone surrogates, nested
lists and objects), or bytes that are not JSON at all. Every request goes through the test
client; every answer must be below 500, and every error must be the API's JSON error body.

Left out: PNG, SVG and PDF downloads (they need Chromium and take seconds; the downloads tests
cover them). HTML charts, CSV and XLSX exports are in.
"""

from __future__ import annotations

import collections
import json
import logging
import re
import time
import traceback
import urllib.parse
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from assess.core.questionnaire import get_questionnaire
from assess.records import assessments, evidence, plan
from assess.records.database import db
from tests.web.test_api import resolve

QUICK = "ciso-nine-areas-quick"
FULL = "ciso-nine-areas"
REQUESTS = 1000
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
SLOW_FORMATS = {"png", "svg", "pdf"}  # need Chromium (see the module's docstring)
MAX_ID = 2_147_483_647
ODD_IDS = [0, -1, -MAX_ID - 1, MAX_ID, MAX_ID + 1, 2**63, 2**64 + 1, 10**30]
BIG_INTS = [2**31, 2**53 + 1, 2**63, -(2**63) - 1, 2**64, 10**309, -(10**309), 10**4000]
QUESTION_IDS = list(
    dict.fromkeys([*get_questionnaire(QUICK).questions, *get_questionnaire(FULL).questions])
)
AREA_IDS = sorted({a.id for q in (QUICK, FULL) for a in get_questionnaire(q).areas})
#: Strings the app gives a meaning to, and strings that tend to break things.
HINTS = [
    *["na", "unknown", "NA", " Unknown ", "3", " 3 ", "-1", "7", "3.0", "1e2", "0x3", ""],
    *["last", "owner", "contributor", "auditor", "OWNER", "admin"],
    *["carol@example.com", "dave@example.com", "mallory@example.com", "nobody@example.com"],
    *["not an email", "a@b", "ä@ü.example", "x" * 300 + "@example.com"],
    *[QUICK, FULL, "mini", "../../etc/passwd", "questionnaires/ciso-nine-areas.yaml"],
    *["healthcare", "retail", "hipaa", "pii", "ciso", "vciso", "none"],
    *["x" * 4001, "‮RTL", "🙂" * 50, "<script>alert(1)</script>", "' OR 1=1 --"],
    *QUESTION_IDS[:6],
    *AREA_IDS[:3],
]
#: Strings that broke the app once, or might: digits int() refuses, NUL, unpaired surrogates.
NASTY = [
    "²",
    "٣",
    "³³",
    "¹" * 5,
    "3" * 5000,
    "-" + "9" * 4400,
    "𝟛",
    "Ⅲ",
    "\x00",
    "a\x00b",
    "\ud800",
]
CONTENT_TYPES = [
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "application/merge-patch+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    None,
]


# --------------------------------------------------------------------------- the data


@pytest.fixture
def world(factory):
    """Alice owns an organization with two drafts and a submitted assessment; Carol
    contributes, Dave audits; Mallory has an organization of her own. One API token each.

    The first draft stays a draft (generated requests never submit it, nor delete it, nor
    change Alice's role or remove her), so that answers keep being parsed and saved rather
    than refused as locked."""
    alice = factory.user("alice@example.com")
    org = factory.organization(alice)
    draft = factory.assessment(
        org, alice, QUICK, {next(iter(get_questionnaire(QUICK).questions)): 3}
    )
    spare = factory.assessment(org, alice, QUICK)
    submitted = factory.assessment(
        org, alice, FULL, {q: 2 for q in get_questionnaire(FULL).questions}
    )
    assessments.submit(submitted, alice)
    db.session.commit()
    carol = factory.user("carol@example.com")
    factory.member(org, carol, "contributor")
    dave = factory.user("dave@example.com")
    factory.member(org, dave, "auditor")
    mallory = factory.user("mallory@example.com")
    other = factory.organization(mallory, "Mallory Inc")
    theirs = factory.assessment(other, mallory, QUICK)
    actions = plan.from_roadmap(submitted, alice)[:2]
    their_action = plan.create_action(other, mallory, {"title": "Mallory's own plan"})
    # Evidence: a file and a link on the draft, a file on the submitted one, and Mallory's.
    first = next(iter(get_questionnaire(QUICK).questions))
    files = [
        evidence.add_file(draft, carol, first, "policy.pdf", b"%PDF-1.4\n", 1024).id,
        evidence.add_link(draft, alice, first, "https://example.com/policy").id,
        evidence.add_file(submitted, dave, first, "notes.txt", b"notes", 1024).id,
    ]
    hers = evidence.add_file(theirs, mallory, first, "hers.txt", b"hers", 1024).id
    db.session.commit()
    drafts = [draft.id, draft.id, spare.id]
    ours = SimpleNamespace(
        org_ids=[org.id],
        assessment_ids=[*drafts, submitted.id],
        user_ids=[carol.id, dave.id],
        action_ids=[a.id for a in actions],
        evidence_ids=files,
    )
    mine = SimpleNamespace(
        org_ids=[other.id],
        assessment_ids=[theirs.id],
        user_ids=[mallory.id],
        action_ids=[their_action.id],
        evidence_ids=[hers],
    )
    people = [(factory.token(u), ours) for u in (alice, alice, carol, dave)]
    return SimpleNamespace(
        people=[*people, (factory.token(mallory), mine)],
        org_ids=[org.id, other.id],
        assessment_ids=[draft.id, spare.id, submitted.id, theirs.id],
        user_ids=[carol.id, dave.id, mallory.id],
        action_ids=[*ours.action_ids, their_action.id],
        evidence_ids=[*files, hers],
        draft=draft.id,
    )


# --------------------------------------------------------------------------- strategies

HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=40,
)
SURROGATES = st.characters(categories=["Cs"]).map(lambda c: f"lone {c} surrogate")
TEXT = st.one_of(st.text(max_size=30), st.sampled_from(HINTS), st.sampled_from(NASTY), SURROGATES)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(BIG_INTS + ODD_IDS),
    st.floats(),  # NaN and the infinities too: Python's JSON reads them
    TEXT,
)
ANY_JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
KEYS = st.one_of(st.sampled_from(QUESTION_IDS), st.sampled_from(AREA_IDS), TEXT)
#: Keys of the objects keyed by question or area id: mostly ids of the draft's questionnaire.
QUICK_IDS = st.sampled_from(list(get_questionnaire(QUICK).questions))
KEYS_OF = {
    "answers": st.one_of(QUICK_IDS, QUICK_IDS, KEYS),
    "base_versions": st.one_of(QUICK_IDS, QUICK_IDS, KEYS),
    "targets": st.one_of(st.sampled_from(AREA_IDS), st.sampled_from(AREA_IDS), KEYS),
}
JUNK_BODIES = [
    b"",
    b"{",
    b'{"answers": ',
    b"null",
    b"[]",
    b"{}",
    b'"answers"',
    b"\xff\xfe{\x00}\x00",
    b"\xef\xbb\xbf{}",
    b'{"answers": {"a": 1}, "answers": 2}',
    b"[" * 100_000,
    b"[" * 5000 + b"]" * 5000,
    b'{"answers": ' * 3000 + b"1" + b"}" * 3000,
    b'{"targets": {"incident-response": 1' + b"0" * 5000 + b"}}",
    b'{"name": "x", "profile": {"employees": 1e999}}',
    b"x" * (1024 * 1024 + 1),  # more than MAX_CONTENT_LENGTH
]


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``valid`` seven times in eight, anything the other time."""
    return st.integers(0, 7).flatmap(lambda n: valid if n else ANY_JSON)


def from_schema(
    doc: dict[str, Any], schema: dict[str, Any], ids: list[int], keys: Any = KEYS
) -> Any:
    """Values for the subset of JSON Schema the document uses, with the odd part replaced.
    ``keys``: the keys of an object with additionalProperties."""
    schema = resolve(doc, schema)
    if "const" in schema:
        return mostly(st.just(schema["const"]))
    if "enum" in schema:
        return mostly(st.sampled_from(schema["enum"]))
    if "anyOf" in schema:
        return st.one_of([from_schema(doc, part, ids, keys) for part in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        values = {k: from_schema(doc, v, ids, KEYS_OF.get(k, KEYS)) for k, v in properties.items()}
        base = st.fixed_dictionaries(
            {k: v for k, v in values.items() if k in required},
            optional={k: v for k, v in values.items() if k not in required},
        )
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            more = st.dictionaries(keys, from_schema(doc, extra, ids), min_size=1, max_size=6)
            base = st.tuples(base, more).map(lambda pair: {**pair[1], **pair[0]})
        return mostly(base)
    if kind == "array":
        return mostly(st.lists(from_schema(doc, schema.get("items", {}), ids), max_size=4))
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        return mostly(
            st.one_of(
                st.integers(low, high),
                st.sampled_from(ids + ODD_IDS + BIG_INTS),
                st.integers(),
            )
        )
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return mostly(
            st.one_of(
                st.integers(low, high),
                st.floats(low, high),
                st.floats(),
                st.sampled_from(BIG_INTS),
            )
        )
    if kind == "string":
        longest = min(schema.get("maxLength", 40), 40)
        return mostly(
            st.one_of(
                st.sampled_from(HINTS),
                st.sampled_from(NASTY),
                st.sampled_from(NASTY),
                SURROGATES,
                st.text(max_size=longest),
            )
        )
    if kind == "boolean":
        return mostly(st.booleans())
    if kind == "null":
        return mostly(st.none())
    return ANY_JSON


def path_values(name: str, world, polite: bool, keep: int | None) -> st.SearchStrategy[str]:
    """A path parameter: meaningful when polite (``world``: the caller's own ids), else
    sometimes anything (percent-encoded); never the id ``keep``."""
    meaningful = {
        "org_id": st.sampled_from(world.org_ids).map(str),
        "assessment_id": st.sampled_from([i for i in world.assessment_ids if i != keep]).map(str),
        "action_id": st.sampled_from(world.action_ids).map(str),
        "questionnaire_id": st.sampled_from([QUICK, FULL, "mini", "..%2F..%2Fetc%2Fpasswd"]),
        "name": st.sampled_from(["radar", "gaps"]),
        "fmt": st.just("html"),
        "question_id": st.sampled_from([*QUESTION_IDS[:3], "no.such-question", "..%2F..%2Fetc"]),
        "user_id": st.sampled_from(world.user_ids).map(str),
        "invitation_id": st.integers(1, 5).map(str),
        "evidence_id": st.sampled_from(world.evidence_ids).map(str),
    }[name]
    if polite:
        return meaningful
    junk = st.one_of(
        st.sampled_from(ODD_IDS).map(str),
        st.integers().map(str),
        st.sampled_from(["1.5", "1e3", "0x10", "01", "+1", " 1", "١", "%00", "..", ""]),
        st.text(max_size=12).map(lambda t: urllib.parse.quote(t, safe="")),
    )
    chosen = st.one_of(meaningful, junk)
    if keep is not None:
        chosen = chosen.filter(lambda value: not names_id(value, keep))
    if name == "fmt":
        chosen = chosen.filter(lambda f: f.lower() not in SLOW_FORMATS)
    return chosen


def names_id(value: str, number: int) -> bool:
    """Whether a path segment may reach the id ``number`` (the route's converter reads
    "01" and "١" as 1 too)."""
    try:
        return int(urllib.parse.unquote(value)) == number
    except ValueError:
        return False


def api_requests(doc: dict[str, Any], world) -> st.SearchStrategy[dict[str, Any]]:
    paths = {
        template: item
        for template, item in doc["paths"].items()
        if not template.endswith("report.pdf")
    }
    ids = world.org_ids + world.assessment_ids
    tokens = [token for token, _ in world.people]
    operations = [
        (template, method.upper())
        for template, item in sorted(paths.items())
        for method, operation in item.items()
        if method != "parameters"
    ]
    # writes (the operations with a body) three times as often, saving answers six times:
    # they reach the most code
    writes = [(t, m) for t, m in operations if "requestBody" in paths[t][m.lower()]]
    answers = [(t, m) for t, m in writes if t.endswith("/answers")]
    operations += writes * 2 + answers * 3

    @st.composite
    def one(draw) -> dict[str, Any]:
        # Six requests in ten are polite (a documented method, meaningful parameters, a valid
        # token, a JSON body shaped by the schema), so that the fuzzing gets past the front
        # door; each of them may still carry junk deep inside its body.
        polite = draw(st.integers(0, 9)) < 6
        template, method = draw(st.sampled_from(operations))
        item = paths[template]
        if not polite:
            method = draw(st.one_of(st.just(method), st.sampled_from(METHODS)))
        me, own = draw(st.sampled_from(world.people))
        path = template
        for name in re.findall(r"{(\w+)}", template):
            kept = template.endswith("/submit") or template == "/api/v1/assessments/{assessment_id}"
            keep = world.draft if kept else None  # never submitted, never deleted
            values = path_values(name, own if polite else world, polite, keep)
            path = path.replace("{" + name + "}", draw(values), 1)
        if not polite:
            path = draw(st.sampled_from([path, path, path + "/", path + "/x", "/api/v1/x"]))
        keys = st.sampled_from(["from", "to", "size"])
        values = st.one_of(
            st.sampled_from(ids).map(str), st.sampled_from(["a4", "letter", "A4", "last"])
        )
        if not polite:
            keys = st.one_of(keys, st.text(max_size=8))
            values = st.one_of(values, st.sampled_from(ODD_IDS).map(str), st.text(max_size=12))
        query = draw(st.lists(st.tuples(keys, values), max_size=3))
        token = st.sampled_from(tokens)
        authorization = draw(
            st.just(f"Bearer {me}")
            if polite
            else st.one_of(
                token.map(lambda t: f"Bearer {t}"),
                st.none(),
                token.map(lambda t: f"bearer   {t}  "),
                token.map(lambda t: f"Token {t}"),
                token,
                token.map(lambda t: f"Bearer {t[:-1]}"),
                HEADER_TEXT.map(lambda t: f"Bearer {t}"),
                HEADER_TEXT,
                st.sampled_from(["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 300]),
            )
        )
        headers = {"Authorization": authorization} if authorization is not None else {}
        content_type = "application/json" if polite else draw(st.sampled_from(CONTENT_TYPES))
        if content_type is not None:
            headers["Content-Type"] = content_type
        accept = draw(st.one_of(st.none(), st.sampled_from(["application/json", "text/html"])))
        if accept:
            headers["Accept"] = accept
        operation = item.get(method.lower(), {})
        schema = (
            operation.get("requestBody", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema")
        )
        shaped = st.tuples(from_schema(doc, schema, ids) if schema else ANY_JSON, st.booleans())
        if polite:
            body = draw(shaped if schema else st.none())
        else:
            body = draw(
                st.one_of(
                    st.none(),
                    shaped,
                    st.tuples(ANY_JSON, st.booleans()),
                    st.binary(max_size=64),
                    st.sampled_from(JUNK_BODIES),
                )
            )
        if isinstance(body, tuple):
            value, ascii_only = body
            body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
        return {"method": method, "path": path, "query": query, "headers": headers, "body": body}

    return one()


# --------------------------------------------------------------------------- the test


class Tracebacks(logging.Handler):
    """The tracebacks the app logs (its handler of unexpected errors logs each one)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.seen.append("".join(traceback.format_exception(*record.exc_info)))


def error_body_problem(response) -> str | None:
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return "the error body is not JSON"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return 'the error body is not {"error": {"message": ...}}'
    if "details" in error and not isinstance(error["details"], dict):
        return "error.details is not an object"
    return None


def test_does_the_api_never_answer_5xx_to_generated_requests(app, client, world):
    doc = client.get("/api/v1/openapi.json").get_json()
    tracebacks = Tracebacks()
    app.logger.addHandler(tracebacks)
    sent: list[tuple[str, str, int]] = []
    failures: list[str] = []
    started = time.monotonic()

    @settings(
        max_examples=REQUESTS,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # every request is checked below; nothing to shrink
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )
    @given(api_requests(doc, world))
    def send(request: dict[str, Any]) -> None:
        tracebacks.seen.clear()
        response = client.open(
            request["path"],
            method=request["method"],
            query_string=urllib.parse.urlencode(request["query"]),
            headers=request["headers"],
            data=request["body"],
        )
        status = response.status_code
        sent.append((request["method"], request["path"], status))
        problem = None
        if status >= 500:
            problem = f"answered {status}"
        elif status >= 400 and request["method"] != "HEAD":
            problem = error_body_problem(response)
        if problem and len(failures) < 10:
            body = request["body"] or b""
            failures.append(
                f"{request['method']} {request['path']}?{urllib.parse.urlencode(request['query'])} "
                f"headers={request['headers']!r} body={body[:300]!r}: {problem}\n"
                f"response: {response.get_data()[:300]!r}\n" + "\n".join(tracebacks.seen)[-3000:]
            )
        response.close()

    try:
        send()
    finally:
        app.logger.removeHandler(tracebacks)
    elapsed = time.monotonic() - started
    statuses = collections.Counter(status for *_, status in sent)
    succeeded = {
        (method, re.sub(r"\d+", "N", path)) for method, path, status in sent if status < 300
    }
    print(f"{len(sent)} requests in {elapsed:.1f} s; {len(succeeded)} operations succeeded")
    print(f"statuses: {dict(statuses.most_common())}")
    assert not failures, "\n\n".join(failures)
    assert len(sent) >= 500
    # the fuzzing reached the app's logic, not only its front door
    assert {200, 401, 403, 404, 409, 422} <= set(statuses), statuses
    assert len(succeeded) >= 12, sorted(succeeded)


# --------------------------------------------------------------------------- what the fuzzing found

FIRST = next(iter(get_questionnaire(QUICK).questions))
PROFILE = {"employees": 12, "industry": "retail"}
FOUND = {
    # isdigit() admits "²", which int() refuses: ValueError
    "a superscript digit as a level": ("answers", {"answers": {FIRST: "²"}}, FIRST),
    # int() refuses more than 4300 digits: ValueError
    "a level of 5000 digits": ("answers", {"answers": {FIRST: "3" * 5000}}, FIRST),
    # PostgreSQL keeps no NUL in text: DataError
    "a note with NUL": ("answers", {"answers": {FIRST: {"level": 3, "note": "a\x00b"}}}, FIRST),
    # no database keeps half a surrogate pair: UnicodeEncodeError
    "a note with a lone surrogate": (
        "answers",
        {"answers": {FIRST: {"level": 3, "note": "a\ud800b"}}},
        FIRST,
    ),
    # float(10**400): OverflowError
    "a target beyond floats": (
        "targets",
        {"targets": {AREA_IDS[0]: 10**400}},
        AREA_IDS[0],
    ),
    "a new organization's name with NUL": (
        "organizations",
        {"name": "Acme\x00", "profile": PROFILE},
        "name",
    ),
    "a new name with NUL": ("organization", {"name": "Acme\x00"}, "name"),
    "a review comment with NUL": (
        "reviews",
        {"question_id": FIRST, "comment": "a\x00b"},
        "comment",
    ),
    "a review comment with a lone surrogate": (
        "reviews",
        {"question_id": FIRST, "comment": "a\ud800b"},
        "comment",
    ),
    "a sign-off statement with NUL": ("attestation", {"statement": "a\x00b"}, "statement"),
    "a sign-off statement with a lone surrogate": (
        "attestation",
        {"statement": "a\ud800b"},
        "statement",
    ),
}


@pytest.mark.parametrize("case", FOUND.values(), ids=FOUND.keys())
def test_is_an_input_that_once_answered_500_refused_with_422(client, world, case):
    where, body, field = case
    # the owner; reviews and sign-offs are the auditor's (Dave)
    token, ours = world.people[3 if where in {"reviews", "attestation"} else 0]
    org, draft, submitted = ours.org_ids[0], world.draft, ours.assessment_ids[-1]
    method, path = {
        "answers": ("PATCH", f"/api/v1/assessments/{draft}/answers"),
        "targets": ("PATCH", f"/api/v1/assessments/{draft}/targets"),
        "organizations": ("POST", "/api/v1/organizations"),
        "organization": ("PATCH", f"/api/v1/organizations/{org}"),
        "reviews": ("POST", f"/api/v1/assessments/{submitted}/reviews"),
        "attestation": ("POST", f"/api/v1/assessments/{submitted}/attestation"),
    }[where]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    before = client.get(f"/api/v1/assessments/{draft}", headers=headers).get_json()
    response = client.open(path, method=method, headers=headers, data=json.dumps(body))
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert field in response.get_json()["error"]["details"]
    after = client.get(f"/api/v1/assessments/{draft}", headers=headers).get_json()
    assert after["answers"] == before["answers"]
    names = client.get("/api/v1/organizations", headers=headers).get_json()["organizations"]
    assert [o["name"] for o in names] == ["Acme Dental"]
