"""The building blocks of the OpenAPI document: responses, parameters, bodies."""

from __future__ import annotations

from typing import Any

from assess.web.openapi_schemas import MAX_ID, STRING, ref

# --------------------------------------------------------------------------- responses


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def body(schema: str, description: str = "OK", **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(schema)}},
        **extra,
    }


def request_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


RESPONSES = {
    "BadRequest": error("The body is not JSON, or not a JSON object."),
    "Unauthorized": {
        **error("No API token, or one that is not valid."),
        "headers": {"WWW-Authenticate": {"schema": STRING, "description": 'Bearer realm="assess"'}},
    },
    "Forbidden": error("Your role in this organization does not allow it."),
    "NotFound": error("No such thing, or not one of yours: the two are indistinguishable."),
    "Conflict": error(
        "The assessment was submitted (locked), or answers changed since you read them "
        "(details: the conflicting answers by question id), or the change would break a rule "
        "of the current state (the last owner cannot be removed or demoted; a submitted "
        "assessment cannot be deleted; a used invitation cannot be revoked)."
    ),
    "Gone": error("It existed and was ended on purpose (a revoked invitation)."),
    "TooLarge": error("The body is larger than the server accepts."),
    "Unavailable": error("Images and PDFs cannot be made: no Chromium on the server."),
    "Unprocessable": error(
        "Some values are not valid (details: a message per field or question id)."
    ),
}


def responses(ok: dict[str, dict[str, Any]], *errors: str, auth: bool = True) -> dict[str, Any]:
    codes = {
        "BadRequest": "400",
        "Unauthorized": "401",
        "Forbidden": "403",
        "NotFound": "404",
        "Conflict": "409",
        "Gone": "410",
        "TooLarge": "413",
        "Unprocessable": "422",
        "Unavailable": "503",
    }
    names = (["Unauthorized"] if auth else []) + list(errors)
    if any(n in names for n in ("BadRequest", "Unprocessable")):
        names.append("TooLarge")
    out = dict(ok)
    for name in sorted(set(names), key=codes.__getitem__):
        out[codes[name]] = {"$ref": f"#/components/responses/{name}"}
    return out


def id_param(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The {what}'s id",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


ORG = id_param("org_id", "organization")
ASSESSMENT = id_param("assessment_id", "assessment")
LOCATION = {"Location": {"schema": STRING, "description": "The new resource's URL"}}

TARGETS_OPERATION = {
    "tags": ["assessments"],
    "requestBody": request_body("Targets"),
    "responses": responses(
        {"200": body("Results", "The results with the new targets")},
        "BadRequest",
        "Forbidden",
        "NotFound",
        "Conflict",
        "Unprocessable",
    ),
}


def file_response(mimetype: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
    }


FORMAT = {
    "name": "fmt",
    "in": "path",
    "required": True,
    "schema": {"enum": ["png", "svg", "pdf", "html"]},
}
PAGE_SIZE = {"name": "size", "in": "query", "required": False, "schema": {"enum": ["a4", "letter"]}}
CHART_FILES = {
    "200": {
        "description": "The chart",
        "content": {
            m: {"schema": {"type": "string", "format": "binary"}}
            for m in ("image/png", "image/svg+xml", "application/pdf", "text/html")
        },
    }
}
