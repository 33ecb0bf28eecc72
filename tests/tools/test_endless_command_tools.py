"""A tools file's command tool whose argv never ends by itself is refused at load, with why (fix106): only the
shell tool's calls were judged (``commands.never_ends`` at planning), so ``[tail, -f, "{{ path }}"]`` loaded and
every call ran until its timeout, then was retried."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.tools.described import load_tool_file
from tests.tools.command_tool_files import command_tool_file


def _file(tmp_path: Path, argv: str, extra: str = "") -> Path:
    return command_tool_file(tmp_path, argv, extra, name="watcher", input_name="path")


@pytest.mark.parametrize(
    ("argv", "extra", "why"),
    [
        ('[tail, -f, "{{ path }}"]', "", "tail"),
        ('[tail, --follow=name, "{{ path }}"]', "", "tail"),
        ("[yes]", "", "yes"),
        ('[sleep, "1000"]', "", "past the shell's timeout of 60 s"),
        ('[sleep, "100"]', "timeout_s: 30", "past the shell's timeout of 30 s"),
        ("[sleep, infinity]", "", "forever"),
        ('[cat, /dev/zero, "{{ path }}"]', "", "/dev/zero"),
        ('[ping, "{{ path }}"]', "", "ping"),
    ],
)
def test_an_endless_argv_is_refused_at_load_with_why(tmp_path: Path, argv: str, extra: str, why: str) -> None:
    with pytest.raises(ValueError, match="never ends") as info:
        load_tool_file(_file(tmp_path, argv, extra))
    assert "'watcher'" in str(info.value) and why in str(info.value)


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        ('[tail, -n, "5", "{{ path }}"]', ""),
        ('[sleep, "5"]', ""),
        ('[sleep, "100"]', "timeout_s: 300"),
        ('[sleep, "{{ path }}"]', ""),  # the value is not known before a call
        ('[ping, -c, "3", "{{ path }}"]', ""),
        ('[tail, "{{ path }}"]', ""),
    ],
)
def test_an_argv_that_ends_or_cannot_be_judged_loads(tmp_path: Path, argv: str, extra: str) -> None:
    (tool,) = load_tool_file(_file(tmp_path, argv, extra))
    assert tool.name == "watcher"
