"""Keys, roles, revocation, rate limits, CORS and hostile input, over real HTTP against two
ingress replicas that share a redis-server and the MongoDB-wire store."""

from __future__ import annotations

import hashlib
import hmac
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import language_tool_python
from language_tool_python.exceptions import LanguageToolError
import pytest
from pymongo import MongoClient

from secure_app import ORIGIN, SECRET, LanguageToolWithKey

TEXT = {"text": "Thsi is a sentence."}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_without_a_key_every_family_answers_401_in_its_own_error_shape(secure_url, http):
    r = http.post(f"{secure_url}/v1/analysis", json=TEXT)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert "API key" in r.json()["error"]["message"]
    r = http.post(f"{secure_url}/v2/check", data={"text": "Thsi is it.", "language": "en-US"})
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/plain") and r.text.startswith("Error: ")
    for method, path in [("GET", "/v1/admin/keys"), ("DELETE", "/v1/admin/cache"), ("GET", "/v1/documents")]:
        assert http.request(method, f"{secure_url}{path}").status_code == 401, path
    assert http.get(f"{secure_url}/readyz").status_code == 200  # probes stay open


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer wsk_" + "A" * 43},
    {"X-API-Key": "not-a-key"},
    {"Authorization": "Basic b3BzOm9wcw=="},
])
def test_a_made_up_key_is_401(secure_url, http, headers):
    assert http.post(f"{secure_url}/v1/analysis", json=TEXT, headers=headers).status_code == 401


def test_a_key_works_as_bearer_or_x_api_key(secure_url, http, writer_key):
    assert http.post(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(writer_key)).status_code == 200
    assert http.post(f"{secure_url}/v1/analysis", json=TEXT, headers={"X-API-Key": writer_key}).status_code == 200


def test_a_writer_key_is_403_on_admin_routes(secure_url, http, writer_key):
    for method, path in [("GET", "/v1/admin/keys"), ("POST", "/v1/admin/keys"), ("DELETE", "/v1/admin/cache"),
                         ("DELETE", "/v1/admin/keys/key_0"), ("GET", "/v1/admin/fallback")]:
        r = http.request(method, f"{secure_url}{path}", headers=bearer(writer_key), json={"user": "x", "roles": ["admin"]})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", (path, r.text)


def test_a_key_is_shown_once_and_stored_only_as_its_hmac(admin, mongodb_uri):
    r = admin.post("/v1/admin/keys", json={"user": "alice", "roles": ["writer"]})
    assert r.status_code == 201
    issued = r.json()
    listed = admin.get("/v1/admin/keys").json()["keys"]
    mine = next(k for k in listed if k["id"] == issued["id"])
    assert mine["user"] == "alice" and mine["roles"] == ["writer"] and mine["created"] and "key" not in mine
    assert issued["key"] not in admin.get("/v1/admin/keys").text
    with MongoClient(mongodb_uri) as client:
        stored = client.get_default_database()["api_keys"].find_one({"_id": issued["id"]})
    assert stored["hash"] == hmac.new(SECRET.encode(), issued["key"].encode(), hashlib.sha256).hexdigest()
    assert issued["key"] not in str(stored)


def test_last_use_is_recorded(admin, http, secure_url, writer):
    listed = lambda: next(k for k in admin.get("/v1/admin/keys").json()["keys"] if k["id"] == writer["id"])  # noqa: E731
    assert listed()["last_used"] is None
    http.post(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(writer["key"]))
    assert listed()["last_used"] >= writer["created"]


def test_unknown_roles_and_blank_owners_are_refused(admin):
    assert admin.post("/v1/admin/keys", json={"user": "bob", "roles": ["root"]}).status_code == 422
    assert admin.post("/v1/admin/keys", json={"user": "  ", "roles": ["writer"]}).status_code == 422
    assert admin.delete("/v1/admin/keys/key_doesnotexist").status_code == 404


def test_a_revoked_key_is_refused_by_every_replica_within_a_second(admin, http, secure_url, writer):
    writer_key, key_id = writer["key"], writer["id"]
    ok = [http.post(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(writer_key)).status_code for _ in range(8)]
    assert ok == [200] * 8  # both replicas have checked (and cached) the key
    revoked_at = time.monotonic()
    assert admin.delete(f"/v1/admin/keys/{key_id}").json()["revoked"]
    last_accepted = revoked_at
    while time.monotonic() - revoked_at < 2.5:
        if http.post(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(writer_key)).status_code == 200:
            last_accepted = time.monotonic()
    assert last_accepted - revoked_at < 1.0
    assert key_id not in admin.get("/v1/admin/keys").text


def test_the_101st_request_is_429_with_the_rate_limit_headers(http, secure_url, writer_key):
    remaining = []
    for _ in range(100):
        r = http.post(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(writer_key))
        assert r.status_code == 200 and r.headers["RateLimit-Limit"] == "100"
        remaining.append(int(r.headers["RateLimit-Remaining"]))
    assert remaining == list(range(99, -1, -1))  # one count across both replicas
    r = http.post(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(writer_key))
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert r.headers["RateLimit-Limit"] == "100" and r.headers["RateLimit-Remaining"] == "0"
    assert 0 < int(r.headers["Retry-After"]) <= 900 and 0 < int(r.headers["RateLimit-Reset"]) <= 900
    assert http.post(f"{secure_url}/v2/check", data={"text": "x", "language": "en-US"}, headers=bearer(writer_key)).status_code == 429


def test_the_limit_is_exact_under_concurrent_load_on_two_replicas(secure_url, writer_key):
    def one(_):
        return httpx.post(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(writer_key), timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(one, range(130)))
    assert codes.count(200) == 100 and codes.count(429) == 30


def test_a_languagetool_client_with_username_and_api_key_gets_matches(secure_url, admin):
    issued = admin.post("/v1/admin/keys", json={"user": "lt-user@example.com", "roles": ["writer"]}).json()
    tool = LanguageToolWithKey("en-US", remote_server=secure_url + "/", username=issued["user"], api_key=issued["key"])
    matches = tool.check("Thsi is a sentence.")
    assert matches and matches[0].replacements[0] == "This"
    impostor = LanguageToolWithKey("en-US", remote_server=secure_url + "/", username="someone-else", api_key=issued["key"])
    with pytest.raises(LanguageToolError, match="^Error: the API key is not valid"):
        impostor.check("Thsi is a sentence.")
    with pytest.raises(LanguageToolError, match="^Error: an API key is required"):
        language_tool_python.LanguageTool("en-US", remote_server=secure_url + "/").check("Thsi is a sentence.")


def test_cors_preflight_answers_an_allowed_origin_and_ignores_others(http, secure_url):
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}
    r = http.options(f"{secure_url}/v1/suggestions", headers={"Origin": ORIGIN, **ask})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in r.headers["access-control-allow-methods"] and "authorization" in r.headers["access-control-allow-headers"].lower()
    r = http.options(f"{secure_url}/v1/suggestions", headers={"Origin": "https://evil.example", **ask})
    assert r.status_code == 405 and not any(h.startswith("access-control-") for h in r.headers)
    r = http.post(f"{secure_url}/v1/analysis", json=TEXT, headers={"Origin": "https://evil.example"})
    assert not any(h.startswith("access-control-") for h in r.headers)
    r = http.post(f"{secure_url}/v1/analysis", json=TEXT, headers={"Origin": ORIGIN})
    assert r.headers["access-control-allow-origin"] == ORIGIN and "ratelimit-remaining" in r.headers.get("access-control-expose-headers", "").lower()


@pytest.mark.parametrize("path", ["/v1/suggestions", "/v1/analysis"])
@pytest.mark.parametrize("raw", [b'{"text": "\\ud800 x"}', b'{"text": "x \\udfff"}', b'{"text": "a\\u0000b"}',
                                 b'{"text": "caf\xe9"}', b'{"text": ' + b'"x' * 3 + b"}"])
def test_malformed_text_is_a_4xx_never_a_500(http, secure_url, admin_key, path, raw):
    r = http.post(f"{secure_url}{path}", content=raw, headers={**bearer(admin_key), "content-type": "application/json"})
    assert r.status_code in (400, 422) and r.json()["error"]["code"] in ("bad_request", "validation_error")
    assert "Traceback" not in r.text


def test_text_over_the_limit_is_413_with_the_limit_in_the_message(http, secure_url, admin_key):
    r = http.post(f"{secure_url}/v1/analysis", json={"text": "word " * 4001}, headers=bearer(admin_key))
    assert r.status_code == 413 and "20000" in r.json()["error"]["message"]
    r = http.post(f"{secure_url}/v2/check", content=b"language=en-US&text=caf\xe9", headers={
        **bearer(admin_key), "content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and r.text.startswith("Error: ")


def test_wrong_methods_are_405_with_allow(http, secure_url, admin_key):
    r = http.put(f"{secure_url}/v1/analysis", json=TEXT, headers=bearer(admin_key))
    assert r.status_code == 405 and "POST" in r.headers["allow"]


def test_no_key_and_no_user_text_reaches_a_log_or_an_error_body(http, secure_url, writer_key, admin):
    import os
    from pathlib import Path

    import ray

    marker = "Zyxwvut secret manuscript line"
    bogus = "wsk_" + "Q" * 43
    bodies = [
        http.post(f"{secure_url}/v1/analysis", json={"text": marker}, headers=bearer(writer_key)).text,
        http.post(f"{secure_url}/v1/analysis", json={"text": marker}, headers=bearer(bogus)).text,
        http.post(f"{secure_url}/v1/analysis", json={"text": marker + "\x00"}, headers=bearer(writer_key)).text,
        http.post(f"{secure_url}/v2/check", data={"text": marker, "language": "xx", "apiKey": writer_key}).text,
        http.post(f"{secure_url}/v1/rewrite", json={"text": marker, "style": "formal", "engine": "gemini"}, headers=bearer(writer_key)).text,
    ]
    for body in bodies[1:]:
        assert marker not in body and writer_key not in body and bogus not in body and "Traceback" not in body
    time.sleep(2)  # log lines flushed
    roots = [Path(os.environ["WRITING_LOG_DIR"]), Path(ray._private.worker._global_node.get_session_dir_path()) / "logs"]
    for root in roots:
        for path in (p for p in root.rglob("*") if p.is_file()):
            content = path.read_bytes()
            for secret in (marker, writer_key, bogus, SECRET):
                assert secret.encode() not in content, f"{secret[:12]}... found in {path}"
