"""The strongest simple alternative for the request path: one FastAPI app under uvicorn
that calls the same rule engine in-process, no cache, no Ray.

    python -m uvicorn pipelines.bench.plain_rules:app --port 8000
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from pipelines import rules

app = FastAPI()


class Body(BaseModel):
    text: str
    engine: str = "basic"


@app.post("/v1/suggestions")
def suggestions(body: Body) -> dict:
    return {"suggestions": [e.to_dict() for e in rules.check(body.text)], "engine": "basic", "cached": False}


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}
