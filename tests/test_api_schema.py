"""The API keeps the contract its OpenAPI schema states, for any input (schemathesis): no 5xx,
statuses, content types and bodies as documented. A bounded number of cases per operation here;
`SCHEMATHESIS_EXAMPLES=1000 pytest tests/test_api_schema.py` for a longer run."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from conflictmap.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def toyland(world):
    """Every case runs against the toy theatre with its layers built, in the test's transaction:
    as Django's test client does, the WSGI app is kept from closing the connection per request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=int(os.getenv("SCHEMATHESIS_EXAMPLES", "40")), deadline=None,
    derandomize=not os.getenv("SCHEMATHESIS_EXAMPLES"),  # the same cases in every make test; a long run draws afresh
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
def test_the_api_keeps_its_schema(case):
    # Identity: the in-process transport does not undo gzip. Schema-valid requests may still be
    # refused with a documented 400 for what a schema cannot say (`to` after `from`, a bbox's
    # four numbers): that check is left out.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance])


@pytest.mark.parametrize(("path", "query"), [
    ("/api/v1/control/", {"theatre": "toyland", "date": "2020-01-05"}),
    ("/api/v1/pieces/", {"theatre": "toyland"}),
    ("/api/v1/history/", {"theatre": "toyland"}),
    ("/api/v1/events/", {"theatre": "toyland"}),
])  # fmt: skip
def test_each_answer_is_the_media_type_the_schema_documents(client, path, query):
    documented = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"][path]["get"]
    served = client.get(path, query)["Content-Type"].split(";")[0]
    assert served in documented["responses"]["200"]["content"]
