import json
import pytest
from beacon.core.tokens import api_token_issue
from beacon.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

def test_explore(client, users, team):
    _, raw = api_token_issue(user=users["keyworker"], name="t")
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    c = ClientFactory(provider=team.provider, team=team)
    for url in ["/api/v1/clients/?page_size=500", "/api/v1/clients/?page=x", "/api/v1/clients/", f"/api/v1/clients/{c.client_number}", "/api/v1/openapi.json", "/api/v1/docs"]:
        r = client.get(url, **h)
        print(url, r.status_code, r.content[:600])
    r = client.get("/api/v1/openapi.json")
    print("noauth openapi", r.status_code)
    r = client.get("/api/v1/docs")
    print("noauth docs", r.status_code, r.content[:300])
    for body in ["not json", json.dumps({"first_name": 5}), json.dumps({"first_name": "A"*101, "last_name": "B", "date_of_birth": 0, "sex": "X", "ethnicity": "ZZ", "extra": 1}), json.dumps([1])]:
        r = client.post("/api/v1/clients/", body, content_type="application/json", **h)
        print(r.status_code, r.content[:900])
    r = client.post("/api/v1/clients/", "a=b", content_type="application/x-www-form-urlencoded", **h)
    print("form", r.status_code, r.content[:300])
    print(json.dumps(client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ClientCreateIn"])[:1500])
