"""The T5 model code path, without Serve: device choice and loading what `models tiny` builds."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from deployments.t5 import T5Model, pick_device


def test_auto_uses_the_cpu_when_no_gpu_is_visible_and_cuda_is_refused_clearly():
    if torch.cuda.is_available():
        pytest.skip("a GPU is visible here")
    assert pick_device("auto") == "cpu"
    assert pick_device("cpu") == "cpu"
    with pytest.raises(RuntimeError, match="no CUDA device"):
        pick_device("cuda")


def test_the_cli_builds_a_model_that_loads_like_a_real_checkpoint(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "serve", "models", "tiny", str(tmp_path / "t5")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in (tmp_path / "t5").iterdir()}
    model = T5Model(str(tmp_path / "t5"), device="auto", fp16=True)
    assert (model.device, model.dtype) == ("cpu", torch.float32)  # fp16 applies on CUDA only
    outputs = model.generate(["grammar: This are good.", "grammar: Short."], max_new_tokens=5, min_new_tokens=5)
    assert len(outputs) == 2 and all(isinstance(o, str) for o in outputs)
    assert len(model.version) == 12
