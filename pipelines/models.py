"""Model files: fetch a real T5 checkpoint when online, or build a random one offline.

A built model is laid out exactly like a downloaded checkpoint (config.json,
model.safetensors, tokenizer files), so the serving code loads both the same way.
"""

from __future__ import annotations

import io
import json
import string
from pathlib import Path

# Shapes a built model can take. "t5-small" matches the real checkpoint's compute
# (for benchmarks); "tiny" is for tests.
SHAPES: dict[str, dict] = {
    "tiny": dict(d_model=32, d_ff=64, num_layers=2, num_decoder_layers=2, num_heads=2, d_kv=16, vocab=1000),
    "t5-small": dict(d_model=512, d_ff=2048, num_layers=6, num_decoder_layers=6, num_heads=8, d_kv=64, vocab=32000),
}

# Checkpoints known to answer the service's prompts well (`serve models fetch NAME`).
KNOWN_CHECKPOINTS = {
    "flan-t5-small": "google/flan-t5-small",
    "flan-t5-base": "google/flan-t5-base",
    "coedit-large": "grammarly/coedit-large",
    "t5-grammar": "vennify/t5-base-grammar-correction",
}


def _training_sentences() -> list[str]:
    """Words from the spell checker's frequency list, plus punctuation, as a corpus."""
    import symspellpy

    dictionary = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    words = [line.split()[0] for line in dictionary.read_text().splitlines()[:30000]]
    marks = list(string.punctuation)
    return [" ".join(words[i : i + 12]) + f" {marks[i % len(marks)]}" for i in range(0, len(words), 12)] + [
        "This is a sentence. Grammar: fix this text, please!",
        "Make this text more formal: Paraphrase this text: Make this text simpler:",
    ]


def build_random(path: str | Path, shape: str = "tiny", seed: int = 0) -> Path:
    """Write a randomly initialised T5 with a real SentencePiece tokenizer to `path`."""
    import sentencepiece as spm
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose from {sorted(SHAPES)}")
    spec = SHAPES[shape]
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)

    proto = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_training_sentences()),
        model_writer=proto,
        vocab_size=min(spec["vocab"], 8000),
        model_type="unigram",
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        character_coverage=1.0,
        minloglevel=2,
    )
    processor = spm.SentencePieceProcessor(model_proto=proto.getvalue())
    pieces = [(processor.id_to_piece(i), processor.get_score(i)) for i in range(processor.get_piece_size())]
    tokenizer = T5Tokenizer(vocab=pieces, extra_ids=0)

    torch.manual_seed(seed)
    config = T5Config(
        vocab_size=max(spec["vocab"], len(tokenizer)),
        d_model=spec["d_model"],
        d_ff=spec["d_ff"],
        num_layers=spec["num_layers"],
        num_decoder_layers=spec["num_decoder_layers"],
        num_heads=spec["num_heads"],
        d_kv=spec["d_kv"],
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
    )
    model = T5ForConditionalGeneration(config).eval()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / "writing-model.json").write_text(json.dumps({"source": f"random:{shape}", "seed": seed}))
    return out


def fetch(name: str, path: str | Path) -> Path:
    """Download a Hugging Face checkpoint into `path` (needs network access to the hub)."""
    from huggingface_hub import snapshot_download

    repo = KNOWN_CHECKPOINTS.get(name, name)
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    snapshot_download(
        repo_id=repo,
        local_dir=out,
        allow_patterns=["*.json", "*.model", "*.safetensors", "*.txt"],
    )
    (out / "writing-model.json").write_text(json.dumps({"source": f"hf:{repo}"}))
    return out


def model_version(path: str | Path) -> str:
    """A short id of the files at `path`, so caches never mix two models' answers."""
    import hashlib

    root = Path(path)
    digest = hashlib.sha256()
    for name in ("config.json", "writing-model.json", "generation_config.json"):
        file = root / name
        if file.is_file():
            digest.update(file.read_bytes())
    weights = root / "model.safetensors"
    if weights.is_file():
        stat = weights.stat()
        digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]
