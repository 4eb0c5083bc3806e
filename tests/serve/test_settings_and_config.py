"""Settings read the guide's variables unchanged; serve_config.yaml is a valid, whole Serve config."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from serve.__main__ import resolved_config
from serve.graph import DEPLOYMENTS
from serve.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GUIDE_ENV = {
    "NODE_ENV": "production",
    "PORT": "3001",
    "MONGODB_URI": "mongodb://production-db:27017/ai_writing",
    "REDIS_URL": "redis://cache:6379",
    "GOOGLE_AI_API_KEY": "your_production_key",
    "T5_MODEL_PATH": "/opt/models/t5",
    "LOG_LEVEL": "info",
}


def test_the_guides_env_file_works_unchanged(monkeypatch):
    for name, value in GUIDE_ENV.items():
        monkeypatch.setenv(name, value)
    s = Settings()
    assert (s.node_env, s.port, s.mongodb_uri, s.redis_url) == ("production", 3001, GUIDE_ENV["MONGODB_URI"], "redis://cache:6379")
    assert (s.google_ai_api_key, s.t5_model_path, s.log_level) == ("your_production_key", "/opt/models/t5", "info")
    assert s.gemini_configured


def test_defaults_follow_the_guides_cache_config():
    s = Settings()
    assert s.cache_ttl("suggestions") == 3600
    assert s.cache_ttl("analysis") == 7200
    assert s.cache_ttl("userProfile") == 86400
    assert s.cache_max_memory == 2 * 1024**3 and s.cache_max_entries == 10_000
    assert s.cache_eviction == "lru"


def test_prefixed_settings_and_sizes(monkeypatch):
    monkeypatch.setenv("WRITING_CACHE_MAX_MEMORY", "512mb")
    monkeypatch.setenv("WRITING_CACHE_EVICTION", "lfu")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    s = Settings()
    assert (s.cache_max_memory, s.cache_eviction, s.log_level) == (512 * 1024**2, "lfu", "warning")


@pytest.mark.parametrize("name, value", [("WRITING_CACHE_EVICTION", "fifo"), ("WRITING_CACHE_MAX_MEMORY", "lots"), ("PORT", "http")])
def test_bad_settings_are_refused_at_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_serve_config_is_a_valid_whole_config_for_every_deployment():
    from ray.serve.schema import ServeDeploySchema

    raw = yaml.safe_load((ROOT / "serve_config.yaml").read_text())
    config = ServeDeploySchema.model_validate(raw) if hasattr(ServeDeploySchema, "model_validate") else ServeDeploySchema.parse_obj(raw)
    app = config.applications[0]
    assert app.import_path == "serve.graph:build_app"
    deployments = {d["name"]: d for d in raw["applications"][0]["deployments"]}
    assert set(deployments) == set(DEPLOYMENTS)
    for name, options in deployments.items():
        assert {"ray_actor_options", "max_ongoing_requests"} <= set(options), name
        assert ("autoscaling_config" in options) != ("num_replicas" in options), name  # replicas said one way
    t5 = deployments["T5"]
    assert t5["max_ongoing_requests"] >= t5["user_config"]["max_batch_size"]
    assert raw["http_options"]["port"] == 3001


def test_run_applies_the_guides_port():
    assert resolved_config(ROOT / "serve_config.yaml", 8123)["http_options"]["port"] == 8123
