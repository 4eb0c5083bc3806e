"""The T5 model without Serve: devices, the files `models` writes, and the two backends' parity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.models import METADATA, metadata
from pipelines.t5_model import cuda_devices, identical_share, load, pick_device

PROMPTS = [
    "grammar: The report number 7 were sent to they manager yesterday.",
    "grammar: She dont know wich of the options is better for the team.",
    "grammar: Short.",
    "Make this text more formal: Their going to finish the draft before the deadline, weather or not it rains.",
    "Paraphrase this text: Due to the fact that the servers was slow, we could of missed the update.",
    "Make this text simpler: It was decided by the committee that nine members would attend the meeting.",
]


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_auto_takes_a_gpu_when_the_backend_sees_one_and_cuda_without_one_is_refused(backend):
    has_gpu = cuda_devices(backend) > 0
    assert pick_device("auto", backend) == ("cuda" if has_gpu else "cpu")
    assert pick_device("cpu", backend) == "cpu"
    if not has_gpu:
        with pytest.raises(RuntimeError, match="no CUDA device"):
            pick_device("cuda", backend)


def test_models_tiny_writes_a_checkpoint_marked_random_and_its_ctranslate2_form(tmp_path):
    done = subprocess.run([sys.executable, "-m", "serve", "models", "tiny", str(tmp_path / "t5")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    files = {p.name for p in (tmp_path / "t5").iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", METADATA} <= files
    assert metadata(tmp_path / "t5")["random"] is True
    assert (tmp_path / "t5" / "ctranslate2" / "model.bin").is_file()
    for backend in ("transformers", "ctranslate2"):
        outputs = load(str(tmp_path / "t5"), backend).generate(PROMPTS[:2], max_new_tokens=5, min_new_tokens=5)
        assert len(outputs) == 2 and all(o.strip() for o in outputs), (backend, outputs)


def test_models_convert_writes_a_directory_the_ctranslate2_backend_loads_by_itself(tiny_t5, tmp_path):
    done = subprocess.run([sys.executable, "-m", "serve", "models", "convert", tiny_t5, str(tmp_path / "ct2")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    model = load(str(tmp_path / "ct2"), "ctranslate2", compute_type="float32")
    assert model.generate(PROMPTS[:1], 6) == load(tiny_t5, "ctranslate2", compute_type="float32").generate(PROMPTS[:1], 6)


def test_ctranslate2_float32_answers_token_for_token_as_transformers(tiny_t5):
    reference = load(tiny_t5, "transformers", compute_type="float32")
    fast = load(tiny_t5, "ctranslate2", compute_type="float32")
    assert identical_share(reference, fast, PROMPTS, max_new_tokens=24) == 1.0
    answers = reference.generate(PROMPTS, 24)
    assert len(set(answers)) >= 3, answers  # the prompts really lead to different answers


def test_version_covers_backend_and_compute_type(tiny_t5):
    versions = {load(tiny_t5, "transformers", compute_type="float32").version,
                load(tiny_t5, "ctranslate2", compute_type="float32").version,
                load(tiny_t5, "ctranslate2", compute_type="int8").version}
    assert len(versions) == 3


def test_impossible_choices_say_what_to_do(tiny_t5, tmp_path):
    with pytest.raises(ValueError, match="int8 needs backend ctranslate2"):
        load(tiny_t5, "transformers", compute_type="int8")
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"):
        (plain / name).write_bytes((Path(tiny_t5) / name).read_bytes())
    with pytest.raises(FileNotFoundError, match="python -m serve models convert"):
        load(str(plain), "ctranslate2")


def test_metadata_is_empty_for_a_checkpoint_placed_by_hand(tmp_path):
    assert metadata(tmp_path) == {}
    (tmp_path / METADATA).write_text(json.dumps({"source": "hf:x", "random": False}))
    assert metadata(tmp_path)["random"] is False


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_the_stop_is_asked_once_per_token_and_stopping_raises_gave_way(tiny_t5, backend):
    from pipelines.t5_model import GaveWay

    model = load(tiny_t5, backend, compute_type="float32")
    ids = model.encode(PROMPTS[:1])
    steps = []
    assert model.output_ids(ids, 6, 6, stop=lambda step: steps.append(step) or False) == model.output_ids(ids, 6, 6)
    assert steps == list(range(6))  # one prompt, six tokens
    with pytest.raises(GaveWay):
        model.output_ids(ids, 6, 6, stop=lambda step: step == 2)


@pytest.mark.parametrize("own_process", [False, True], ids=["in-process", "own-process"])
@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_give_way_from_another_thread_stops_the_call_it_names_and_no_other(tiny_t5, backend, own_process):
    """The batcher asks from the event loop's thread, before the worker's call starts or while it
    runs; a model in a process of its own gets the message while it generates."""
    import threading

    from pipelines.t5_model import GaveWay
    from pipelines.t5_process import ModelProcess

    model = (ModelProcess if own_process else load)(tiny_t5, backend, compute_type="float32")
    try:
        ids = model.encode(PROMPTS[:2])
        tokens = 400 if backend == "transformers" else 4000  # a call long enough to be asked in its first half
        plain = model.generate_ids(ids, tokens, tokens)

        def call(call_id: int | None, asked: int):
            outcome = []
            thread = threading.Thread(target=lambda: outcome.append(_outcome(model.generate_ids, ids, tokens, tokens, call_id)))
            thread.start()
            model.give_way(asked)
            thread.join()
            return outcome[0]

        model.give_way(1)  # before the call starts
        assert isinstance(_outcome(model.generate_ids, ids, tokens, tokens, 1), GaveWay)
        assert isinstance(call(2, asked=2), GaveWay)  # while it runs, early
        assert call(None, asked=3) == plain  # a call without an id never gives way
        assert call(4, asked=3) == plain  # nor one asked under another id (an earlier call's)
        assert model.generate_ids(ids, tokens, tokens, 5) == plain  # nothing asked: the call runs to its end
    finally:
        model.close()


def _outcome(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:
        return exc
