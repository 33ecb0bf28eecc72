"""A tools file declaring one command tool, as the endless-command tests load it."""

from __future__ import annotations

import textwrap
from pathlib import Path


def command_tool_file(tmp_path: Path, argv: str, extra: str = "", *, name: str, input_name: str) -> Path:
    """``tools.yaml`` in ``tmp_path``: a command tool ``name`` running ``argv`` (YAML), with one string input
    ``input_name`` and ``extra`` YAML lines of its declaration."""
    path = tmp_path / "tools.yaml"
    path.write_text(
        textwrap.dedent(f"""
        tools:
          - name: {name}
            kind: command
            description: A command tool.
            argv: {argv}
            inputs:
              {input_name}: {{type: string}}
            {extra}
        """)
    )
    return path
