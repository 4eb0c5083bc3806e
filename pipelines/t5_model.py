"""A T5 checkpoint ready to generate, on one of two backends, with no Serve in it.

    model = load("var/models/t5", backend="ctranslate2", compute_type="int8")
    model.generate(["grammar: This are good."], max_new_tokens=32)

Both backends take the same token ids and give the same decoded text (greedy search):
`transformers` runs the checkpoint in PyTorch; `ctranslate2` runs its conversion
(`python -m serve models convert`), int8 on CPU and float16 / int8_float16 on CUDA.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pipelines.models import CTRANSLATE2_DIR, model_version

Backend = Literal["transformers", "ctranslate2"]
ComputeType = Literal["auto", "float32", "float16", "int8", "int8_float16"]
Device = Literal["auto", "cpu", "cuda"]
MAX_INPUT_TOKENS = 512  # T5's trained context; longer sentences are cut there


Stop = Callable[[int], bool]  # asked at each generated token (its step, from 0): True stops the call


class GaveWay(Exception):
    """A call that may give way stopped in its first half because `give_way` was asked:
    its prompts are wanted in a bigger batch and run again there."""


CTRANSLATE2_CUBLAS = "libcublas.so.12"  # CTranslate2 4.x wheels are built for CUDA 12 and load its cuBLAS at first use


def cuda_devices(backend: Backend) -> int:
    """CUDA devices the backend itself can use (each ships its own CUDA runtime). CTranslate2 counts
    the GPUs with its static runtime, but a GPU is of use to it only where CUDA 12's cuBLAS loads:
    on a machine with another CUDA major it would fail at the first request."""
    if backend == "ctranslate2":
        import ctranslate2

        return ctranslate2.get_cuda_device_count() if ctranslate2_cublas() else 0
    import torch

    return torch.cuda.device_count()


def ctranslate2_cublas() -> bool:
    import ctypes

    try:
        ctypes.CDLL(CTRANSLATE2_CUBLAS)
        return True
    except OSError:
        return False


def pick_device(requested: Device, backend: Backend = "transformers") -> str:
    """`auto` is CUDA when the backend can use a GPU, else the CPU; `cuda` without one is an error."""
    visible = cuda_devices(backend) > 0
    if requested == "cuda" and not visible:
        why = ""
        if backend == "ctranslate2" and not ctranslate2_cublas():
            why = f" ({CTRANSLATE2_CUBLAS} does not load: install CUDA 12's cuBLAS, e.g. `pip install nvidia-cublas-cu12`, or use backend transformers)"
        raise RuntimeError(f"T5 device 'cuda' was asked for but {backend} sees no CUDA device in this replica{why}")
    return "cuda" if requested == "cuda" or (requested == "auto" and visible) else "cpu"


class T5Model:
    """Tokenizing and decoding shared by both backends; subclasses run the network."""

    backend: Backend

    def __init__(self, path: str, tokenizer_path: str | Path) -> None:
        from transformers import AutoTokenizer

        self.path = path
        self.tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_path))
        self._give_way_to: int | None = None  # the call `give_way` last named

    @property
    def version(self) -> str:
        """Files, backend and compute type: two of these never share a cache entry."""
        return f"{model_version(self.path)}-{self.backend}-{self.compute_type}"

    def encode(self, prompts: list[str]) -> list[list[int]]:
        return self.tokenizer(prompts, truncation=True, max_length=MAX_INPUT_TOKENS)["input_ids"]

    def generate(self, prompts: list[str], max_new_tokens: int, min_new_tokens: int = 0) -> list[str]:
        return self.generate_ids(self.encode(prompts), max_new_tokens, min_new_tokens)

    def generate_ids(self, batch: list[list[int]], max_new_tokens: int, min_new_tokens: int = 0,
                     call_id: int | None = None) -> list[str]:
        """The decoded answers. A call with a `call_id` stops with GaveWay if `give_way(call_id)`
        is asked (from another thread, before the call or while it runs) before half its tokens
        are generated; later it is too late to be worth it and the call finishes."""
        stop = None
        if call_id is not None:
            half = max_new_tokens // 2
            stop = lambda step: step < half and self._give_way_to == call_id  # noqa: E731
        return self.tokenizer.batch_decode(self.output_ids(batch, max_new_tokens, min_new_tokens, stop), skip_special_tokens=True)

    def give_way(self, call_id: int) -> None:
        """Ask the call `call_id` to stop (see `generate_ids`); a call with another id never does."""
        self._give_way_to = call_id

    def output_ids(self, batch: list[list[int]], max_new_tokens: int, min_new_tokens: int, stop: Stop | None = None) -> list[list[int]]:
        """Token ids per prompt; GaveWay when `stop` said so."""
        raise NotImplementedError

    def close(self) -> None:
        """Free what the model holds beyond memory (a process of its own: pipelines/t5_process.py)."""


class TransformersT5(T5Model):
    backend = "transformers"

    def __init__(self, path: str, device: Device = "auto", compute_type: ComputeType = "auto", threads: int = 0):
        import torch
        from transformers import T5ForConditionalGeneration

        super().__init__(path, path)
        if threads:
            torch.set_num_threads(threads)
        self.device = pick_device(device, self.backend)
        if compute_type.startswith("int8"):
            raise ValueError(f"the transformers backend runs float32 or float16, not {compute_type}; int8 needs backend ctranslate2")
        half = compute_type == "float16" or (compute_type == "auto" and self.device == "cuda")
        self.compute_type = "float16" if half else "float32"
        dtype = torch.float16 if half else torch.float32
        self.model = T5ForConditionalGeneration.from_pretrained(path, dtype=dtype).to(self.device).eval()

    def output_ids(self, batch: list[list[int]], max_new_tokens: int, min_new_tokens: int, stop: Stop | None = None) -> list[list[int]]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        stopped = False

        class Stopping(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):
                nonlocal stopped
                stopped = stopped or stop(input_ids.shape[1] - 2)  # the decoder's start token, then one per step
                return torch.full((input_ids.shape[0],), stopped, dtype=torch.bool, device=input_ids.device)

        encoded = self.tokenizer.pad({"input_ids": batch}, return_tensors="pt").to(self.device)
        # Denormal floats flushed to zero: x86 CPUs compute with them in slow microcode.
        # The flag is per thread, so it is set on the thread the model runs on.
        torch.set_flush_denormal(True)
        with torch.inference_mode():
            output = self.model.generate(**encoded, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens or None,
                                         do_sample=False, num_beams=1,
                                         stopping_criteria=StoppingCriteriaList([Stopping()]) if stop else None)
        if stopped:
            raise GaveWay()
        return output.tolist()


class CTranslate2T5(T5Model):
    backend = "ctranslate2"

    def __init__(self, path: str, device: Device = "auto", compute_type: ComputeType = "auto", threads: int = 0):
        import ctranslate2

        converted = ctranslate2_path(path)
        super().__init__(path, converted)
        self.device = pick_device(device, self.backend)
        self.translator = ctranslate2.Translator(str(converted), device=self.device, compute_type=compute_type,
                                                 intra_threads=threads)
        self.compute_type = self.translator.compute_type  # what the hardware gave: int8 on a CPU may be int8_float32

    def output_ids(self, batch: list[list[int]], max_new_tokens: int, min_new_tokens: int, stop: Stop | None = None) -> list[list[int]]:
        stopped = False

        def step(result) -> bool:  # each prompt's each token; True ends that prompt
            nonlocal stopped
            stopped = stopped or stop(result.step)
            return stopped

        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in batch]
        results = self.translator.translate_batch(
            tokens, beam_size=1, max_decoding_length=max_new_tokens, min_decoding_length=min_new_tokens,
            max_input_length=MAX_INPUT_TOKENS, callback=step if stop else None,  # a callback takes the GIL per token
        )
        if stopped:
            raise GaveWay()
        return [self.tokenizer.convert_tokens_to_ids(result.hypotheses[0]) for result in results]


def ctranslate2_path(path: str | Path) -> Path:
    """A converted model: `path` itself, or the conversion kept beside a checkpoint."""
    root = Path(path)
    for candidate in (root, root / CTRANSLATE2_DIR):
        if (candidate / "model.bin").is_file():
            return candidate
    raise FileNotFoundError(f"no CTranslate2 model at {root}: run `python -m serve models convert {root} {root / CTRANSLATE2_DIR}`")


BACKENDS: dict[str, type[T5Model]] = {"transformers": TransformersT5, "ctranslate2": CTranslate2T5}


def load(path: str, backend: Backend = "transformers", device: Device = "auto", compute_type: ComputeType = "auto",
         threads: int = 0) -> T5Model:
    """The model at `path` on `backend`; `threads` 0 keeps the backend's default."""
    return BACKENDS[backend](path, device=device, compute_type=compute_type, threads=threads)


def identical_share(a: T5Model, b: T5Model, prompts: list[str], max_new_tokens: int) -> float:
    """The share of `prompts` on which two models' greedy answers are the same tokens."""
    ids = a.encode(prompts)
    special = set(a.tokenizer.all_special_ids)
    answers = [[[t for t in seq if t not in special] for seq in model.output_ids(ids, max_new_tokens, 0)] for model in (a, b)]
    return sum(x == y for x, y in zip(*answers)) / len(prompts)
