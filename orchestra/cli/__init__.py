"""The command-line client: ``python client.py <command>``; see ``app.build_parser`` for the commands."""

from orchestra.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
