"""The API's error answers, in its OpenAPI schema: every operation that takes query parameters
may answer 400 (malformed) and 404 (unknown theatre, nothing built yet), always in the one error
shape of http/errors.py. Added to every such operation here (a drf-spectacular postprocessing
hook), rather than repeated in each view's decorator."""

ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "What is wrong, and what to send instead."},
        "details": {"type": "object", "description": "Per parameter, what is wrong with it (400 only)."},
    },
    "required": ["error"],
}
STATUSES = {"400": "Malformed query parameters.", "404": "Unknown theatre, or nothing of it built or published yet."}


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not operation.get("parameters"):
                continue
            for status, description in STATUSES.items():
                operation["responses"].setdefault(status, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                })  # fmt: skip
    return result
