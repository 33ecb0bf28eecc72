"""Bad plan files are refused before anything starts, each with the file, the place and the limit named."""

from __future__ import annotations

import tracemalloc

import pytest

from orchestra.errors import PlanValidationError
from orchestra.limits import check_limits
from orchestra.plan import load_plan, parse_plan
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.tools.cleanup import with_support_tools
from orchestra.validation import prepare_plan
from tests.plan_files import ALIAS_BOMB, bad_files, plan_text, write

REGISTRY = default_registry()
with_support_tools(REGISTRY)


def refusal(path, settings: Settings) -> str:
    with pytest.raises(PlanValidationError) as err:
        plan = load_plan(path, settings=settings)
        check_limits(prepare_plan(plan, REGISTRY), settings)
    return "\n".join(err.value.problems)


@pytest.mark.parametrize("bad", bad_files(), ids=lambda b: b.name)
def test_each_bad_file_is_refused_with_a_message_that_names_what_is_wrong(bad, tmp_path):
    path = write(tmp_path, bad)
    message = refusal(path, Settings.from_env(dict(bad.env)))
    for fragment in bad.says:
        assert fragment in message, message


def test_the_alias_bomb_is_refused_without_building_the_expanded_document(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB.encode()) <= 420
    tracemalloc.start()
    with pytest.raises(PlanValidationError, match="expands to more than"):
        load_plan(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000, f"{peak:,} bytes at peak: the expanded tree was built"


def test_anchors_and_aliases_within_bounds_still_load(tmp_path):
    path = tmp_path / "shared.yaml"
    path.write_text(
        "name: shared\nnodes:\n"
        "  - {id: a, tool: sleep, args: {seconds: 0}, retry: &retry {max_attempts: 3}}\n"
        "  - {id: b, tool: sleep, args: {seconds: 0}, retry: *retry}\n"
    )
    prepared = prepare_plan(load_plan(path), REGISTRY)
    assert [n.retry.max_attempts for n in prepared.plan.nodes if n.retry] == [3, 3]


def test_yaml_values_are_typed_as_json_types_them_and_the_rest_stays_text_as_written(tmp_path):
    """YAML 1.1 (PyYAML's) read ``2024-01-01`` as a date, which reached the tool re-written as a string
    (``2024-01-01 10:00:00`` as ``2024-01-01T10:00:00``), ``12:30`` as 750, ``no`` as false, a key ``on``
    as true, ``017`` as 15 and ``1_000`` as 1000. Plans are read by YAML 1.2's core schema."""
    path = tmp_path / "values.yaml"
    path.write_text(
        "name: values\nnodes:\n  - id: a\n    tool: json_query\n    args:\n"
        "      expression: '@'\n      data: {day: 2024-01-01, at: 2024-01-01 10:00:00, zoned: 2001-12-14t21:59:43.10-05:00,"
        " time: 12:30, country: NO, yes: on, off: Off, octal: 017, sep: 1_000, hex: 0x1f, oct: 0o17, t: true, f: False,"
        " none: null, tilde: ~, half: 1.5, exp: 1e3, neg: -4, inf: .inf, text: 2024-01-01x}\n"
    )
    data = load_plan(path).nodes[0].args["data"]
    assert data == {
        "day": "2024-01-01", "at": "2024-01-01 10:00:00", "zoned": "2001-12-14t21:59:43.10-05:00", "time": "12:30",
        "country": "NO", "yes": "on", "off": "Off", "octal": 17, "sep": "1_000", "hex": 31, "oct": 15, "t": True,
        "f": False, "none": None, "tilde": None, "half": 1.5, "exp": 1000.0, "neg": -4, "inf": float("inf"),
        "text": "2024-01-01x",
    }  # fmt: skip


def test_a_utf8_byte_order_mark_is_accepted_and_offsets_count_it(tmp_path):
    good = tmp_path / "bom.yaml"
    good.write_bytes(b"\xef\xbb\xbf" + plan_text().encode())
    assert load_plan(good).name == "p"
    bad = tmp_path / "bom.json"
    bad.write_bytes(b'\xef\xbb\xbf{"name": }')
    with pytest.raises(PlanValidationError, match="byte offset 12"):
        load_plan(bad)


def test_a_huge_file_is_read_only_up_to_the_limit(tmp_path):
    # A sparse file of 64 GiB: the read itself is bounded (a /proc file reports size 0 and may grow).
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(64 << 30)
    with pytest.raises(PlanValidationError, match="larger than 1,000 bytes"):
        load_plan(huge, settings=Settings(storage_max_payload_bytes=1000))


def test_an_endless_device_is_refused_before_it_is_read():
    with pytest.raises(PlanValidationError, match=r"not a regular file \(a character device\)"):
        load_plan("/dev/zero", settings=Settings(storage_max_payload_bytes=1000))


def test_plans_just_within_the_limits_pass():
    nodes = [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(5000)]  # the plan
    nodes[0] = {
        **nodes[0],
        "id": "i" * (1000 - len(".compensate")),
        "compensation": {"tool": "delete_file", "args": {"path": "x"}},
    }
    plan = parse_plan({"name": "n" * 5000, "nodes": nodes})  # any name: the index holds it cut
    check_limits(prepare_plan(plan, REGISTRY), Settings())


def test_a_plan_written_out_reads_back_as_it_was(tmp_path):
    """`plan --out` wrote with YAML 1.1's rules, which leave ``1e3`` and ``0o17`` plain: read by YAML 1.2's
    core schema, those texts came back as numbers."""
    from orchestra.cli.planning import plan_file_text

    texts = ["1e3", "-1E5", "0o17", "0x1f", "yes", "on", "2024-01-01", "12:30", "1_000", "~", "null", "True", ""]
    plan = parse_plan({"name": "texts", "nodes": [
        {"id": "a", "tool": "json_query", "args": {"expression": "@", "data": {"texts": texts, "n": [1, 1.5, True, None]}}},
    ]})  # fmt: skip
    path = tmp_path / "out.yaml"
    path.write_text(plan_file_text(plan))
    assert load_plan(path).nodes[0].args == plan.nodes[0].args


@pytest.mark.parametrize(
    ("key", "kind", "where"),
    [("1", "a number", "line 5, column 29"), ("null", "null", "line 5, column 29"), ("true", "a boolean", "line 5, column 29"),
     ("[a]", "a list", "line 5, column 29"), ("? {a: 1}\n", "a mapping", "line 5, column 31")],
)  # fmt: skip
def test_a_mapping_key_that_is_not_text_is_refused_at_its_place(key, kind, where, tmp_path):
    """``1: x`` became the key ``'1'`` further on and ``null: x`` the key ``'None'``, silently."""
    path = tmp_path / "keys.yaml"
    path.write_text(f"name: keys\nnodes:\n  - id: a\n    tool: json_query\n    args: {{expression: '@', {key}: x}}\n")
    with pytest.raises(PlanValidationError) as err:
        load_plan(path)
    message = "\n".join(err.value.problems)
    assert f"a mapping key must be text, not {kind}" in message and where in message, message
    path.write_text(
        "name: keys\nnodes:\n  - id: a\n    tool: json_query\n    args: {expression: '@', data: {'1': x}}\n"
    )
    assert load_plan(path).nodes[0].args["data"] == {"1": "x"}, "a quoted key is text"


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("twice.yaml", "name: p\nnodes: []\nname: q\n", "the key 'name' is given twice in one mapping (first at line 1, column 1)"),
        ("args.yaml", "name: p\nnodes:\n  - {id: a, tool: sleep, args: {seconds: 0}, args: {seconds: 9}}\n", "line 3, column 46): the key 'args' is given twice"),
        ("twice.json", '{"name": "p", "nodes": [{"id": "a", "id": "b", "tool": "sleep"}]}', "the key 'id' is given twice in one object"),
    ],
)  # fmt: skip
def test_a_key_given_twice_is_refused_not_the_last_one_kept(name, text, says, tmp_path):
    """PyYAML and json kept the last of two equal keys, silently: a second ``args:`` replaced the first."""
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(PlanValidationError) as err:
        load_plan(path)
    assert says in "\n".join(err.value.problems), err.value.problems


def test_a_merge_key_may_still_be_overridden_by_the_mappings_own(tmp_path):
    path = tmp_path / "merged.yaml"
    path.write_text(
        "name: merged\nnodes:\n  - {id: a, tool: sleep, args: {seconds: 0}, retry: &r {max_attempts: 2}}\n"
        "  - {id: b, tool: sleep, args: {seconds: 0}, retry: {<<: *r, max_attempts: 5}}\n"
    )
    node = load_plan(path).nodes[1]
    assert node.retry is not None and node.retry.max_attempts == 5
