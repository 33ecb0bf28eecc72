"""The suite's slowest modules, which ./scripts/test's workers take first.

Under ``--dist loadscope`` a worker takes the next scope (a module, or a class of one) when it has nearly none
left, in the queue's order. xdist's default order is by number of tests, so a long scope of few tests came late
(the README's docs, the longest, after 300 scopes; test_unusable_columns' one test after 500) and ran on alone
while the other workers had finished. ./scripts/test keeps the collection's order (--no-loadscope-reorder),
with these modules first, slowest first: the longest work starts at once and the short scopes fill in at the end.

The order is the modules' total test time (the sum of each module's testcase times in a JUnit profile): the docs
first (the longest scope, timed in CI), then every other module named here timed on this machine at load 9-21, in
one pytest process with -n 2 or alone (ci263: tests/cli/test_bad_plan_files 169 s, test_secrets 118 s, down to
test_chain_ids_quoted 16 s; test_unusable_columns, 104 s in the earlier profile, measured 5 s and left the list).
ci272 made test_bad_plan_files' files once a process: 30 s in a -n 2 profile at load 12, below test_sandbox (51 s),
test_costly_schemas (84 s), test_control (72 s), test_chain (60 s), test_output (69 s), test_sizes (92 s) then.
ci284 cut test_secrets by some 42 s (its echoing-LLM cases waited out five attempts' back-off): about 76 s, after
test_output (83 s).
The order stays by wall time, not CPU: a scope that mostly waits (test_json_every_ending, 6 s of CPU) must start as
early as one that computes. ci293 measured CPU (tests/cpu_profile.py, ORCHESTRA_TEST_CPU=FILE) to find what to cut:
bench/test_cpu.txt ranks the modules. ci338 ran test_record_query_long_chain against a quarter of the record query's
bound (58 s -> 11 s, at load 17-25), which left second place for the end of the list.
ci386 timed the modules added since (tests/cpu_profile.py keeps each module's wall time beside its CPU; -n 0, load
18-25): test_dumps_of_words_and_widths, 187 tests in one scope, took 209 s (25 CPU s: 3,000 od/xxd/hexdump runs)
and, collected after ~600 other modules, could start last and run on alone; it comes second. The others of 11-38 s
(an endless activation's retries, the sandbox memory weighings, a killed worker, a server's exit mid-call) mostly
wait: they go with the modules of their wall time.
ci418 cut waits on the server's default 10 s task timeout: test_endless_activation_bounded (38 s -> about 19 s)
comes later; test_slow_activation_shutdown (12 s -> 6 s) left the list. Its -n 2 durations (a directory at a time, load
10-20) found four modules missing, placed by their tests' sum: test_stack (66 s, one test), test_list_of_chains (60 s),
test_up_refuses_strangers_on_its_ports (57 s) beside test_compensation_chain (58 s then), test_undo_budget_handover_waits
(36 s of its budget's timers) after test_compensation_at_deadline (29 s).
A module left off or renamed only runs in collection order, as the rest do;
tests/test_slowest_first.py says when a module named here no longer exists."""

from __future__ import annotations

import pytest

SLOWEST_MODULES = (
    "tests/docs/test_docs.py",
    "tests/security/test_dumps_of_words_and_widths.py",
    "tests/cli/test_json_every_ending.py",
    "tests/workflows/test_plan_by_reference.py",
    "tests/mcp/test_unreadable.py",
    "tests/cli/test_output.py",
    "tests/security/test_secrets.py",
    "tests/cli/test_stack.py",
    "tests/workflows/test_compensation_chain.py",
    "tests/cli/test_list_of_chains.py",
    "tests/cli/test_up_refuses_strangers_on_its_ports.py",
    "tests/storage/test_sizes.py",
    "tests/workflows/test_handover_in_pieces.py",
    "tests/workflows/test_chain.py",
    "tests/mcp/test_runs.py",
    "tests/agent/test_resend.py",
    "tests/workflows/test_compensation_at_deadline.py",
    "tests/workflows/test_undo_budget_handover_waits.py",
    "tests/workflows/test_compensation_gaps.py",
    "tests/mcp/test_abandoned.py",
    "tests/mcp/test_servers.py",
    "tests/cli/test_run.py",
    "tests/cli/test_agent_runs.py",
    "tests/workflows/test_undone_in_pieces.py",
    "tests/workflows/test_undo_gaps_unfinished.py",
    "tests/workflows/test_record_bound_finished.py",
    "tests/workflows/test_worker_killed_mid_run.py",
    "tests/ops/test_failed_call_history.py",
    "tests/cli/test_bad_id_costs_only_itself.py",
    "tests/workflows/test_signal_flood_full_size.py",
    "tests/workflows/test_flood_while_handing_over.py",
    "tests/security/test_sandbox_memory_weighed_truly.py",
    "tests/workflows/test_control.py",
    "tests/security/test_sandbox.py",
    "tests/mcp/test_costly_schemas.py",
    "tests/cli/test_bad_plan_files.py",
    "tests/cli/test_list_query_status.py",
    "tests/workflows/test_compensation_handover.py",
    "tests/workflows/test_wide_plan_first_task.py",
    "tests/cli/test_runs_ended_from_outside.py",
    "tests/cli/test_list_query_shape.py",
    "tests/workflows/test_undo_gaps_lost_store.py",
    "tests/workflows/test_record_query_long_chain.py",
    "tests/cli/test_chain_ids_quoted.py",
    "tests/security/test_dumps_of_decimal_bytes_few_a_line.py",
    "tests/cli/test_killed_worker_said_gone.py",
    "tests/workflows/test_endless_activation_bounded.py",
    "tests/mcp/test_server_exit_mid_call.py",
)


def slowest_first(items: list[pytest.Item]) -> None:
    """``items`` with those of SLOWEST_MODULES first, in its order, each module's tests kept together and in
    their own order (a module's fixtures are set up once), then every other test in collection order."""
    rank = {module: place for place, module in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
