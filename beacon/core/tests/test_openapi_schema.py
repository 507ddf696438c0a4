"""The API's OpenAPI schema: one name for one shape, code lists as the models hold them,
and the answers every endpoint may give documented on each."""

import importlib
import pkgutil

import pytest
from ninja import Schema

import beacon
from beacon.core.api import mount_routers
from beacon.prescribing.models import Instalment
from beacon.treatment.models import Triage

GENERIC_NAMES = {"Status", "Outcome", "Kind", "State", "Decision", "Method", "Owner"}


@pytest.fixture(scope="module")
def openapi() -> dict:
    return mount_routers().get_openapi_schema()


def _beacon_schemas() -> list[type[Schema]]:
    for module in pkgutil.walk_packages(beacon.__path__, "beacon."):
        if ".schemas" in module.name or module.name.endswith(".api") or ".api." in module.name:
            importlib.import_module(module.name)
    found, todo = [], [Schema]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("beacon.") and ".tests" not in subclass.__module__:
                found.append(subclass)
    return found


def _resolve(openapi: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_no_two_schemas_share_a_name():
    names = [schema.__name__ for schema in _beacon_schemas()]
    assert len(names) > 50
    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_no_component_has_a_generic_name(openapi):
    components = set(openapi["components"]["schemas"])
    assert components & GENERIC_NAMES == set()
    assert {"PlanReviewIn", "PlanReviewOut", "MissedDoseReviewIn"} <= components


def test_the_triage_outcome_is_documented_as_triage_outcomes(openapi):
    for name in ("TriageIn", "TriageOut"):
        field = _resolve(openapi, openapi["components"]["schemas"][name]["properties"]["outcome"])
        assert field["enum"] == list(Triage.Outcome.values), name
        assert field["title"] == "TriageOutcome"


def test_the_instalment_outcome_is_documented_as_instalment_outcomes(openapi):
    for name in ("OutcomeIn", "InstalmentOut"):
        props = openapi["components"]["schemas"][name]["properties"]
        assert _resolve(openapi, props["outcome"])["enum"] == list(Instalment.Outcome.values)


def test_a_plan_review_is_documented_as_a_plan_review(openapi):
    path = openapi["paths"]["/api/v1/treatment/plans/{plan_id}/reviews"]["post"]
    body = path["requestBody"]["content"]["application/json"]["schema"]
    assert _resolve(openapi, body)["title"] == "PlanReviewIn"
    assert "reviewed_on" in _resolve(openapi, body)["properties"]


def test_every_write_documents_a_body_that_is_not_json_too_large_or_invalid(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            answers = set(map(str, operation["responses"]))
            assert "401" in answers, (method, path)
            if "requestBody" in operation:
                assert {"400", "409", "413", "422"} <= answers, (method, path)


def test_every_write_documents_the_refusal_of_its_role_gate(openapi):
    writes = 0
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                writes += 1
                refused = operation["responses"].get(403) or operation["responses"].get("403")
                assert refused is not None, (method, path)
                assert refused["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"
                }, (method, path)
    assert writes > 60


def test_times_of_day_are_documented_without_an_offset(openapi):
    shift = openapi["components"]["schemas"]["ShiftIn"]["properties"]["start_time"]
    assert "format" not in shift  # JSON Schema's "time" requires an offset
    assert shift["pattern"].startswith("^([01][0-9]|2[0-3])")


def test_a_read_with_parameters_documents_its_422(openapi):
    # A day that is not a date (or year 9999) is refused with 422, as documented.
    for path in (
        "/api/v1/delivery/days/{day}",
        "/api/v1/delivery/register/{site_id}/{medicine}/entries",
    ):
        assert "422" in set(map(str, openapi["paths"][path]["get"]["responses"])), path
