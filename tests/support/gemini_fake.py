"""A loopback stand-in for Gemini's REST API (`POST /{v1,v1beta}/models/{model}:generateContent`).

The real google-genai SDK talks to it over HTTP (http_options.base_url), so the
service's request building, JSON-schema output parsing, timeouts and retries run
for real. Tests script its answers and faults.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_PATH = re.compile(r"^/(?P<version>v1[a-z0-9]*)/models/(?P<model>[^:/]+):generateContent$")


class FakeGemini:
    def __init__(self) -> None:
        self.answers: dict[str, str] = {}  # input text -> corrected/rewritten text
        self.mode = "ok"  # ok | error | busy (429) | unauthorized (401) | slow | garbage
        self.delay_s = 0.0
        self.retry_after_s = 1  # the Retry-After a busy answer carries
        self.requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeGemini":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def reset(self) -> None:
        self.answers.clear()
        self.mode, self.delay_s, self.retry_after_s = "ok", 0.0, 1
        self.requests.clear()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                """models.get: the cheap call that checks the key."""
                model = self.path.split("?")[0].rsplit("/", 1)[-1]
                if not self.headers.get("x-goog-api-key") or fake.mode == "unauthorized":
                    return self._send(401, {"error": {"code": 401, "message": "API key not valid", "status": "UNAUTHENTICATED"}})
                self._send(200, {"name": f"models/{model}", "displayName": model, "inputTokenLimit": 1048576})

            def do_POST(self) -> None:
                match = _PATH.match(self.path.split("?")[0])
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                if not match:
                    return self._send(404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}})
                if not self.headers.get("x-goog-api-key"):
                    return self._send(401, {"error": {"code": 401, "message": "no key", "status": "UNAUTHENTICATED"}})
                text = body["contents"][0]["parts"][0]["text"]
                fake.requests.append({"model": match["model"], "text": text, "body": body})
                if fake.mode == "error":
                    return self._send(500, {"error": {"code": 500, "message": "internal", "status": "INTERNAL"}})
                if fake.mode == "busy":
                    quota = {"error": {"code": 429, "message": "quota exceeded", "status": "RESOURCE_EXHAUSTED"}}
                    return self._send(429, quota, {"retry-after": str(fake.retry_after_s)})
                if fake.mode == "unauthorized":
                    return self._send(401, {"error": {"code": 401, "message": "API key not valid", "status": "UNAUTHENTICATED"}})
                if fake.mode == "slow":
                    time.sleep(fake.delay_s)
                answer = "not json {" if fake.mode == "garbage" else json.dumps({"text": fake.answers.get(text, text)})
                self._send(
                    200,
                    {
                        "candidates": [{"content": {"role": "model", "parts": [{"text": answer}]}, "finishReason": "STOP", "index": 0}],
                        "usageMetadata": {"promptTokenCount": len(text.split()), "candidatesTokenCount": len(answer.split())},
                        "modelVersion": match["model"],
                    },
                )

            def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
