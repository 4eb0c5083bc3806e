"""Wiring for the writing service: settings, the Serve graph builder, logging, errors, CLI."""
