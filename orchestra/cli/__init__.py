"""The command-line client: ``python client.py <command>``; commands live in ``orchestra/cli/commands/``."""

from orchestra.cli.app import invoke, main

__all__ = ["invoke", "main"]
