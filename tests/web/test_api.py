"""The JSON API under /api/v1: status codes, headers and JSON bodies, through the test client.

Every happy-path body is also checked against the schema the OpenAPI document gives for it.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from assess.core.questionnaire import get_questionnaire
from assess.records import answers, assessments
from assess.records.database import db
from assess.records.models import Assessment
from tests.factories import PROFILE, bearer

QUICK = "ciso-nine-areas-quick"
Q1 = "program-oversight.accountable-owner"
Q2 = "program-oversight.risk-assessment"
Q3 = "incident-response.plan"
AREA = "incident-response"


@pytest.fixture
def alice(factory):
    """An owner with a token, an organization and a draft assessment."""
    user = factory.user("alice@example.com")
    org = factory.organization(user)
    assessment = factory.assessment(org, user, QUICK)
    return SimpleNamespace(
        user=user, headers=bearer(factory.token(user)), org=org, assessment=assessment
    )


@pytest.fixture
def mallory(factory):
    """Someone else, with their own organization."""
    user = factory.user("mallory@example.com")
    org = factory.organization(user, "Mallory Inc")
    return SimpleNamespace(user=user, headers=bearer(factory.token(user)), org=org)


def member(factory, org, role: str, email: str):
    user = factory.user(email)
    factory.member(org, user, role)
    return SimpleNamespace(user=user, headers=bearer(factory.token(user)))


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


# --------------------------------------------------------------------------- a small schema check


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def problems(
    doc: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$"
) -> list[str]:
    """Where ``value`` breaks ``schema`` (the subset of JSON Schema the document uses)."""
    schema = resolve(doc, schema)
    found: list[str] = []
    if "allOf" in schema:
        for part in schema["allOf"]:
            found += problems(doc, part, value, where)
    if "anyOf" in schema and all(problems(doc, s, value, where) for s in schema["anyOf"]):
        found.append(f"{where}: {value!r} matches none of anyOf")
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        checks = {
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None,
        }
        if not any(checks[k](value) for k in kinds):
            return [*found, f"{where}: {value!r} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{where}: {key} is missing")
        for key, item in value.items():
            if key in properties:
                found += problems(doc, properties[key], item, f"{where}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                found += problems(doc, schema["additionalProperties"], item, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}: unexpected key {key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += problems(doc, schema["items"], item, f"{where}[{i}]")
    return found


def assert_schema(doc: dict[str, Any], name: str, value: Any) -> None:
    assert problems(doc, {"$ref": f"#/components/schemas/{name}"}, value) == []


def assert_error(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# --------------------------------------------------------------------------- the document


def openapi_path(rule: str) -> str:
    """/api/v1/assessments/<int(min=1):assessment_id> → /api/v1/assessments/{assessment_id}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_rules(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
            routes.setdefault(openapi_path(rule.rule), set()).update(methods)
    return routes


def test_is_the_openapi_document_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["openapi"] == "3.1.0"
    assert body["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert body["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


def test_does_the_openapi_document_describe_every_api_route(app, doc):
    routes = api_rules(app)
    assert len(routes) >= 9
    for path, methods in routes.items():
        assert path in doc["paths"], f"{path} is not in the OpenAPI document"
        described = set(doc["paths"][path]) - {"parameters", "summary", "description"}
        assert methods == described, path
    assert set(doc["paths"]) == set(routes), "the document describes routes that do not exist"


def test_does_every_operation_describe_its_parameters_and_responses(doc):
    operation_ids = []
    for path, item in doc["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        for method, operation in item.items():
            if method == "parameters":
                continue
            operation_ids.append(operation["operationId"])
            names = declared | {
                p["name"] for p in operation.get("parameters", []) if p["in"] == "path"
            }
            assert names == set(re.findall(r"{(\w+)}", path)), (method, path)
            assert any(code.startswith("2") for code in operation["responses"]), (method, path)
            # Submitting and proposing a two-step secret take no body.
            if method in {"post", "put", "patch"} and not path.endswith(("/submit", "/mfa")):
                assert operation["requestBody"]["content"]["application/json"]["schema"]
            if operation.get("security") != []:
                assert "401" in operation["responses"], (method, path)
    assert len(operation_ids) == len(set(operation_ids))


def test_does_every_ref_in_the_openapi_document_resolve(doc):
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    found = set(refs(doc))
    assert "#/components/schemas/Error" in found
    assert "#/components/schemas/Results" in found
    for target in found:
        assert resolve(doc, {"$ref": target}), target


def test_does_the_schema_check_catch_a_wrong_document(doc):
    assert problems(doc, {"$ref": "#/components/schemas/Results"}, {})
    error = {"error": {"message": 5}}
    assert problems(doc, {"$ref": "#/components/schemas/Error"}, error) == [
        "$.error.message: 5 is not ['string']"
    ]


# --------------------------------------------------------------------------- authentication

ROUTES = [
    ("get", "/api/v1/questionnaires"),
    ("get", f"/api/v1/questionnaires/{QUICK}"),
    ("get", "/api/v1/organizations"),
    ("post", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/1"),
    ("patch", "/api/v1/organizations/1"),
    ("get", "/api/v1/organizations/1/assessments"),
    ("post", "/api/v1/organizations/1/assessments"),
    ("get", "/api/v1/assessments/1"),
    ("patch", "/api/v1/assessments/1/answers"),
    ("put", "/api/v1/assessments/1/targets"),
    ("patch", "/api/v1/assessments/1/targets"),
    ("get", "/api/v1/assessments/1/results"),
    ("post", "/api/v1/assessments/1/submit"),
    ("get", "/api/v1/organizations/1/history"),
    ("get", "/api/v1/organizations/1/compare"),
    ("get", "/api/v1/organizations/1/members"),
    ("post", "/api/v1/organizations/1/members"),
    ("post", "/api/v1/organizations/1/invitations"),
    ("get", "/api/v1/organizations/1/invitations"),
    ("delete", "/api/v1/organizations/1/invitations/1"),
    ("delete", "/api/v1/organizations/1/members/1"),
    ("delete", "/api/v1/assessments/1"),
    ("get", "/api/v1/assessments/1/reviews"),
    ("post", "/api/v1/assessments/1/reviews"),
    ("post", "/api/v1/assessments/1/reviews/1/replies"),
    ("get", "/api/v1/assessments/1/attestation"),
    ("post", "/api/v1/assessments/1/attestation"),
    ("get", "/api/v1/assessments/1/changes"),
    ("get", "/api/v1/organizations/1/export.csv"),
    ("get", "/api/v1/organizations/1/export.xlsx"),
    ("get", "/api/v1/assessments/1/charts/radar.png"),
    ("get", "/api/v1/organizations/1/charts/trend.svg"),
    ("get", "/api/v1/assessments/1/report.pdf"),
    ("get", "/api/v1/assessments/1/csf.csv"),
    ("get", "/api/v1/organizations/1/report.pdf"),
    ("post", "/api/v1/account/mfa"),
    ("post", "/api/v1/account/mfa/confirm"),
    ("get", "/api/v1/organizations/1/actions"),
    ("post", "/api/v1/organizations/1/actions"),
    ("get", "/api/v1/actions/1"),
    ("patch", "/api/v1/actions/1"),
    ("post", "/api/v1/actions/1/comments"),
    ("post", "/api/v1/assessments/1/actions/from-roadmap"),
    ("get", "/api/v1/organizations/1/plan.csv"),
    ("get", "/api/v1/organizations/1/plan.xlsx"),
    ("get", "/api/v1/organizations/1/plan.ics"),
    ("get", "/api/v1/assessments/1/answers/1/evidence"),
    ("post", "/api/v1/assessments/1/answers/1/evidence"),
    ("post", "/api/v1/actions/1/evidence"),
    ("get", "/api/v1/evidence/1"),
    ("delete", "/api/v1/evidence/1"),
    ("get", "/api/v1/portfolio"),
    ("get", "/api/v1/portfolio.xlsx"),
    ("get", "/api/v1/portfolio/charts/scores.html"),
    ("get", "/api/v1/assessments/1/benchmark"),
]


def test_does_the_route_list_cover_the_api(app):
    def template(path: str) -> str:
        path = re.sub(r"/(1|ciso-nine-areas-quick)(?=/|$)", "/<x>", path)
        path = re.sub(r"/(radar|gaps|scores|areas)\.(png|svg|pdf|html)$", "/<x>.<x>", path)
        path = re.sub(r"/trend\.(png|svg|pdf|html)$", "/trend.<x>", path)
        return openapi_path(path)

    listed = {(m, template(p)) for m, p in ROUTES}
    actual = {
        (m, re.sub(r"{\w+}", "{x}", path))
        for path, methods in api_rules(app).items()
        for m in methods
        if path != "/api/v1/openapi.json"
    }
    assert listed == actual


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic YWxpY2U6c2VjcmV0",
        "Bearer not-a-token",
        "Bearer " + "x" * 500,
    ],
)
def test_can_a_client_without_a_valid_token_use_the_api(client, alice, method, path, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = getattr(client, method)(path, headers=headers, json={})
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


def test_does_a_signed_in_browser_session_open_the_api(client, alice, login):
    assert login("alice@example.com").status_code == 302  # signed in: the pages open
    assert client.get("/").status_code == 200
    response = client.get("/api/v1/organizations")
    assert_error(response, 401)
    assert "Set-Cookie" not in client.get("/api/v1/organizations", headers=alice.headers).headers


def test_is_the_token_scheme_case_insensitive(client, alice):
    token = alice.headers["Authorization"].split()[1]
    response = client.get("/api/v1/organizations", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200


# --------------------------------------------------------------------------- questionnaires


def test_can_a_user_list_the_questionnaires(client, alice, doc):
    response = client.get("/api/v1/questionnaires", headers=alice.headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert_schema(doc, "QuestionnaireList", body)
    quick = {q["id"]: q for q in body["questionnaires"]}[QUICK]
    questionnaire = get_questionnaire(QUICK)
    assert quick == {
        "id": QUICK,
        "version": questionnaire.version,
        "hash": questionnaire.content_hash,
        "title": questionnaire.title,
        "areas": 9,
        "questions": 28,
    }


def test_can_a_user_read_a_questionnaire_in_full(client, alice, doc):
    response = client.get(f"/api/v1/questionnaires/{QUICK}", headers=alice.headers)
    assert response.status_code == 200
    body = response.get_json()
    questionnaire = get_questionnaire(QUICK)
    assert body == {**questionnaire.model_dump(mode="json"), "hash": questionnaire.content_hash}
    assert_schema(doc, "Questionnaire", body)


@pytest.mark.parametrize("name", ["nope", "ciso-nine-areas-quick.yaml", "..", "%2Fetc%2Fpasswd"])
def test_is_an_unknown_questionnaire_not_found(client, alice, name):
    assert_error(client.get(f"/api/v1/questionnaires/{name}", headers=alice.headers), 404)


# --------------------------------------------------------------------------- organizations


def test_can_a_user_list_their_organizations_and_only_theirs(client, alice, mallory, doc):
    response = client.get("/api/v1/organizations", headers=alice.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert_schema(doc, "OrganizationList", body)
    assert [(o["id"], o["name"], o["role"]) for o in body["organizations"]] == [
        (alice.org.id, "Acme Dental", "owner")
    ]
    assert body["organizations"][0]["profile"]["employees"] == PROFILE["employees"]


def test_can_a_user_create_an_organization(client, alice, doc):
    profile = {**PROFILE, "employees": 300}
    response = client.post(
        "/api/v1/organizations",
        headers=alice.headers,
        json={"name": "  Beta   Labs ", "profile": profile},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert_schema(doc, "Organization", body)
    assert body["name"] == "Beta Labs"
    assert body["role"] == "owner"
    assert body["profile"]["employees"] == 300
    assert response.headers["Location"].endswith(f"/api/v1/organizations/{body['id']}")
    again = client.get(response.headers["Location"], headers=alice.headers)
    assert again.status_code == 200
    assert again.get_json() == body


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"profile": PROFILE}, "name"),
        ({"name": None, "profile": PROFILE}, "name"),
        ({"name": 5, "profile": PROFILE}, "name"),
        ({"name": ["a"], "profile": PROFILE}, "name"),
        ({"name": "   ", "profile": PROFILE}, "name"),
        ({"name": "x" * 201, "profile": PROFILE}, "name"),
        ({"name": "Acme"}, "profile"),
        ({"name": "Acme", "profile": None}, "profile"),
        ({"name": "Acme", "profile": {}}, "employees"),
        ({"name": "Acme", "profile": ["a"]}, "profile"),
        ({"name": "Acme", "profile": "big"}, "profile"),
        ({"name": "Acme", "profile": {**PROFILE, "employees": "many"}}, "employees"),
        ({"name": "Acme", "profile": {**PROFILE, "industry": "piracy"}}, "industry"),
        ({"name": "Acme", "profile": {**PROFILE, "shoe_size": 9}}, "shoe_size"),
        ({"name": "Acme", "profile": PROFILE, "color": "red"}, "color"),
    ],
)
def test_is_an_invalid_organization_refused(client, alice, payload, field):
    response = client.post("/api/v1/organizations", headers=alice.headers, json=payload)
    error = assert_error(response, 422)
    assert field in error["details"]
    listed = client.get("/api/v1/organizations", headers=alice.headers).get_json()
    assert len(listed["organizations"]) == 1


def test_can_an_owner_rename_an_organization_and_change_part_of_its_profile(client, alice, doc):
    url = f"/api/v1/organizations/{alice.org.id}"
    response = client.patch(url, headers=alice.headers, json={"profile": {"employees": 900}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert_schema(doc, "Organization", body)
    assert body["name"] == "Acme Dental"
    assert body["profile"]["employees"] == 900
    assert body["profile"]["industry"] == PROFILE["industry"]

    response = client.patch(url, headers=alice.headers, json={"name": "Acme Dental Group"})
    assert response.status_code == 200
    assert client.get(url, headers=alice.headers).get_json()["name"] == "Acme Dental Group"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": None}, "name"),
        ({"name": 3}, "name"),
        ({"name": ""}, "name"),
        ({"profile": None}, "profile"),
        ({"profile": [1, 2]}, "profile"),
        ({"profile": "x"}, "profile"),
        ({"profile": {"employees": -5}}, "employees"),
        ({"owner": "me"}, "owner"),
    ],
)
def test_is_an_invalid_organization_change_refused(client, alice, payload, field):
    url = f"/api/v1/organizations/{alice.org.id}"
    before = client.get(url, headers=alice.headers).get_json()
    error = assert_error(client.patch(url, headers=alice.headers, json=payload), 422)
    assert field in error["details"]
    assert client.get(url, headers=alice.headers).get_json() == before


@pytest.mark.parametrize("role", ["contributor", "auditor"])
def test_can_a_non_owner_change_an_organization(client, factory, alice, role):
    someone = member(factory, alice.org, role, f"{role}@example.com")
    url = f"/api/v1/organizations/{alice.org.id}"
    assert client.get(url, headers=someone.headers).get_json()["role"] == role
    assert_error(client.patch(url, headers=someone.headers, json={"name": "Mine now"}), 403)
    assert client.get(url, headers=someone.headers).get_json()["name"] == "Acme Dental"


def test_can_a_stranger_read_another_orgs_organization(client, alice, mallory):
    url = f"/api/v1/organizations/{alice.org.id}"
    theirs = client.get(url, headers=mallory.headers)
    missing = client.get("/api/v1/organizations/999999", headers=mallory.headers)
    assert assert_error(theirs, 404) == assert_error(missing, 404)
    assert_error(client.patch(url, headers=mallory.headers, json={"name": "Pwned"}), 404)
    assert_error(client.get(url + "/assessments", headers=mallory.headers), 404)
    assert_error(
        client.post(url + "/assessments", headers=mallory.headers, json={"questionnaire": QUICK}),
        404,
    )
    assert alice.org.name == "Acme Dental"


@pytest.mark.parametrize("org_id", ["0", "-1", "abc", "99999999999999999999999", "2147483648"])
def test_is_an_impossible_organization_id_simply_not_found(client, alice, org_id):
    assert_error(client.get(f"/api/v1/organizations/{org_id}", headers=alice.headers), 404)


# --------------------------------------------------------------------------- assessments


def test_can_a_contributor_start_an_assessment(client, factory, alice, doc):
    contributor = member(factory, alice.org, "contributor", "carol@example.com")
    url = f"/api/v1/organizations/{alice.org.id}/assessments"
    response = client.post(url, headers=contributor.headers, json={"questionnaire": QUICK})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert_schema(doc, "Assessment", body)
    assert body["status"] == "draft"
    assert body["organization_id"] == alice.org.id
    assert body["questionnaire"]["id"] == QUICK
    assert body["progress"] == {"answered": 0, "total": 28}
    assert body["answers"] == {}
    assert response.headers["Location"].endswith(f"/api/v1/assessments/{body['id']}")
    assert client.get(response.headers["Location"], headers=alice.headers).get_json() == body

    listed = client.get(url, headers=alice.headers).get_json()
    assert_schema(doc, "AssessmentList", listed)
    assert [a["id"] for a in listed["assessments"]] == [alice.assessment.id, body["id"]]
    assert "answers" not in listed["assessments"][0]


def test_can_an_auditor_start_an_assessment(client, factory, alice):
    auditor = member(factory, alice.org, "auditor", "audrey@example.com")
    url = f"/api/v1/organizations/{alice.org.id}/assessments"
    assert_error(client.post(url, headers=auditor.headers, json={"questionnaire": QUICK}), 403)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"questionnaire": None},
        {"questionnaire": 7},
        {"questionnaire": ""},
        {"questionnaire": "nope"},
        {"questionnaire": "/etc/passwd"},
        {"questionnaire": "tests/unit/data/mini.yaml"},
        {"questionnaire": QUICK, "extra": 1},
    ],
)
def test_is_an_unknown_questionnaire_refused_for_a_new_assessment(client, alice, payload):
    url = f"/api/v1/organizations/{alice.org.id}/assessments"
    error = assert_error(client.post(url, headers=alice.headers, json=payload), 422)
    assert set(error["details"]) <= {"questionnaire", "extra"}
    assert len(client.get(url, headers=alice.headers).get_json()["assessments"]) == 1


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "/etc/no-such-file", "/", "tests/unit/data/mini.yaml"]
)
def test_does_a_questionnaire_path_reveal_anything_about_the_server(client, alice, path):
    url = f"/api/v1/organizations/{alice.org.id}/assessments"
    error = assert_error(client.post(url, headers=alice.headers, json={"questionnaire": path}), 422)
    assert error["details"] == {"questionnaire": f"unknown questionnaire {path!r}"}


def test_can_a_user_read_an_assessment(client, alice, doc):
    response = client.get(f"/api/v1/assessments/{alice.assessment.id}", headers=alice.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert_schema(doc, "Assessment", body)
    assert body == assessments.assessment_summary(alice.assessment)


def test_can_a_stranger_read_another_orgs_assessment(client, alice, mallory):
    base = f"/api/v1/assessments/{alice.assessment.id}"
    for method, suffix, payload in [
        ("get", "", None),
        ("get", "/results", None),
        ("patch", "/answers", {"answers": {Q1: 5}}),
        ("put", "/targets", {"targets": {AREA: 5}}),
        ("patch", "/targets", {"targets": {AREA: 5}}),
    ]:
        theirs = getattr(client, method)(base + suffix, headers=mallory.headers, json=payload)
        missing = getattr(client, method)(
            f"/api/v1/assessments/999999{suffix}", headers=mallory.headers, json=payload
        )
        assert assert_error(theirs, 404) == assert_error(missing, 404), suffix
    assert answers.answers_of(alice.assessment) == {}
    assert not alice.assessment.targets


# --------------------------------------------------------------------------- answers


def test_can_a_contributor_save_answers(client, factory, alice, doc):
    contributor = member(factory, alice.org, "contributor", "carol@example.com")
    url = f"/api/v1/assessments/{alice.assessment.id}"
    payload = {
        "answers": {Q1: 3, Q2: "unknown", Q3: {"level": "2", "note": " written, not tested "}}
    }
    response = client.patch(url + "/answers", headers=contributor.headers, json=payload)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert_schema(doc, "Assessment", body)
    assert body["progress"] == {"answered": 3, "total": 28}
    assert {q: (a["value"], a["note"], a["version"]) for q, a in body["answers"].items()} == {
        Q1: (3, "", 1),
        Q2: ("unknown", "", 1),
        Q3: (2, "written, not tested", 1),
    }
    assert client.get(url, headers=alice.headers).get_json() == body

    again = client.patch(
        url + "/answers", headers=alice.headers, json={"answers": {Q1: 4}}
    ).get_json()
    assert again["answers"][Q1]["value"] == 4
    assert again["answers"][Q1]["version"] == 2
    assert again["answers"][Q2]["version"] == 1


def test_can_an_answer_be_removed_with_null(client, alice):
    url = f"/api/v1/assessments/{alice.assessment.id}/answers"
    client.patch(url, headers=alice.headers, json={"answers": {Q1: 3, Q2: 1}})
    body = client.patch(url, headers=alice.headers, json={"answers": {Q1: None}}).get_json()
    assert set(body["answers"]) == {Q2}


def test_is_one_bad_answer_enough_to_save_nothing(client, alice):
    url = f"/api/v1/assessments/{alice.assessment.id}"
    client.patch(url + "/answers", headers=alice.headers, json={"answers": {Q1: 1}})
    before = client.get(url, headers=alice.headers).get_json()
    payload = {
        "answers": {
            Q1: 5,
            Q2: 7,
            Q3: "na",
            "incident-response.logs": {"level": 2, "colour": "red"},
            "no-such.question": 3,
            "continuity-recovery.backups-automatic": True,
            "continuity-recovery.restore-tests": 4,
        }
    }
    error = assert_error(client.patch(url + "/answers", headers=alice.headers, json=payload), 422)
    assert set(error["details"]) == {
        Q2,
        Q3,
        "incident-response.logs",
        "no-such.question",
        "continuity-recovery.backups-automatic",
    }
    assert all(isinstance(m, str) and m for m in error["details"].values())
    assert client.get(url, headers=alice.headers).get_json() == before


@pytest.mark.parametrize("role", ["auditor"])
def test_can_an_auditor_patch_answers(client, factory, alice, role):
    auditor = member(factory, alice.org, role, "audrey@example.com")
    url = f"/api/v1/assessments/{alice.assessment.id}"
    assert client.get(url, headers=auditor.headers).status_code == 200
    assert_error(
        client.patch(url + "/answers", headers=auditor.headers, json={"answers": {Q1: 5}}), 403
    )
    assert client.get(url, headers=auditor.headers).get_json()["answers"] == {}


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{", "application/json"),
        ('{"answers": {', "application/json"),
        ("[]", "application/json"),
        ('["answers"]', "application/json"),
        ("3", "application/json"),
        ("null", "application/json"),
        ('"answers"', "application/json"),
        ("", "application/json"),
        ('{"answers": {}}', "text/plain"),
        ("answers=1", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ('{"a": ' + "1" * 5000 + "}", "application/json"),
    ],
)
def test_is_a_malformed_body_refused_with_400(client, alice, data, content_type):
    url = f"/api/v1/assessments/{alice.assessment.id}/answers"
    assert_error(
        client.patch(url, headers=alice.headers, data=data, content_type=content_type), 400
    )
    assert_error(
        client.post(
            "/api/v1/organizations", headers=alice.headers, data=data, content_type=content_type
        ),
        400,
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "answers"),
        ({"answers": None}, "answers"),
        ({"answers": [Q1, 3]}, "answers"),
        ({"answers": "Q1=3"}, "answers"),
        ({"answers": 3}, "answers"),
        ({"answers": {Q1: 3}, "base_versions": [1]}, "base_versions"),
        ({"answers": {Q1: 3}, "base_versions": {Q1: "1"}}, Q1),
        ({"answers": {Q1: 3}, "base_versions": {Q1: True}}, Q1),
        ({"answers": {Q1: 3}, "base_versions": {Q1: -1}}, Q1),
        ({"answers": {Q1: 3}, "base_versions": {Q1: 1.5}}, Q1),
        ({"answers": {Q1: 3}, "submit": True}, "submit"),
        ({"answers": {Q1: float("nan")}}, Q1),
        ({"answers": {Q1: 10**30}}, Q1),
        ({"answers": {Q1: {"level": 3, "note": 5}}}, Q1),
        ({"answers": {Q1: {"level": 3, "note": "x" * 4001}}}, Q1),
        ({"answers": {Q1: {"note": "no level"}}}, Q1),
        ({"answers": {Q1: [3]}}, Q1),
    ],
)
def test_is_a_wrongly_typed_value_refused_with_422(client, alice, payload, field):
    url = f"/api/v1/assessments/{alice.assessment.id}/answers"
    data = json.dumps(payload)  # allow NaN, as some clients send it
    response = client.patch(url, headers=alice.headers, data=data, content_type="application/json")
    error = assert_error(response, 422)
    assert field in error["details"]
    assert answers.answers_of(alice.assessment) == {}


def test_does_a_submitted_assessment_refuse_answers(client, alice):
    client.patch(
        f"/api/v1/assessments/{alice.assessment.id}/answers",
        headers=alice.headers,
        json={"answers": {Q1: 2}},
    )
    assessments.submit(alice.assessment, alice.user)
    db.session.commit()
    url = f"/api/v1/assessments/{alice.assessment.id}"
    assert_error(
        client.patch(url + "/answers", headers=alice.headers, json={"answers": {Q1: 5}}), 409
    )
    body = client.get(url, headers=alice.headers).get_json()
    assert body["status"] == "submitted"
    assert body["answers"][Q1]["value"] == 2


def test_does_an_answer_changed_since_it_was_read_conflict(client, factory, alice):
    contributor = member(factory, alice.org, "contributor", "carol@example.com")
    url = f"/api/v1/assessments/{alice.assessment.id}/answers"
    client.patch(url, headers=alice.headers, json={"answers": {Q1: 2}})  # version 1
    stale = {"answers": {Q1: 4, Q2: 3}, "base_versions": {Q1: 0, Q2: 0}}
    error = assert_error(client.patch(url, headers=contributor.headers, json=stale), 409)
    assert set(error["details"]) == {Q1}
    assert error["details"][Q1]["theirs"] == "2"
    assert error["details"][Q1]["by"] == "alice@example.com"
    assert set(answers.answers_of(alice.assessment)) == {Q1}

    fresh = {"answers": {Q1: 4, Q2: 3}, "base_versions": {Q1: 1}}
    response = client.patch(url, headers=contributor.headers, json=fresh)
    assert response.status_code == 200
    assert response.get_json()["answers"][Q1]["version"] == 2


# --------------------------------------------------------------------------- targets and results


def test_can_an_owner_set_targets(client, alice, doc):
    url = f"/api/v1/assessments/{alice.assessment.id}"
    response = client.patch(url + "/targets", headers=alice.headers, json={"targets": {AREA: 4.5}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert_schema(doc, "Results", body)
    assert {a["id"]: a["target"] for a in body["areas"]}[AREA] == 4.5
    assert client.get(url + "/results", headers=alice.headers).get_json() == body

    client.patch(url + "/targets", headers=alice.headers, json={"targets": {"security-budget": 1}})
    summary = client.get(url, headers=alice.headers).get_json()
    assert summary["targets"] == {AREA: 4.5, "security-budget": 1}

    client.patch(url + "/targets", headers=alice.headers, json={"targets": {AREA: None}})
    assert client.get(url, headers=alice.headers).get_json()["targets"] == {"security-budget": 1}


def test_does_put_replace_every_target(client, alice):
    url = f"/api/v1/assessments/{alice.assessment.id}"
    client.put(
        url + "/targets", headers=alice.headers, json={"targets": {AREA: 4, "security-budget": 2}}
    )
    assert client.get(url, headers=alice.headers).get_json()["targets"] == {
        AREA: 4,
        "security-budget": 2,
    }
    response = client.put(url + "/targets", headers=alice.headers, json={"targets": {AREA: 5}})
    assert response.status_code == 200
    assert client.get(url, headers=alice.headers).get_json()["targets"] == {AREA: 5}


@pytest.mark.parametrize("role", ["contributor", "auditor"])
def test_can_a_non_owner_set_targets(client, factory, alice, role):
    someone = member(factory, alice.org, role, f"{role}@example.com")
    url = f"/api/v1/assessments/{alice.assessment.id}/targets"
    assert_error(client.patch(url, headers=someone.headers, json={"targets": {AREA: 5}}), 403)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "targets"),
        ({"targets": [4]}, "targets"),
        ({"targets": {"no-such-area": 3}}, "no-such-area"),
        ({"targets": {AREA: 6}}, AREA),
        ({"targets": {AREA: -1}}, AREA),
        ({"targets": {AREA: "4"}}, AREA),
        ({"targets": {AREA: True}}, AREA),
        ({"targets": {AREA: [4]}}, AREA),
        ({"targets": {AREA: float("nan")}}, AREA),
        ({"targets": {AREA: 4}, "why": "because"}, "why"),
    ],
)
def test_are_invalid_targets_refused(client, alice, payload, field):
    url = f"/api/v1/assessments/{alice.assessment.id}"
    client.patch(url + "/targets", headers=alice.headers, json={"targets": {"security-budget": 2}})
    # A good target rides along with the bad one: all or nothing, it must not be saved either.
    data = json.dumps(
        {**payload, "targets": {**payload["targets"], "security-budget": 5}}
        if isinstance(payload.get("targets"), dict)
        else payload
    )
    for method in ("patch", "put"):
        response = getattr(client, method)(
            url + "/targets", headers=alice.headers, data=data, content_type="application/json"
        )
        assert field in assert_error(response, 422)["details"]
    assert client.get(url, headers=alice.headers).get_json()["targets"] == {"security-budget": 2}


def test_are_the_results_the_stored_results_document(client, alice, doc):
    answers = {Q1: 3, Q2: "unknown", Q3: {"level": 1, "note": "on paper"}}
    client.patch(
        f"/api/v1/assessments/{alice.assessment.id}/answers",
        headers=alice.headers,
        json={"answers": answers},
    )
    response = client.get(
        f"/api/v1/assessments/{alice.assessment.id}/results", headers=alice.headers
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert_schema(doc, "Results", body)
    assert body == assessments.results_document(alice.assessment).model_dump(mode="json")
    assert set(body) == {
        "schema_version",
        "questionnaire",
        "overall",
        "areas",
        "roadmap",
        "csf",
        "unanswered",
        "recommendation",
    }
    assert body["questionnaire"] == {
        "id": QUICK,
        "version": "2.0",
        "hash": get_questionnaire(QUICK).content_hash,
    }
    assert len(body["unanswered"]) == 25


def test_do_a_submitted_assessments_results_stay_readable(client, alice):
    client.patch(
        f"/api/v1/assessments/{alice.assessment.id}/answers",
        headers=alice.headers,
        json={"answers": {Q1: 4}},
    )
    assessments.submit(alice.assessment, alice.user)
    db.session.commit()
    response = client.get(
        f"/api/v1/assessments/{alice.assessment.id}/results", headers=alice.headers
    )
    assert response.status_code == 200
    assert response.get_json() == json.loads(json.dumps(alice.assessment.results))


def test_are_the_results_of_an_old_submission_kept_by_the_request_not_by_the_read(client, alice):
    """A submitted assessment stored before results were kept gets them on its first read:
    computed by the read, committed by the request that succeeded (reads never commit)."""
    assessments.submit(alice.assessment, alice.user)
    alice.assessment.results = None
    db.session.commit()
    url = f"/api/v1/assessments/{alice.assessment.id}/results"

    def stored():
        with db.engine.connect() as conn:  # what another worker would read
            query = select(Assessment.results).where(Assessment.id == alice.assessment.id)
            return conn.execute(query).scalar()

    assessments.results_document(alice.assessment)
    assert stored() is None  # the read alone kept nothing
    db.session.rollback()
    response = client.get(url, headers=alice.headers)
    assert response.status_code == 200
    assert json.loads(json.dumps(stored())) == response.get_json()


def test_does_an_unreadable_stored_result_show_the_scores_again_and_stay_as_it_was(client, alice):
    """A stored results document the contract cannot read (edited by hand, say) is not a 500:
    the locked answers are scored again, and the stored document is left for whoever looks."""
    assessments.submit(alice.assessment, alice.user)
    db.session.commit()
    url = f"/api/v1/assessments/{alice.assessment.id}/results"
    good = client.get(url, headers=alice.headers).get_json()
    broken = {**good, "overall": {"score": "high"}}
    alice.assessment.results = broken
    db.session.commit()
    response = client.get(url, headers=alice.headers)
    assert response.status_code == 200
    assert response.get_json() == good
    db.session.expire_all()
    assert db.session.get(Assessment, alice.assessment.id).results == broken


def test_do_the_api_results_equal_what_the_cli_computes(client, alice, tmp_path):
    from click.testing import CliRunner

    from assess.cli import cli

    answers = {
        Q1: 3,
        Q2: "unknown",
        Q3: {"level": 1, "note": "on paper"},
        "continuity-recovery.backups-automatic": 4,
        "security-budget.risk-based": 0,
        "vendor-relationships.inventory": 2,
    }
    client.patch(
        f"/api/v1/assessments/{alice.assessment.id}/answers",
        headers=alice.headers,
        json={"answers": answers},
    )
    api = client.get(
        f"/api/v1/assessments/{alice.assessment.id}/results", headers=alice.headers
    ).get_json()

    (tmp_path / "answers.yaml").write_text(
        yaml.safe_dump({"questionnaire": QUICK, "answers": answers})
    )
    (tmp_path / "profile.yaml").write_text(
        yaml.safe_dump({"organization": "Acme Dental", **PROFILE})
    )
    result = CliRunner().invoke(
        cli,
        [
            "score",
            str(tmp_path / "answers.yaml"),
            "--profile",
            str(tmp_path / "profile.yaml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    offline = json.loads(result.output)
    assert "recommendation" in offline
    for key in ("questionnaire", "overall", "areas", "roadmap", "unanswered", "recommendation"):
        assert api[key] == offline[key], key


# --------------------------------------------------------------------------- the rest of HTTP


def test_is_a_wrong_method_answered_405_in_json(client, alice):
    response = client.put(f"/api/v1/assessments/{alice.assessment.id}", headers=alice.headers)
    assert_error(response, 405)
    assert response.headers["Allow"]
    assert_error(client.put("/api/v1/organizations", headers=alice.headers, json={}), 405)


def test_is_an_unknown_api_path_answered_404_in_json(client, alice):
    assert_error(client.get("/api/v1/nothing-here", headers=alice.headers), 404)


def test_is_a_too_large_body_answered_413_in_json(app, client, alice):
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    data = json.dumps({"name": "x" * size})
    response = client.post(
        "/api/v1/organizations", headers=alice.headers, data=data, content_type="application/json"
    )
    assert_error(response, 413)
