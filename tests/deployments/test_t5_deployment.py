"""The T5 deployment's class in-process (no cluster): the engine interface the router
calls, its user_config, and what its status tells `auto` and /readyz."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys

import psutil
import pytest
from pydantic import ValidationError

from deployments.t5 import T5
from pipelines.edits import apply_edits, Edit
from pipelines.models import METADATA
from pipelines.vocabulary import CORRECTION_TASKS, Style
from serve.errors import EngineUnavailable
from serve.local import shipped_deployments
from serve.settings import Settings

TEXT = "She dont know wich option is better. This are good."


def t5(path: str, **overrides) -> T5:
    engine = T5(Settings(t5_model_path=path))
    engine.reconfigure(shipped_deployments()["T5"]["user_config"] | overrides)
    return engine


@pytest.fixture(scope="module")
def engine(tiny_t5):
    return t5(tiny_t5, max_new_tokens=24)


def test_suggestions_are_the_models_corrections_as_edits_of_the_asked_categories(engine):
    corrected = asyncio.run(engine.transform(TEXT, "grammar"))
    both = asyncio.run(engine.suggest(TEXT, ["grammar", "spelling", "tone"], "en-US"))
    assert both and apply_edits(TEXT, [Edit(**s) for s in both]) == corrected
    assert {s["category"] for s in both} <= CORRECTION_TASKS and all(s["engine"] == "t5" for s in both)
    grammar = asyncio.run(engine.suggest(TEXT, ["grammar"], "en-US"))
    assert {s["category"] for s in grammar} <= {"grammar"}
    assert asyncio.run(engine.suggest(TEXT, ["tone", "clarity"], "en-US")) == []  # not what a correction can tell


def test_rewrite_keeps_the_writers_paragraphs(engine):
    text = "First paragraph here.\n\nSecond one, after a blank line."
    rewritten = asyncio.run(engine.rewrite(text, "paraphrase"))
    assert isinstance(rewritten, str) and rewritten.count("\n\n") == 1


def test_a_random_model_is_live_for_engine_t5_but_never_for_auto(engine):
    status = engine.status()
    assert set(status) == {"live", "reason", "version", "tasks", "styles", "auto"}
    assert status["live"] is True and status["auto"] is False and "random" in status["reason"]
    assert set(status["tasks"]) == CORRECTION_TASKS and set(status["styles"]) == set(Style)
    assert "ctranslate2" in status["version"]


def test_a_trained_model_is_offered_to_auto(tiny_t5, tmp_path):
    trained = shutil.copytree(tiny_t5, tmp_path / "t5")
    (trained / METADATA).write_text(json.dumps({"source": "hf:some/checkpoint", "random": False}))
    status = t5(str(trained)).status()
    assert (status["live"], status["auto"], status["reason"]) == (True, True, None)


def test_user_config_switches_backend_and_resizes_batches_without_a_reload(engine, tiny_t5):
    other = t5(tiny_t5, backend="transformers", compute_type="float32")
    assert other.status()["version"] != engine.status()["version"] and "transformers" in other.status()["version"]
    model = other.model
    other.reconfigure(shipped_deployments()["T5"]["user_config"] | {"backend": "transformers", "compute_type": "float32",
                                                                     "max_batch_size": 3})
    assert other.model is model and other._batcher.max_items == 3


def test_a_bad_user_config_is_refused_with_the_field_named(tiny_t5):
    with pytest.raises(ValidationError, match="backend"):
        t5(tiny_t5, backend="onnx")
    with pytest.raises(ValidationError, match="batch_wait_timeout_s"):
        t5(tiny_t5, batch_wait_timeout_s=0.1)


def test_without_a_model_the_status_says_why_and_calls_answer_503(tmp_path):
    engine = t5(str(tmp_path / "absent"))
    status = engine.status()
    assert (status["live"], status["auto"]) == (False, False) and str(tmp_path / "absent") in status["reason"]
    with pytest.raises(EngineUnavailable, match="not loaded"):
        asyncio.run(engine.suggest(TEXT, ["grammar"], "en-US"))


def test_a_checkpoint_without_its_conversion_tells_how_to_make_one(tiny_t5, tmp_path):
    plain = shutil.copytree(tiny_t5, tmp_path / "t5", ignore=shutil.ignore_patterns("ctranslate2"))
    status = t5(str(plain)).status()
    assert status["live"] is False and "python -m serve models convert" in status["reason"]
    assert t5(str(plain), backend="transformers", compute_type="float32").status()["live"] is True


def test_transformers_runs_in_a_process_of_its_own_that_comes_back_after_a_crash(engine, tiny_t5):
    own = t5(tiny_t5, backend="transformers", compute_type="float32", max_new_tokens=24)
    beside = t5(tiny_t5, backend="transformers", compute_type="float32", max_new_tokens=24, own_process=False)
    try:
        pid = own.stats()["model_pid"]
        assert pid not in (None, os.getpid()) and psutil.Process(pid).ppid() == os.getpid()
        assert beside.stats()["model_pid"] == os.getpid() and engine.stats()["model_pid"] == os.getpid()  # CTranslate2 stays in
        expected = asyncio.run(beside.transform(TEXT, "grammar"))
        assert asyncio.run(own.transform(TEXT, "grammar")) == expected
        psutil.Process(pid).kill()
        psutil.Process(pid).wait(10)
        assert asyncio.run(own.transform(TEXT, "grammar")) == expected  # started again for this call
        second = own.stats()["model_pid"]
        assert second not in (None, pid)
    finally:
        own.close()
    assert own.stats()["model_pid"] is None and not psutil.pid_exists(second)
    with pytest.raises(RuntimeError, match="stopped"):  # a stopped model is not started again behind the reload's back
        own.model.generate_ids(own.model.encode(["grammar: x"]), 4)


def test_a_lone_request_gives_way_to_a_burst_behind_it_and_every_caller_gets_its_answer(tiny_t5):
    """The first request of a burst finds the model idle and starts alone; the three behind it
    fill a batch while it is in its first half, so it stops and goes first in theirs."""
    engine = t5(tiny_t5, backend="transformers", compute_type="float32", max_batch_size=4, max_new_tokens=400,
                min_new_tokens=400)  # the model in its own process, the stop sent to it
    texts = ["The first one are here.", "Second sentence is here.", "A third sentence.", "And the fourth."]
    try:
        async def burst():
            first = asyncio.create_task(engine.transform(texts[0], "grammar"))
            await asyncio.sleep(0.05)  # the lone call runs (400 tokens take about a second)
            rest = asyncio.gather(*(engine.transform(t, "grammar") for t in texts[1:]))
            return [await first] + await rest

        answers = asyncio.run(burst())
        stats = engine.stats()
        assert (stats["given_way"], stats["sizes"]) == (1, [1, 4])
        template = engine._settings.t5_prompts["grammar"]
        alone = engine.model.generate([template.format(text=t) for t in texts], 400, 400)  # the same batch, in that order
        assert answers == [a.strip() for a in alone]
    finally:
        engine.close()


def test_a_model_process_that_cannot_load_says_why(tiny_t5, tmp_path):
    broken = shutil.copytree(tiny_t5, tmp_path / "t5")
    (broken / "model.safetensors").write_bytes(b"not weights")
    beside = t5(str(broken), backend="transformers", compute_type="float32", own_process=False).status()
    assert beside["live"] is False and "SafetensorError" in beside["reason"]
    before = {p.pid for p in psutil.Process().children()}
    own = t5(str(broken), backend="transformers", compute_type="float32").status()
    assert own["live"] is False and own["reason"].endswith(beside["reason"])  # the loading error, from the process
    assert {p.pid for p in psutil.Process().children() if p.status() != psutil.STATUS_ZOMBIE} <= before  # which has exited


NICENESS_CHILD = """
import asyncio, json, os, sys
from deployments.t5 import T5
from serve.local import shipped_deployments
from serve.settings import Settings

def niceness(pid):
    return sorted({os.getpriority(os.PRIO_PROCESS, int(t)) for t in os.listdir(f"/proc/{pid}/task")})

engine = T5(Settings(t5_model_path=sys.argv[1], log_dir=sys.argv[2]))
config = shipped_deployments()["T5"]["user_config"] | {"backend": "transformers", "compute_type": "float32", "max_new_tokens": 8}
engine.reconfigure(config)
model = engine.stats()["model_pid"]
seen = {"start": [niceness(os.getpid()), niceness(model)]}
engine.reconfigure(config | {"niceness": 19})
answer = asyncio.run(engine.transform("She dont know.", "grammar"))
seen["raised"] = [niceness(os.getpid()), niceness(model), engine.stats()["niceness"], engine.stats()["model_pid"] == model]
if os.geteuid() == 0:  # as a user without root or CAP_SYS_NICE
    os.setresuid(65534, 65534, 65534)
engine.reconfigure(config | {"niceness": 0})
seen["refused"] = [niceness(os.getpid()), niceness(model), asyncio.run(engine.transform("She dont know.", "grammar")) == answer]
engine.close()
print(json.dumps(seen))
"""


def test_niceness_reaches_every_thread_and_the_models_process_and_a_refusal_is_logged(tiny_t5, tmp_path):
    child = subprocess.run([sys.executable, "-c", NICENESS_CHILD, tiny_t5, str(tmp_path)], capture_output=True, text=True,
                           timeout=300, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert child.returncode == 0, child.stderr[-2000:]
    lines = child.stdout.strip().splitlines()
    seen = json.loads(lines[-1])
    start = seen["start"][0]
    assert seen["start"] == [start, start] and len(start) == 1  # one niceness, the model's process inherits it
    assert seen["raised"] == [[19], [19], 19, True]  # every thread, the running model's process too, without a reload
    assert seen["refused"] == [[19], [19], True]  # lowering needs a privilege: both keep 19 and the model still answers
    warnings = [json.loads(line) for line in lines[:-1] if "niceness" in line]
    assert any(w["level"] == "warn" and "keeps niceness 19" in w["message"] and "CAP_SYS_NICE" in w["message"]
               for w in warnings), lines[:-1]
