"""The peer: what a user would write instead of this service — a plain FastAPI app
that calls a transformers T5 once per request, run by uvicorn.

    PEER_MODEL_PATH=var/models/t5-small-random uvicorn pipelines.bench.peer:app

A sync endpoint, as FastAPI's docs advise for blocking code: each request runs
`generate` on its own thread from the server's thread pool.
"""

from __future__ import annotations

import os

import torch
from fastapi import FastAPI
from pydantic import BaseModel
from transformers import AutoTokenizer, T5ForConditionalGeneration

MODEL_PATH = os.environ["PEER_MODEL_PATH"]
MAX_NEW_TOKENS = int(os.environ.get("PEER_MAX_NEW_TOKENS", "16"))
MIN_NEW_TOKENS = int(os.environ.get("PEER_MIN_NEW_TOKENS", "0"))
if os.environ.get("PEER_THREADS"):
    torch.set_num_threads(int(os.environ["PEER_THREADS"]))

tokenizer = AutoTokenizer.from_pretrained(MODEL_PATH)
model = T5ForConditionalGeneration.from_pretrained(MODEL_PATH).eval()
app = FastAPI()


class Body(BaseModel):
    text: str


@app.post("/fix")
def fix(body: Body) -> dict:
    inputs = tokenizer("grammar: " + body.text, return_tensors="pt", truncation=True, max_length=512)
    with torch.inference_mode():
        output = model.generate(**inputs, max_new_tokens=MAX_NEW_TOKENS, min_new_tokens=MIN_NEW_TOKENS or None)
    return {"text": tokenizer.decode(output[0], skip_special_tokens=True)}


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}
