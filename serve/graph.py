"""The one builder: binds the whole graph from validated settings.

serve_config.yaml names `serve.graph:build_app`; its `args` override settings
(which otherwise come from the environment), and its `deployments` section sets
each deployment's replicas, autoscaling and resources: code names deployments,
the YAML sizes them.
"""

from __future__ import annotations

from ray import serve
from ray.serve import Application

from deployments.analyzer import Analyzer
from deployments.fallback import Fallback
from deployments.gemini import Gemini
from deployments.ingress import Ingress
from deployments.router import Router
from deployments.t5 import T5
from serve.settings import Settings

DEPLOYMENTS = {cls.__name__: cls for cls in (Ingress, Router, Gemini, T5, Analyzer, Fallback)}


def build_graph(settings: Settings, options: dict[str, dict] | None = None) -> Application:
    """The graph; `options` maps a deployment name to `.options(...)` overrides
    (num_replicas, user_config, ray_actor_options...), as serve_config.yaml does."""
    options = options or {}
    unknown = set(options) - set(DEPLOYMENTS)
    if unknown:
        raise ValueError(f"unknown deployments {sorted(unknown)}; the graph has {list(DEPLOYMENTS)}")

    def node(cls, *args):
        return serve.deployment(cls, name=cls.__name__).options(**options.get(cls.__name__, {})).bind(*args)

    analyzer = node(Analyzer, settings)
    fallback = node(Fallback, settings)  # holds FallbackMode when there is no Redis
    router = node(Router, settings, node(Gemini, settings), node(T5, settings), analyzer, fallback)
    return node(Ingress, settings, router, analyzer, fallback)


def build_app(args: dict | None = None) -> Application:
    """Serve application builder: `args` are Settings fields (by field name)."""
    return build_graph(Settings(**(args or {})))
