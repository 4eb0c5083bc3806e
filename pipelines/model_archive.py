"""Model backups (the guide's `tar -czf models.tar.gz` of T5_MODEL_PATH), with checksums.

`backup` writes ARCHIVE (a tar.gz of the model directory's contents, so
`tar -xzf ARCHIVE -C $T5_MODEL_PATH` restores it by hand too) and ARCHIVE.sha256 in
`sha256sum` format. `restore` checks the archive against that checksum and extracts it
beside the target first; only a complete, verified extraction replaces the model
directory, so a damaged archive leaves the model that is there untouched.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from rich.progress import Progress

from pipelines.backup import sha256_file

class ArchiveError(Exception):
    """The model archive cannot be used; nothing was changed."""


def checksum_file(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


def backup(model_dir: str | Path, archive: str | Path, progress: Progress | None = None) -> str:
    """Archive the model directory; returns the archive's SHA-256."""
    progress = progress or Progress(disable=True)
    source, archive = Path(model_dir), Path(archive)
    if not source.is_dir():
        raise ArchiveError(f"no model directory at {source} (T5_MODEL_PATH)")
    files = sorted(p for p in source.rglob("*") if p.is_file())
    task = progress.add_task(f"archive {source}", total=sum(p.stat().st_size for p in files))
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "w:gz") as tar:
        for path in files:
            tar.add(path, arcname=str(path.relative_to(source)))
            progress.advance(task, path.stat().st_size)
    digest = sha256_file(archive, progress)
    checksum_file(archive).write_text(f"{digest}  {archive.name}\n")
    return digest


def verify(archive: str | Path, progress: Progress | None = None) -> str:
    progress = progress or Progress(disable=True)
    archive = Path(archive)
    sidecar = checksum_file(archive)
    if not archive.is_file():
        raise ArchiveError(f"no model archive at {archive}")
    if not sidecar.is_file():
        raise ArchiveError(f"no checksum for {archive} (expected {sidecar}); refusing an unverified archive")
    expected = sidecar.read_text().split()[0]
    actual = sha256_file(archive, progress, "verify")
    if actual != expected:
        raise ArchiveError(f"{archive} does not match its checksum (sha256 {actual[:12]}…, expected {expected[:12]}…): damaged or altered")
    return actual


def restore(archive: str | Path, model_dir: str | Path, progress: Progress | None = None) -> Path:
    """Replace the model directory with the verified archive's contents."""
    progress = progress or Progress(disable=True)
    archive, target = Path(archive), Path(model_dir)
    verify(archive, progress)
    staging = target.with_name(f".{target.name}.restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            task = progress.add_task(f"extract into {target}", total=len(members))
            for member in members:
                tar.extract(member, staging, filter="data")  # no absolute paths, links out or devices
                progress.advance(task)
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ArchiveError(f"{archive} could not be extracted ({exc}); {target} is unchanged") from exc
    previous = target.with_name(f".{target.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    return target
