"""Bad plan files, one per class the loader and the limits refuse, each with what its message must say."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SLEEP = {"tool": "sleep", "args": {"seconds": 0}}
# The billion-laughs bomb: nine levels of nine aliases, 9**9 strings once expanded, under 420 bytes.
ALIAS_BOMB = (
    "".join(
        f"{name}: &{name} [{','.join([f'*{prev}'] * 9) if prev else ','.join(['lol'] * 9)}]\n"
        for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
    )
    + "name: bomb\nnodes: [{id: a, tool: sleep, args: {seconds: 0}}]\n"
)


def yaml_text(document: Any) -> str:
    """``document`` as YAML, written by libyaml: PyYAML's own writer took 2 s for these files (9,000 steps, a
    1.1 MB text), paid by every test that named one."""
    return yaml.dump(document, Dumper=yaml.CSafeDumper)


def plan_text(**fields: object) -> str:
    return yaml_text({"name": "p", "nodes": [{"id": "a", **SLEEP}], **fields})


@dataclass(frozen=True)
class BadFile:
    name: str  # the file's name: its suffix chooses JSON or YAML
    # Its bytes, or for a large one the function that makes them: listed at collection by every xdist worker
    # (parametrized by name), made only by a test that writes it (the 9,000 steps took 0.34 CPU s to write).
    made: bytes | Callable[[], bytes]
    says: tuple[str, ...]  # what the message must contain (besides the file's path)
    env: tuple[tuple[str, str], ...] = ()  # settings the case runs with

    @property
    def content(self) -> bytes:
        return self.made() if callable(self.made) else self.made


@cache
def many_steps() -> bytes:
    return yaml_text({"name": "many", "nodes": [{"id": f"n{i}", **SLEEP} for i in range(9000)]}).encode()


@cache
def doubled_argument() -> bytes:
    """Two aliases of one 1.4 MB string of 700,000 characters: a file, and a text, within the limit whose node's
    arguments are not (2.8 MB of UTF-8)."""
    doubled = 'name: p\nnodes:\n- {id: big, tool: json_query, args: {expression: "length(@)", data: [&b "'
    return (doubled + "\u00e9" * 700_000 + '", *b]}}\n').encode()


@cache
def large_input() -> bytes:
    return plan_text(inputs={"blob": "x" * 1_100_000}).encode()


@cache
def bad_files() -> tuple[BadFile, ...]:
    """Made once a process: each parametrized module, and each test looking one up by name, reads these."""
    return (
        BadFile(
            "latin1.yaml", "name: café\nnodes: []\n".encode("latin-1"), ("not UTF-8", "byte 0xE9", "byte offset 9")
        ),
        BadFile("utf16.yaml", plan_text().encode("utf-16"), ("UTF-16", "byte offset 0", "UTF-8")),
        BadFile("utf16.json", json.dumps({"name": "p"}).encode("utf-16-be"), ("binary data", "NUL", "byte offset 0")),
        BadFile("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("binary data", "NUL byte", "byte offset 8")),
        BadFile("control.yaml", b"name: p\x01\nnodes: []\n", ("control character 0x01", "byte offset 7")),
        BadFile(
            "deep.json",
            (
                '{"name": "d", "nodes": [{"id": "a", "tool": "sleep", "args": {"x": ' + "[" * 5000 + "]" * 5000 + "}}]}"
            ).encode(),
            ("nesting deeper than 64", "byte offset"),
        ),
        BadFile("deep.yaml", ("name: d\nx: " + "[" * 5000 + "]" * 5000 + "\n").encode(), ("nesting deeper than 64",)),
        BadFile(
            "deep-block.yaml",
            "".join(f"{' ' * 2 * i}k{i}:\n" for i in range(100)).encode(),
            ("nesting deeper than 64", "line 65"),
        ),
        # A condition's brackets, nested past what Python's parser takes: the message said "longer than
        # 1000 characters" (3,000 levels) or quoted 600 parentheses before the reason (300 levels).
        *(
            BadFile(
                f"deep-condition-{levels}.yaml",
                plan_text(nodes=[{"id": "a", **SLEEP, "condition": "(" * levels + "1 == 1" + ")" * levels}]).encode(),
                (f"nested {levels:,} brackets deep", "at most 200"),
            )
            for levels in (300, 3000)
        ),
        BadFile("bomb.yaml", ALIAS_BOMB.encode(), ("expands to more than 2,000,000 values", "aliases", "byte offset")),
        BadFile("cycle.yaml", b"name: p\nnodes: &n [{id: a, tool: sleep, args: {x: *n}}]\n", ("cycle", "*n")),
        BadFile(
            "broken.json", b'{"name": "\xc3\xa9", "nodes": [,]}', ("not valid JSON", "byte offset 25", "column 26")
        ),
        BadFile("broken.yaml", b"nodes: [unclosed\n", ("not valid YAML", "line 2")),
        BadFile(
            "large.yaml",
            large_input,
            ("larger than 1,000,000 bytes", "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES"),
            (("ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES", "1000000"),),
        ),
        BadFile(
            "large-args.yaml",
            doubled_argument,
            ("node 'big': its arguments are", "Temporal's payload limit"),
            (("ORCHESTRA_STORAGE", "off"),),
        ),
        BadFile(
            "long-id.yaml",
            yaml_text({"nodes": [{"id": "i" * 1200, **SLEEP}]}).encode(),
            ("1,200 characters", "limit.maxIDLength"),
        ),
        BadFile(
            "many-steps.yaml",
            many_steps,
            ("9,000 steps", "its record would be about", "ORCHESTRA_STORAGE=off", "Temporal's payload limit"),
            (("ORCHESTRA_STORAGE", "off"),),
        ),
        BadFile(
            "alternative.yaml",
            yaml_text({"nodes": [{"id": "a", **SLEEP, "alternatives": [{"tool": "slep", "args": {}}]}]}).encode(),
            ("node 'a' alternative #1", "unknown tool 'slep'"),
        ),
        BadFile(
            "alternative-args.yaml",
            yaml_text(
                {"nodes": [{"id": "a", **SLEEP, "alternatives": [{"tool": "sleep", "args": {"seconds": "soon"}}]}]}
            ).encode(),
            ("alternative #1", "argument seconds"),
        ),
        BadFile(
            "compensation.yaml",
            yaml_text(
                {"nodes": [{"id": "a", **SLEEP, "compensation": {"tool": "delete_fiel", "args": {"path": "x"}}}]}
            ).encode(),
            ("node 'a' compensation", "unknown tool 'delete_fiel'", "did you mean 'delete_file'"),
        ),
        BadFile(
            "compensation-ref.yaml",
            yaml_text(
                {
                    "nodes": [
                        {
                            "id": "a",
                            **SLEEP,
                            "compensation": {"tool": "delete_file", "args": {"path": "${ghost.output.path}"}},
                        }
                    ]
                }
            ).encode(),
            ("node 'a' compensation", "unknown node 'ghost'"),
        ),
        BadFile(  # each would fail in workflow code (a timedelta, an int32) and its task would retry forever
            "durations.yaml",
            (
                b"name: p\ntimeout_s: 1e300\nnodes:\n"
                b"- {id: a, tool: sleep, args: {seconds: 0}, timeout_s: .inf, heartbeat_timeout_s: .nan,\n"
                b"   retry: {max_attempts: 1000000000000000000000000000000, backoff: 1e300, initial_interval_s: 4e9}}\n"
            ),
            (
                "field 'timeout_s': Input should be less than or equal to 3153600000",
                "node 'a' field 'timeout_s': Input should be a finite number",
                "node 'a' field 'heartbeat_timeout_s': Input should be a finite number",
                "node 'a' field 'retry.max_attempts': Input should be less than or equal to 2147483647",
                "node 'a' field 'retry.backoff'",
                "node 'a' field 'retry.initial_interval_s'",
            ),
        ),
        BadFile(  # a timedelta rounds them to zero: no timeout at all, and the step failed after the plan was accepted
            "too-short.yaml",
            b"name: p\nnodes:\n- {id: a, tool: sleep, args: {seconds: 0}, timeout_s: 1e-7, retry: {initial_interval_s: 4e-7}}\n",
            (
                "node 'a' field 'timeout_s': Input should be greater than or equal to 0.000001",
                "node 'a' field 'retry.initial_interval_s': Input should be greater than or equal to 0.000001",
            ),
        ),
        BadFile(  # JSON would carry it as null: the tool would get another value than the plan says
            "not-a-number.yaml",
            b"name: p\nnodes:\n- {id: a, tool: write_file, args: {path: x, json: {n: [1, .nan]}}}\n",
            ("node 'a': argument json.n[1]: nan is not a number JSON can carry",),
        ),
        BadFile(  # not UTF-8: no JSON string can carry it, and starting the run raised in the client
            "binary.yaml",
            b"name: p\nnodes:\n- {id: a, tool: write_file, args: {path: x, json: {b: !!binary /w==}}}\n",
            ("node 'a': argument json.b: binary data (YAML !!binary) is not a JSON value",),
        ),
        BadFile(  # the safe loader's other tags: the tool got a list in any order, a date re-written
            "set.yaml",
            b"name: p\nnodes:\n- {id: a, tool: write_file, args: {path: x, json: {s: !!set {x, y}}}}\n",
            ("node 'a': argument json.s: a set (YAML !!set) is not a JSON value; give it as a list",),
        ),
        BadFile(
            "timestamp.yaml",
            b"name: p\ninputs: {when: !!timestamp 2024-01-01 10:00:00}\nnodes:\n- {id: a, tool: sleep, args: {seconds: 0}}\n",
            ("the plan's inputs: when: a datetime (YAML !!timestamp) is not a JSON value; give it as text",),
        ),
        BadFile(  # more digits than Python reads as an int: the loader raised ValueError, a traceback
            "long-number.yaml",
            b"name: p\nnodes:\n- {id: a, tool: sleep, args: {seconds: " + b"7" * 5000 + b"}}\n",
            ("a number of 5,000 digits: numbers are read up to 4,300 digits", "line 3, column 40", "quote it"),
        ),
        BadFile(  # read (hex has no digit limit), then no JSON could be written with it: a traceback
            "long-hex.yaml",
            b"name: p\nnodes:\n- {id: a, tool: json_query, args: {expression: x, data: {n: 0x" + b"f" * 5000 + b"}}}\n",
            ("node 'a': argument data.n: a number of 6,021 digits; Python writes at most 4,300",),
        ),
        BadFile(
            "long-number.json",
            b'{"name": "p", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": -' + b"7" * 5000 + b"}}]}",
            ("a number of 5,000 digits: numbers are read up to 4,300 digits", "line 1, column 75", "quote it"),
        ),
        BadFile(
            "inputs-not-a-number.json",
            b'{"name": "p", "inputs": {"n": 1e999}, "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}',
            ("the plan's inputs: n: inf is not a number JSON can carry",),
        ),
        BadFile(  # half a surrogate pair: JSON's \\u escape reads it, but no UTF-8 can carry it (the client raised)
            "lone-surrogate.json",
            (
                b'{"name": "p\\udc00", "tool_concurrency": {"\\udc00": 1}, "inputs": {"k\\ud800": 1},'
                b' "nodes": [{"id": "a", "tool": "write_file", "description": "\\ud800", "args": {"path": "x", "content": "a\\udfffb"}}]}'
            ),
            (
                "node 'a': argument content: a string with half a surrogate pair (\\udfff)",
                "the plan's inputs: k\\ud800: a key with half a surrogate pair (\\ud800)",
                "field 'name': a string with half a surrogate pair (\\udc00)",
                "node 'a' field 'description': a string with half a surrogate pair (\\ud800)",
                "field 'tool_concurrency': \\udc00: a key with half a surrogate pair",
            ),
        ),
    )


def write(directory: Path, bad: BadFile) -> Path:
    path = directory / bad.name
    path.write_bytes(bad.content)
    return path
