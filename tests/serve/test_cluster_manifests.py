"""The cluster manifests deploy exactly what serve_config.yaml describes."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_rayservice_embeds_serve_config_unchanged():
    manifest = yaml.safe_load((ROOT / "cluster" / "rayservice.yaml").read_text())
    assert manifest["kind"] == "RayService"
    embedded = yaml.safe_load(manifest["spec"]["serveConfigV2"])
    assert embedded == yaml.safe_load((ROOT / "serve_config.yaml").read_text())


def test_rayservice_pods_run_the_image_the_dockerfile_builds_with_the_fast_data_path():
    manifest = yaml.safe_load((ROOT / "cluster" / "rayservice.yaml").read_text())
    cluster = manifest["spec"]["rayClusterConfig"]
    pods = [cluster["headGroupSpec"]["template"]] + [g["template"] for g in cluster["workerGroupSpecs"]]
    dockerfile = (ROOT / "cluster" / "Dockerfile").read_text()
    assert "ENV RAY_SERVE_THROUGHPUT_OPTIMIZED=1" in dockerfile
    import ray

    assert f"rayproject/ray:{ray.__version__}-" in dockerfile  # the image's Ray is the one tested here
    assert cluster["rayVersion"] == ray.__version__
    for pod in pods:
        (container,) = pod["spec"]["containers"]
        assert container["image"] == "writing-service:0.1.0"
        assert {"secretRef": {"name": "writing-service"}} in container["envFrom"]
