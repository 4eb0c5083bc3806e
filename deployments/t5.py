"""T5: a transformers T5 checkpoint from T5_MODEL_PATH, batched with @serve.batch.

Long texts are split into sentences; each sentence is one batch item, so one
document and many concurrent callers share the same batches.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from ray import serve

from pipelines.models import model_version
from pipelines.text import sentence_spans
from serve.errors import EngineUnavailable
from serve.logging import get_logger
from serve.settings import Settings

# @serve.batch defaults; serve_config.yaml's user_config overrides them at run time.
MAX_BATCH_SIZE = 16
BATCH_WAIT_TIMEOUT_S = 0.01

def pick_device(requested: str) -> str:
    import torch

    if requested == "cuda" or (requested == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise RuntimeError("T5 device 'cuda' was asked for but no CUDA device is visible to this replica")
        return "cuda"
    return "cpu"


class T5Model:
    """The model itself, with no Serve in it: load once, generate for a list of prompts."""

    def __init__(self, path: str, device: str = "auto", fp16: bool = True, threads: int = 0):
        import torch
        from transformers import AutoTokenizer, T5ForConditionalGeneration

        if threads:
            torch.set_num_threads(threads)
        self.device = pick_device(device)
        self.dtype = torch.float16 if (self.device == "cuda" and fp16) else torch.float32
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = T5ForConditionalGeneration.from_pretrained(path, dtype=self.dtype).to(self.device).eval()
        self.version = model_version(path)

    def generate(self, prompts: list[str], max_new_tokens: int, min_new_tokens: int = 0) -> list[str]:
        import torch

        encoded = self.tokenizer(prompts, return_tensors="pt", padding=True, truncation=True, max_length=512).to(self.device)
        with torch.inference_mode():
            output = self.model.generate(
                **encoded,
                max_new_tokens=max_new_tokens,
                min_new_tokens=min_new_tokens or None,
                do_sample=False,
                num_beams=1,
            )
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


class T5Generator:
    def __init__(self, settings: Settings):
        from ray.util import metrics

        self._settings = settings
        self._log = get_logger(settings.log_level)
        self.model: T5Model | None = None
        self.load_error: str | None = None
        if settings.t5_model_available:
            try:
                self.model = T5Model(settings.t5_model_path, settings.t5_device, settings.t5_fp16, settings.t5_threads)
            except Exception as exc:  # a broken checkpoint leaves the other engines serving
                self.load_error = f"{type(exc).__name__}: {exc}"
                self._log.error("T5 model at %s failed to load: %s", settings.t5_model_path, self.load_error)
        self.max_new_tokens = settings.t5_max_new_tokens
        self.min_new_tokens = 0
        self.max_batch_size = MAX_BATCH_SIZE
        self.batch_wait_timeout_s = BATCH_WAIT_TIMEOUT_S
        self.batch_sizes: Counter[int] = Counter()
        # torch releases the GIL: generating on a worker thread keeps the event loop free
        # to queue the next batch while this one runs.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="t5")
        self._batch_size = metrics.Histogram(
            "t5_batch_size", "Prompts per T5 generate call.", boundaries=[1, 2, 4, 8, 16, 32, 64]
        )
        self._latency = metrics.Histogram(
            "ai_latency_seconds", "Engine call latency.", boundaries=[0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], tag_keys=("engine",)
        )

    def reconfigure(self, user_config: dict) -> None:
        """Batch size and wait, and generation length, from serve_config.yaml's user_config."""
        self.max_batch_size = int(user_config.get("max_batch_size", self.max_batch_size))
        self.batch_wait_timeout_s = float(user_config.get("batch_wait_timeout_s", self.batch_wait_timeout_s))
        self.generate_batch.set_max_batch_size(self.max_batch_size)
        self.generate_batch.set_batch_wait_timeout_s(self.batch_wait_timeout_s)
        self.max_new_tokens = int(user_config.get("max_new_tokens", self.max_new_tokens))
        self.min_new_tokens = int(user_config.get("min_new_tokens", self.min_new_tokens))

    @serve.batch(max_batch_size=MAX_BATCH_SIZE, batch_wait_timeout_s=BATCH_WAIT_TIMEOUT_S)
    async def generate_batch(self, prompts: list[str]) -> list[str]:
        self.batch_sizes[len(prompts)] += 1
        self._batch_size.observe(len(prompts))
        started = time.perf_counter()
        outputs = await asyncio.get_running_loop().run_in_executor(
            self._executor, self._require_model().generate, prompts, self.max_new_tokens, self.min_new_tokens
        )
        self._latency.observe(time.perf_counter() - started, tags={"engine": "t5"})
        return outputs

    async def generate(self, prompt: str) -> str:
        """One prompt, as is (benchmarks and callers with their own prompt format)."""
        return await self.generate_batch(prompt)

    async def transform(self, text: str, task: str) -> str:
        """The model's version of `text` for a task (grammar, formal, simple, concise, paraphrase)."""
        self._require_model()
        template = self._settings.t5_prompts.get(task)
        if template is None:
            raise EngineUnavailable(f"no T5 prompt is configured for {task!r}", retry_after=60)
        spans = sentence_spans(text)
        outputs = await asyncio.gather(*(self.generate_batch(template.format(text=text[s:e])) for s, e in spans))
        pieces, pos = [], 0
        for (start, end), output in zip(spans, outputs):
            pieces.append(text[pos:start])  # keep the writer's own spacing and line breaks
            pieces.append(output.strip())
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)

    def status(self) -> dict:
        sizes = self.batch_sizes
        return {
            "live": self.model is not None,
            "reason": None if self.model else (self.load_error or f"no model at {self._settings.t5_model_path}"),
            "model_path": self._settings.t5_model_path,
            "version": self.model.version if self.model else None,
            "device": self.model.device if self.model else None,
            "dtype": str(self.model.dtype).removeprefix("torch.") if self.model else None,
            "threads": _torch_threads(),
            "batches": sum(sizes.values()),
            "max_batch_size_seen": max(sizes, default=0),
            "mean_batch_size": (sum(k * v for k, v in sizes.items()) / sum(sizes.values())) if sizes else None,
            "max_batch_size": self.max_batch_size,
            "batch_wait_timeout_s": self.batch_wait_timeout_s,
        }

    def _require_model(self) -> T5Model:
        if self.model is None:
            raise EngineUnavailable(f"T5 is not loaded ({self.load_error or 'no model at ' + self._settings.t5_model_path})", retry_after=60)
        return self.model


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


T5 = serve.deployment(T5Generator, name="T5", ray_actor_options={"num_cpus": 0.5}, max_ongoing_requests=64)
