"""The answers every API operation may give, documented once (a drf-spectacular postprocessing hook,
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

Any operation may answer 400 (a query parameter or body that is not valid), 403 (not signed in, or a
role that may not), 404 (no such object, a page past the end, or another force's object), 429 (over
the rate limit, core.api.throttling), 503 (the database unreachable, core.middleware; both with a
Retry-After header) and, with a
body, 413 (over the size limit, core.middleware). Views document their own answers where they say
more; this adds only what an operation leaves out, so a client (and the schema-driven fuzz test)
finds every status it can meet in the schema.
"""

from __future__ import annotations

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {
    "type": "object",
    "description": "`{field: [message, ...]}`, or `{detail: message}` for a body that cannot be read",
}
STANDARD = {
    "400": ("The parameters or the body are not valid", FIELD_ERRORS),
    "403": ("Not signed in, or your role may not do this", DETAIL),
    "404": ("No such object or page, or it belongs to a force you cannot see", DETAIL),
    "429": ("Too many requests: wait for the number of seconds in the Retry-After header", DETAIL),
    "503": ("The database is briefly unavailable: try again after the seconds in Retry-After", DETAIL),
}
TOO_LARGE = ("The body is larger than the service accepts", DETAIL)
METHODS = {"get", "post", "put", "patch", "delete"}


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}


def _response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document_standard_errors(result, generator, request, public):
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, (description, schema) in STANDARD.items():
                responses.setdefault(status, _response(description, schema))
            for status in ("429", "503"):
                responses[status].setdefault("headers", RETRY_AFTER)
            if "requestBody" in operation:
                responses.setdefault("413", _response(*TOO_LARGE))
    return result
