"""Schemathesis, an independent client, against the JSON API and its OpenAPI document: every
check, the examples, coverage, fuzzing and stateful phases, as an owner with a draft and a
submitted assessment, through the WSGI app. Zero failures means the document says exactly
what the server does (statuses, required and extra keys, enums, bounds) and no input gets a
500. The example counts are bounded so the run fits CI (about a minute)."""

from __future__ import annotations

import os
import time

import pytest
import schemathesis  # the dev extra pins it (4.x)

from assess.records import assessments
from assess.records.database import db

QUICK = "ciso-nine-areas-quick"
#: Examples per operation and phase; CI=true keeps the same bound (the run is the contract).
MAX_EXAMPLES = int(os.environ.get("ASSESS_SCHEMATHESIS_EXAMPLES", "10"))
#: Every check Schemathesis has (the `--checks all` of its command line) but the timing one.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "use_after_free",
    "ensure_resource_availability",
    "missing_required_header",
    "ignored_auth",
    "unsupported_method",
)


def _world(factory):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    submitted = factory.assessment(org, owner, answers={"program-oversight.accountable-owner": 2})
    assessments.submit(submitted, owner)
    db.session.commit()
    draft = factory.assessment(org, owner, answers={"program-oversight.accountable-owner": 3})
    return owner, org, draft, submitted, factory.token(owner)


#: Seconds each phase took in the last run (printed when the test fails, for tuning).
TIMINGS: dict[str, float] = {}


def _failures(stream) -> list[str]:
    from schemathesis.engine import Status, events

    found: list[str] = []
    started: dict[str, float] = {}
    for event in stream:
        if isinstance(event, events.PhaseStarted):
            started[str(event.phase.name)] = time.monotonic()
        elif isinstance(event, events.PhaseFinished):
            took = time.monotonic() - started.get(str(event.phase.name), time.monotonic())
            TIMINGS[str(event.phase.name)] = round(took, 1)
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            if event.status in (Status.FAILURE, Status.ERROR):
                for case_id, checks in event.recorder.checks.items():
                    for check in checks:
                        if check.status == Status.FAILURE:
                            node = event.recorder.cases.get(case_id)
                            case = node.value if node else None
                            where = f"{case.method} {case.formatted_path}" if case else "?"
                            body = getattr(case, "body", None) if case else None
                            query = getattr(case, "query", None) if case else None
                            failure = check.failure_info.failure if check.failure_info else None
                            title = getattr(failure, "title", "") if failure else ""
                            msg = getattr(failure, "message", "") if failure else ""
                            found.append(
                                f"{check.name}: {where} query={query!r} body={body!r}: {title} {msg}"[
                                    :700
                                ]
                            )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            info = getattr(event, "info", None)
            label = getattr(event, "label", None) or ""
            text = f"{info.title}: {info.message}" if info is not None else repr(event)
            found.append(f"error: {label} {text}"[:700])
    return sorted(set(found))


@pytest.fixture
def quick_files(monkeypatch):
    """Chart images and PDFs stand-ins: the contract is the status, the content type and the
    headers (their drawing is tested in tests/unit and test_downloads); Chromium for each of
    hundreds of generated requests would take minutes."""
    from assess.outputs import images, pdf

    monkeypatch.setattr(images, "_image", lambda fig, fmt, scale: b"%s image" % fmt.encode())
    monkeypatch.setattr(pdf, "_render_pdf", lambda template, view: b"%PDF-1.7 stand-in")
    monkeypatch.setattr(pdf, "inline_svg", lambda fig, label: "")


@pytest.fixture
def served(app):
    """The app over HTTP on 127.0.0.1 (Werkzeug's server, one thread): Schemathesis 4's
    engine passes requests-only options to its in-process WSGI transport, so it is given a
    real socket, which is also what any client sees."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


#: Operations whose schema-valid requests the server may still refuse with 422 for a rule
#: JSON Schema cannot state: IT and security staff within the headcount (organizations), an
#: existing account and at least one owner (members), an assessment of this organization or
#: one submitted before (copies), the assessment's own questionnaire's questions and areas
#: (answers, targets, reviews), reviews of submitted assessments only. Everywhere else a
#: schema-valid request that is refused is a failure.
STATEFUL_RULES = (
    "createOrganization",
    "updateOrganization",
    "startAssessment",
    "saveAnswers",
    "replaceTargets",
    "updateTargets",
    "addMember",
    "addReview",
    # Plan items: the owner is a member of the organization (state), a question's area is its
    # own and not another (across fields), risk_accepted needs a justification (which PATCH
    # may find stored on the item), a title is not blank.
    "createAction",
    "updateAction",
    # A code is right only for the secret waiting for it, at this minute.
    "confirmMfaEnrolment",
)
ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]
#: Statuses that depend on what happened before, or on a file's bytes, beyond ACCEPTED:
#: a link revoked once is gone (410) the second time; evidence is accepted by its content
#: (a schema-valid file of another kind is 415). On a plan item (its path has no question
#: that fuzzed values miss, so the body is judged), a link must also be http(s) with a host,
#: without control characters, with a title that can be stored: 422 otherwise.
MORE_ACCEPTED = {
    "revokeInvitation": ["410"],
    "addEvidence": ["415"],
    "addActionEvidence": ["415", "422"],
}


def test_schemathesis_finds_nothing(app, factory, quick_files, served):
    _owner, _org, _draft, _submitted, token = _world(factory)
    config = schemathesis.Config.from_dict(
        {
            "seed": 16,
            "headers": {"Authorization": f"Bearer {token}"},
            "checks": {name: {"enabled": True} for name in CHECKS},
            "generation": {"max-examples": MAX_EXAMPLES},
            "operations": [
                {
                    "include-operation-id": name,
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": (
                                (
                                    ACCEPTED
                                    if name in STATEFUL_RULES
                                    else ["2xx", "401", "403", "404", "409"]
                                )
                                + MORE_ACCEPTED.get(name, [])
                            )
                        }
                    },
                }
                for name in (*STATEFUL_RULES, *MORE_ACCEPTED)
            ],
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True},
            },
        }
    )
    schema = schemathesis.openapi.from_url(f"{served}/api/v1/openapi.json", config=config)
    from schemathesis.engine import from_schema

    failures = _failures(from_schema(schema).execute())
    if os.environ.get("ASSESS_SCHEMATHESIS_DUMP"):
        with open(os.environ["ASSESS_SCHEMATHESIS_DUMP"], "w") as fh:
            fh.write("\n".join([*failures, repr(TIMINGS)]))
    assert failures == [], "\n".join(failures)
