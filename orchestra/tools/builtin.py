"""The tools every worker has without any tool file."""

from __future__ import annotations

from orchestra.tool_spec import Tool
from orchestra.tools.files import list_files_tool, read_file_tool, write_file_tool
from orchestra.tools.http_request import http_request_tool
from orchestra.tools.json_query import json_query_tool
from orchestra.tools.shell import shell_tool
from orchestra.tools.sleep import sleep_tool
from orchestra.tools.text import extract_text_tool, render_template_tool


def builtin_tools() -> list[Tool]:
    return [
        http_request_tool(),
        shell_tool(),
        read_file_tool(),
        write_file_tool(),
        list_files_tool(),
        json_query_tool(),
        extract_text_tool(),
        render_template_tool(),
        sleep_tool(),
    ]
