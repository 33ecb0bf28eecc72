"""The ``kind: mcp`` entry of a tool file: one MCP server whose tools join the registry as ``<name>.<tool>``.

A stdio server is a ``command`` the worker starts in the OS sandbox; a streamable-HTTP server is a
``url`` reached through the network boundary. Paths in the entry (a program given by path,
``read_only``) are relative to the tool file; the server's working directory is relative to the
workspace. ``${secrets.NAME}`` may appear in ``headers`` and ``env`` values only, and is resolved on
the process that connects, just before it does.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orchestra.secret_references import SECRET_REFERENCE, uses_secret
from orchestra.shown_url import AMBIGUOUS_USER_INFO, ambiguous_password, shown_url

SERVER_NAME = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"  # no dot: `<server>.<tool>` splits at the first one
Approval = Literal["destructive", "always", "never"]

# inf was taken (a list never asked again, a server's new tools never seen); a day is the most that makes sense.
MAX_REFRESH_S = 86_400.0


class McpServerDecl(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["mcp"]
    name: str = Field(pattern=SERVER_NAME, description="its tools become <name>.<tool>")
    command: list[str] | None = Field(None, min_length=1, description="a stdio server: argv, run in the sandbox")
    url: str | None = Field(None, description="a streamable-HTTP server, reached through the network boundary")
    headers: dict[str, str] = Field(default_factory=dict, description="HTTP headers; values may use ${secrets.NAME}")
    env: dict[str, str] = Field(
        default_factory=dict, description="the stdio server's whole environment (with PATH, HOME)"
    )
    cwd: str = Field(".", description="the stdio server's working directory, inside the workspace")
    read_only: list[str] = Field(default_factory=list, description="more directories the stdio server may read")
    network: bool = Field(False, description="the stdio server shares the worker's network (all or nothing)")
    # Node's V8 reserves more address space than the sandbox's default limit (1024 MiB) allows.
    memory_mb: int | None = Field(None, gt=0, le=65536, description="the stdio server's address-space limit")
    timeout_s: float = Field(30.0, gt=0, le=3600, description="per call, and for starting and listing")
    refresh_s: float = Field(
        300.0,
        ge=0,
        le=MAX_REFRESH_S,
        allow_inf_nan=False,
        description="how long a tools/list result is used before asking again (at most a day)",
    )
    approval: Approval = Field("destructive", description="which tools need approval in agent mode")
    capabilities: list[str] = Field(default_factory=list, description="keywords added to every tool of the server")
    # Where relative paths start: the tool file's directory (set by the loader, not by the file).
    base_dir: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _one_transport(self) -> McpServerDecl:
        if (self.command is None) == (self.url is None):
            raise ValueError("give exactly one of 'command' (a stdio server) or 'url' (a streamable-HTTP server)")
        if self.url is not None:
            parts = urlsplit(self.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"url: {shown_url(self.url)!r} is not an http(s) URL")
            if ambiguous_password(self.url) is not None:  # refused at load, not at each call's connect
                raise ValueError(f"url: {shown_url(self.url)!r} cannot be read: {AMBIGUOUS_USER_INFO}")
            if uses_secret(self.url):
                raise ValueError("url: secrets go in headers, not in the URL")
            stray = [f for f in ("env", "read_only", "network", "memory_mb") if f in self.model_fields_set]
            if stray or self.cwd != ".":
                raise ValueError(f"{', '.join(stray) or 'cwd'}: only for a stdio server ('command')")
        else:
            assert self.command is not None
            if "headers" in self.model_fields_set:
                raise ValueError("headers: only for a streamable-HTTP server ('url')")
            if any(uses_secret(part) for part in self.command):
                raise ValueError("command: secrets go in env, not in the command line (visible to every process)")
        for key, value in {**self.headers, **self.env}.items():
            outside = SECRET_REFERENCE.sub("", value)
            if "${" in outside:
                raise ValueError(f"{key}: only ${{secrets.NAME}} references are filled in values")
        return self

    def located(self, base_dir: Path) -> McpServerDecl:
        return self.model_copy(update={"base_dir": str(base_dir.resolve())})

    def path(self, value: str) -> Path:
        """A path of the entry, resolved (links followed: the sandbox binds what they point at)."""
        return (Path(self.base_dir or ".") / value).resolve()

    def program(self) -> str:
        """``command[0]``: a bare name is looked up on the sandbox's PATH, anything with a slash is a path."""
        assert self.command is not None
        first = self.command[0]
        return str(self.path(first)) if "/" in first else first

    def fingerprint(self) -> str:
        """What identifies the server's tool list: every field that could change it."""
        data: dict[str, Any] = self.model_dump(mode="json")
        data["base_dir"] = self.base_dir
        for name in ("timeout_s", "refresh_s", "approval", "capabilities"):  # how tools are used, not which
            data.pop(name)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
