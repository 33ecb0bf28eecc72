"""Shared core of the orchestration engine: domain models, tool registry, built-in tools, settings."""
