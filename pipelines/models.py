"""Model files: fetch a real T5 checkpoint when online, build a random one offline,
convert either for CTranslate2.

A built model is laid out exactly like a downloaded checkpoint (config.json,
model.safetensors, tokenizer files), so the serving code loads both the same way.
Beside them, METADATA says where the weights came from and whether they are random
(a random model serves only when asked for by name, never for `engine: auto`), and
CTRANSLATE2_DIR holds the CTranslate2 conversion when there is one.
"""

from __future__ import annotations

import io
import json
import shutil
import string
from pathlib import Path

METADATA = "writing-model.json"
CTRANSLATE2_DIR = "ctranslate2"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "spiece.model")

# Shapes a built model can take. "t5-small" matches the real checkpoint's compute
# (for benchmarks); "tiny" is for tests, its weights drawn wide enough that different
# prompts get different answers (at the default scale every answer repeats one token).
SHAPES: dict[str, dict] = {
    "tiny": dict(d_model=32, d_ff=64, num_layers=2, num_decoder_layers=2, num_heads=2, d_kv=16, vocab=1000, init=5.0),
    "t5-small": dict(d_model=512, d_ff=2048, num_layers=6, num_decoder_layers=6, num_heads=8, d_kv=64, vocab=32000, init=1.0),
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
        initializer_factor=spec["init"],
    )
    model = T5ForConditionalGeneration(config).eval()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    write_metadata(out, source=f"random:{shape}", seed=seed, random=True)
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
    write_metadata(out, source=f"hf:{repo}", random=False)
    return out


def convert(src: str | Path, dst: str | Path) -> Path:
    """Convert the transformers checkpoint at `src` for CTranslate2 into `dst`, with the
    tokenizer and metadata beside it. Weights stay float32: the serving `compute_type`
    (int8, float16, ...) is applied when the model loads, so one conversion serves all."""
    from ctranslate2.converters import TransformersConverter

    source, out = Path(src), Path(dst)
    TransformersConverter(str(source)).convert(str(out), force=True)
    for name in (*TOKENIZER_FILES, METADATA):
        if (source / name).is_file():
            shutil.copy2(source / name, out / name)
    return out


def write_metadata(path: Path, **fields) -> None:
    (path / METADATA).write_text(json.dumps(fields))


def metadata(path: str | Path) -> dict:
    """What METADATA says about the model at `path` ({} for a checkpoint placed by hand)."""
    file = Path(path) / METADATA
    return json.loads(file.read_text()) if file.is_file() else {}


def model_version(path: str | Path) -> str:
    """A short id of the files at `path`, so caches never mix two models' answers."""
    import hashlib

    root = Path(path)
    digest = hashlib.sha256()
    for name in ("config.json", METADATA, "generation_config.json"):
        file = root / name
        if file.is_file():
            digest.update(file.read_bytes())
    for weights in (root / "model.safetensors", root / "model.bin", root / CTRANSLATE2_DIR / "model.bin"):
        if weights.is_file():
            stat = weights.stat()
            digest.update(f"{weights.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]
