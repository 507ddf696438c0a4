"""Every write of the API has a role gate (`role_gate`), run before its body is read; a
write planted without one is named, and the API's URLs refuse to load."""

import pytest
import rules
from django.core.exceptions import ImproperlyConfigured
from ninja import Router, Schema

from beacon.core import api as core_api
from beacon.core.api import BearerToken, role_gate, ungated_writes, write_operations
from beacon.core.registry import ApiRouter


class PlantedIn(Schema):
    name: str


def planted_router() -> Router:
    router = Router()

    @router.get("/read")
    def read(request):
        return {}

    @router.post("/bare")
    def bare(request, payload: PlantedIn):
        return {}

    @router.put("/token-only", auth=BearerToken())
    def token_only(request, payload: PlantedIn):
        return {}

    @router.post("/gated", auth=role_gate("core.manage_texts"))
    def gated(request, payload: PlantedIn):
        return {}

    @router.delete("/gated-in-a-list", auth=[role_gate("core.manage_texts"), BearerToken()])
    def half_gated(request):
        return {}

    return router


PLANTED = [ApiRouter("/planted/", planted_router())]


def test_every_write_of_the_api_has_a_role_gate():
    writes = list(write_operations())
    assert len(writes) > 60
    assert {method for _route, method, _operation in writes} == {"POST", "PUT", "PATCH"}
    assert ungated_writes() == []


def test_a_write_planted_without_a_gate_is_named():
    assert ungated_writes(PLANTED) == [
        "POST api/v1/planted/bare",
        "PUT api/v1/planted/token-only",
        "DELETE api/v1/planted/gated-in-a-list",
    ]


def test_the_api_urls_refuse_to_load_with_a_write_without_a_gate(monkeypatch):
    monkeypatch.setattr(core_api, "api_routers", PLANTED)
    with pytest.raises(ImproperlyConfigured, match="POST api/v1/planted/bare"):
        core_api.api_urls()


def test_every_gate_names_permissions_the_apps_declare():
    for route, method, operation in write_operations():
        auth = operation.auth_param
        for gate in auth if isinstance(auth, list) else [auth]:
            for permission in getattr(gate, "permissions", ()):
                assert rules.perm_exists(permission), (method, route, permission)


def test_a_gate_without_permissions_is_a_mistake():
    with pytest.raises(ValueError):
        role_gate()
