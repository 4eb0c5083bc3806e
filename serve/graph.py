"""The one builder: binds the whole graph from validated settings.

serve_config.yaml names `serve.graph:build_app`; its `args` override settings
(which otherwise come from the environment), and its `deployments` section sets
each deployment's replicas, autoscaling and resources.
"""

from __future__ import annotations

from ray.serve import Application

from deployments.analyzer import Analyzer
from deployments.cache import Cache
from deployments.gemini import Gemini
from deployments.ingress import Ingress
from deployments.router import Router
from deployments.t5 import T5
from serve.settings import Settings

DEPLOYMENT_NAMES = ("Ingress", "Cache", "Router", "Gemini", "T5", "Analyzer")


def build_graph(settings: Settings) -> Application:
    analyzer = Analyzer.bind(settings)
    router = Router.bind(settings, Gemini.bind(settings), T5.bind(settings), analyzer)
    return Ingress.bind(settings, Cache.bind(settings), router, analyzer)


def build_app(args: dict | None = None) -> Application:
    """Serve application builder: `args` are Settings fields (by field name)."""
    return build_graph(Settings(**(args or {})))
