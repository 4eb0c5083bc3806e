"""What the bench ran on, recorded with every result."""

from __future__ import annotations

import os
import platform
from pathlib import Path


_KERNEL_FLAGS = frozenset({"avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_int8", "amx_bf16"})


def _proc_field(path: str, key: str) -> str | None:
    file = Path(path)
    if not file.exists():
        return None
    return next((line.split(":", 1)[1].strip() for line in file.read_text().splitlines() if line.startswith(key)), None)


def machine() -> dict:
    import importlib.metadata

    import ctranslate2
    import torch
    import transformers

    try:
        ray_version = importlib.metadata.version("ray")
    except importlib.metadata.PackageNotFoundError:  # the model sections run without Ray
        ray_version = None

    memory_kib = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor(),
        # The vector extensions the model kernels can use: CTranslate2's int8 runs several times
        # faster with AVX-512 VNNI, and virtual machines of one name differ in them.
        "cpu_flags": sorted(set((_proc_field("/proc/cpuinfo", "flags") or "").split()) & _KERNEL_FLAGS),
        "cores": os.cpu_count(),
        "memory_gib": int(memory_kib.split()[0]) // 2**20 if memory_kib else None,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "ctranslate2": ctranslate2.__version__,
        "ray": ray_version,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }
