"""The cluster manifests, checked offline: each against the schema its tool uses, and
against each other and serve_config.yaml, so a deploy does not find the mismatch.

- Kubernetes kinds: kubernetes-validate (the API's own OpenAPI schemas), strict.
- The RayService: KubeRay's CRD schema (tests/cluster/schemas/, from KubeRay 1.7's
  ray.io_rayservices.yaml, descriptions dropped, pod templates left to the Kubernetes
  schema), closed so an unknown field fails as `kubectl apply --validate=strict` would.
- The launcher config: Ray's own `ray up` validation.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import kubernetes_validate
import pytest
import ray
import yaml

from serve.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "cluster"
KUBERNETES = "1.33.0"
IMAGE = "writing-service:0.1.0"


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def serve_config() -> dict:
    return yaml.safe_load((ROOT / "serve_config.yaml").read_text())


def t5_label_selector() -> dict[str, str]:
    (app,) = serve_config()["applications"]
    (t5,) = [d for d in app["deployments"] if d["name"] == "T5"]
    return t5["ray_actor_options"]["label_selector"]


def rayservice() -> dict:
    (manifest,) = documents(CLUSTER / "rayservice.yaml")
    return manifest


def pod_templates() -> dict[str, dict]:
    cluster = rayservice()["spec"]["rayClusterConfig"]
    return {"head": cluster["headGroupSpec"]["template"], **{g["groupName"]: g["template"] for g in cluster["workerGroupSpecs"]}}


def ray_container(template: dict) -> dict:
    (container,) = template["spec"]["containers"]
    return container


def settings_env_names() -> set[str]:
    """Every environment variable Settings reads."""
    names = set()
    for name, field in Settings.model_fields.items():
        if field.validation_alias is not None:
            names.update(c for c in field.validation_alias.choices if isinstance(c, str) and c.isupper())
        else:
            names.add(f"WRITING_{name.upper()}")
    return names


def closed(schema):
    """A CRD schema where objects with listed properties take no others."""
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: closed(value) for key, value in schema.items()}
    if "properties" in schema and "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        schema["additionalProperties"] = False
    return schema


def test_rayservice_embeds_serve_config_unchanged():
    spec = importlib.util.spec_from_file_location("embed_serve_config", CLUSTER / "embed_serve_config.py")
    embed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(embed)
    manifest = (CLUSTER / "rayservice.yaml").read_text()
    config = (ROOT / "serve_config.yaml").read_text()
    assert embed.embedded(manifest, config) == manifest, "run: python cluster/embed_serve_config.py"
    assert yaml.safe_load(rayservice()["spec"]["serveConfigV2"]) == serve_config()


def test_embedded_config_is_one_serve_deploy_accepts():
    from ray.serve.schema import ServeDeploySchema

    ServeDeploySchema.model_validate(yaml.safe_load(rayservice()["spec"]["serveConfigV2"]))


def test_rayservice_follows_the_kuberay_crd():
    schema = closed(json.loads((Path(__file__).parent / "schemas" / "ray.io_rayservices.v1.json").read_text()))
    jsonschema.validate(rayservice(), schema)
    broken = rayservice()
    broken["spec"]["rayClusterConfig"]["workerGroupSpecs"][0]["maxReplica"] = 3  # a typo the CRD rejects
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize("group", sorted(pod_templates()))
def test_pod_templates_are_valid_kubernetes(group):
    template = {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": group}, "template": pod_templates()[group]}
    kubernetes_validate.validate(template, KUBERNETES, strict=True)


@pytest.mark.parametrize("name", ["k8s/redis.yaml", "k8s/secrets.yaml"])
def test_companion_manifests_are_valid_kubernetes(name):
    for doc in documents(CLUSTER / name):
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_kustomization_lists_existing_manifests_but_not_the_secrets():
    (kustomization,) = documents(CLUSTER / "kustomization.yaml")
    for resource in kustomization["resources"]:
        assert (CLUSTER / resource).is_file(), resource
    assert "k8s/secrets.yaml" not in kustomization["resources"]  # applied once, by hand


def test_t5_prefers_the_gpu_group_and_the_cluster_autoscales():
    cluster = rayservice()["spec"]["rayClusterConfig"]
    assert cluster["enableInTreeAutoscaling"] is True
    groups = {g["groupName"]: g for g in cluster["workerGroupSpecs"]}
    selector = t5_label_selector()
    gpu = [g for g in groups.values() if selector.items() <= g.get("labels", {}).items()]
    assert [g["groupName"] for g in gpu] == ["gpu"]
    container = ray_container(gpu[0]["template"])
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["image"] == f"{IMAGE}-cuda"
    for group in groups.values():
        assert group["minReplicas"] <= group["replicas"] <= group["maxReplicas"]
    assert ray_container(groups["cpu"]["template"])["image"] == IMAGE
    assert "nvidia.com/gpu" not in ray_container(groups["cpu"]["template"])["resources"]["limits"]


def test_pods_read_only_settings_and_secrets_that_exist():
    secrets = {doc["metadata"]["name"]: doc["stringData"] for doc in documents(CLUSTER / "k8s" / "secrets.yaml")}
    known = settings_env_names()
    for values in secrets.values():
        assert set(values) <= known, set(values) - known
    for template in pod_templates().values():
        container = ray_container(template)
        assert {"secretRef": {"name": "writing-service"}} in container["envFrom"]
        for source in container["envFrom"]:
            assert source["secretRef"]["name"] in secrets
        for var in container["env"]:
            assert var["name"] in known, var["name"]
            ref = var.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["key"] in secrets[ref["name"]]


def test_redis_url_names_the_redis_service():
    docs = {(d["kind"], d["metadata"]["name"]): d for d in documents(CLUSTER / "k8s" / "redis.yaml")}
    statefulset = docs[("StatefulSet", "redis")]
    labels = statefulset["spec"]["template"]["metadata"]["labels"]
    assert ("Service", statefulset["spec"]["serviceName"]) in docs
    for container in pod_templates().values():
        (url,) = [v["value"] for v in ray_container(container)["env"] if v["name"] == "REDIS_URL"]
        service = docs[("Service", urlparse(url).hostname)]
        assert service["spec"]["selector"].items() <= labels.items()
        assert urlparse(url).port in [p["port"] for p in service["spec"]["ports"]]


def selects(selector: dict, labels: dict[str, str]) -> bool:
    """Whether a Kubernetes label selector (matchLabels, matchExpressions) selects `labels`."""
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        matched = {"In": labels.get(key) in values, "NotIn": labels.get(key) not in values,
                   "Exists": key in labels, "DoesNotExist": key not in labels}[operator]
        if not matched:
            return False
    return True


def test_probes_and_the_podmonitor_use_declared_ports():
    (monitor,) = documents(CLUSTER / "prometheus" / "podmonitor.yaml")
    assert monitor["kind"] == "PodMonitor"
    cluster = rayservice()["spec"]["rayClusterConfig"]
    groups = {"head": cluster["headGroupSpec"], **{g["groupName"]: g for g in cluster["workerGroupSpecs"]}}
    for name, group in groups.items():
        template = group["template"]
        # The labels KubeRay adds to every Ray pod, beside the template's own.
        labels = {**template["metadata"]["labels"], "ray.io/node-type": "head" if name == "head" else "worker"}
        assert selects(monitor["spec"]["selector"], labels), name
        container = ray_container(template)
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for endpoint in monitor["spec"]["podMetricsEndpoints"]:
            assert endpoint["port"] in ports
        assert int(group["rayStartParams"]["metrics-export-port"]) == ports["metrics"]
        assert ports["serve"] == serve_config()["http_options"]["port"]
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["port"] in ports, (probe, container["name"])


def test_image_runs_the_tested_ray_as_non_root_with_the_model_volume():
    dockerfile = (CLUSTER / "Dockerfile").read_text()
    assert f"rayproject/ray:{ray.__version__}-py311-cpu" in dockerfile
    assert f"rayproject/ray:{ray.__version__}-py311-gpu" in dockerfile  # the CUDA variant
    assert rayservice()["spec"]["rayClusterConfig"]["rayVersion"] == ray.__version__
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users[-1] == "ray"
    assert f"T5_MODEL_PATH={Settings().t5_model_path}" in dockerfile
    assert 'VOLUME ["/opt/models"]' in dockerfile and Settings().t5_model_path.startswith("/opt/models/")
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile.split("HEALTHCHECK", 1)[1]
    assert "RAY_SERVE_THROUGHPUT_OPTIMIZED=1" in dockerfile


def test_compose_runs_the_cluster_with_the_guides_volumes_and_env():
    (compose,) = documents(CLUSTER / "docker-compose.yml")
    services = compose["services"]
    assert {"ray-head", "ray-worker", "deploy", "redis", "mongodb", "prometheus", "grafana"} <= set(services)
    assert {"mongodb-data", "redis-data", "ai-models"} <= set(compose["volumes"])
    for name in ("ray-head", "ray-worker"):
        assert set(services[name]["environment"]) <= settings_env_names()
        assert "ai-models:/opt/models" in services[name]["volumes"]
    assert "ports" not in services["ray-worker"]  # so `--scale ray-worker=N` has no port clash
    assert services["deploy"]["command"].startswith("serve deploy serve_config.yaml")
    # Prometheus and Grafana get the observability config where it expects to be mounted.
    for mount in services["prometheus"]["volumes"] + services["grafana"]["volumes"]:
        source = mount.split(":")[0]
        if source.startswith("./"):
            assert (CLUSTER / source).is_dir(), source
    assert (CLUSTER / "prometheus" / "prometheus.yml").is_file()
    dashboards = [m.split(":")[1] for m in services["grafana"]["volumes"] if m.startswith("./grafana/dashboards")]
    providers = [p for f in (CLUSTER / "grafana" / "provisioning" / "dashboards").glob("*.yml") for p in documents(f)[0]["providers"]]
    assert dashboards == [p["options"]["path"] for p in providers]


def test_ray_cluster_launcher_config_passes_rays_validation():
    from ray.autoscaler._private.util import prepare_config, validate_config

    (config,) = documents(CLUSTER / "ray-cluster.yaml")
    validate_config(prepare_config(config))
    gpu = [t for t in config["available_node_types"].values() if t.get("labels", {}).items() >= t5_label_selector().items()]
    assert len(gpu) == 1 and gpu[0]["docker"]["worker_image"] == f"rayproject/ray:{ray.__version__}-py311-gpu"
    assert config["docker"]["image"] == f"rayproject/ray:{ray.__version__}-py311-cpu"
    (checkout,) = [remote for remote, local in config["file_mounts"].items() if local == "."]
    for commands in (config["setup_commands"], gpu[0]["worker_setup_commands"]):
        assert any(f"pip install -q {checkout}" in command for command in commands)
