"""Model backups: a tar.gz of the model directory, restored only when its checksum holds."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from pipelines.model_archive import ArchiveError, backup, checksum_file, restore

ROOT = Path(__file__).resolve().parents[2]


def model_dir(path):
    (path / "ctranslate2").mkdir(parents=True)
    (path / "config.json").write_text('{"model_type": "t5"}')
    (path / "model.safetensors").write_bytes(bytes(range(256)) * 4096)
    (path / "ctranslate2" / "model.bin").write_bytes(b"\x01\x02" * 50_000)
    return path


def contents(path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_backup_then_restore_gives_the_same_model_files(tmp_path):
    source = model_dir(tmp_path / "t5")
    digest = backup(source, tmp_path / "backups" / "models.tar.gz")
    assert checksum_file(tmp_path / "backups" / "models.tar.gz").read_text() == f"{digest}  models.tar.gz\n"
    with tarfile.open(tmp_path / "backups" / "models.tar.gz") as tar:  # `tar -xzf ... -C $T5_MODEL_PATH` works too
        assert sorted(tar.getnames()) == ["config.json", "ctranslate2/model.bin", "model.safetensors"]

    target = model_dir(tmp_path / "restored")
    (target / "config.json").write_text("stale")
    restore(tmp_path / "backups" / "models.tar.gz", target)
    assert contents(target) == contents(source)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "restored", "t5"]  # no staging left behind


def test_a_damaged_archive_is_refused_and_the_model_left_alone(tmp_path):
    source = model_dir(tmp_path / "t5")
    archive = tmp_path / "models.tar.gz"
    backup(source, archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    target = model_dir(tmp_path / "live")
    (target / "config.json").write_text("the live model")
    with pytest.raises(ArchiveError, match="does not match its checksum"):
        restore(archive, target)
    assert (target / "config.json").read_text() == "the live model"
    checksum_file(archive).unlink()
    with pytest.raises(ArchiveError, match="refusing an unverified archive"):
        restore(archive, target)


def test_the_models_commands(tmp_path):
    source = model_dir(tmp_path / "t5")
    archive = tmp_path / "models.tar.gz"

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "serve", "models", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "T5_MODEL_PATH": str(source)})

    made = cli("backup", str(archive))
    assert made.returncode == 0 and "sha256" in made.stdout, made.stderr
    assert cli("restore", str(archive), "--path", str(tmp_path / "copy")).returncode == 0
    assert contents(tmp_path / "copy") == contents(source)
    archive.write_bytes(archive.read_bytes()[:-10])
    refused = cli("restore", str(archive))
    assert refused.returncode == 2 and "refused" in refused.stdout and "does not match its checksum" in refused.stdout
    assert contents(source) == contents(tmp_path / "copy")
