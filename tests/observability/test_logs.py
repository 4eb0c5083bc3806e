"""What the ingress logs, through the real app (FastAPI's TestClient, fake handles behind it):
an unexpected failure is one JSON line with its stack under the request's id, and every
request one access line that never holds the text."""

from __future__ import annotations


import pytest
from fastapi.testclient import TestClient

from deployments.ingress import app
from deployments.ingress.deps import current
from deployments.ingress.service import Ingress
from serve.logging import get_logger
from serve.settings import Settings
from support.handles import FakeHandle
from support.logs import log_lines

SECRET_TEXT = "My confidential draft about the merger."


class BrokenRules:
    """The rule engine, live by its status, whose analysis fails with a bug."""

    def status(self):
        return {"engines": {"basic": {"live": True, "version": "rules-1", "auto": True}}, "auto": "basic"}

    def suggest(self, text, tasks, language):
        return []

    def analyze(self, text):
        raise KeyError("readability")


@pytest.fixture()
def client(tmp_path):
    rules = FakeHandle(BrokenRules())
    api = Ingress(Settings(log_dir=str(tmp_path), inline_rules_max_chars=0), rules, rules)  # every text to the (broken) analyzer
    app.dependency_overrides[current] = lambda: api
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, tmp_path
    app.dependency_overrides.clear()
    get_logger(Settings())


def access_lines(count: int):
    return lambda lines: sum("status" in line["context"] for line in lines) >= count


def test_a_500_is_one_error_line_with_the_stack_under_the_responses_request_id(client):
    client, log_dir = client
    request_id = "forced-500-1"  # Serve's proxy passes the caller's X-Request-ID on and echoes it (test_live checks the echo)
    response = client.post("/v1/analysis", json={"text": SECRET_TEXT}, headers={"X-Request-ID": request_id})
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error" and "Traceback" not in response.text and "readability" not in response.text
    assert body["error"]["request_id"] == request_id
    with_stack = [line for line in log_lines(log_dir) if "stack" in line]
    assert len(with_stack) == 1
    (error,) = with_stack
    assert error["level"] == "error" and "KeyError: 'readability'" in error["stack"]
    assert error["context"]["requestId"] == request_id
    assert (error["context"]["path"], error["context"]["method"]) == ("/v1/analysis", "POST")


def test_each_request_is_one_access_line_without_the_text(client):
    client, log_dir = client
    ok = client.post("/v1/suggestions", json={"text": SECRET_TEXT, "engine": "basic"}, headers={"X-Request-ID": "caller-chosen-1"})
    bad = client.post("/v1/suggestions", json={"text": ""})
    assert ok.status_code == 200 and bad.status_code == 422
    access = [line for line in log_lines(log_dir, until=access_lines(2)) if "status" in line["context"]]
    assert [line["context"]["requestId"] for line in access] == ["caller-chosen-1", bad.json()["error"]["request_id"]]
    first = access[0]["context"]
    assert (first["route"], first["status"], first["engine"], first["cached"], first["userId"]) == (
        "/v1/suggestions", 200, "basic", False, "local"
    )
    assert first["latencyMs"] > 0 and access[1]["context"]["status"] == 422
    assert all(SECRET_TEXT not in path.read_text() and "merger" not in path.read_text() for path in log_dir.glob("*.log"))


def test_routes_are_logged_by_their_template_so_labels_stay_few(client):
    client, log_dir = client
    for path in ("/no/such/page", "/static/index.html", "/healthz"):
        client.get(path)
    access = [line["context"] for line in log_lines(log_dir, until=access_lines(3)) if "status" in line["context"]]
    assert [(c["path"], c["route"], c["status"]) for c in access] == [
        ("/no/such/page", "unmatched", 404), ("/static/index.html", "/static", 200), ("/healthz", "/healthz", 200)
    ]
