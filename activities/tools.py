"""Tool execution and plan preparation activities.

One generic ``run_tool`` activity serves every tool: the worker's registry maps the name to code, the
activity summary (set by the workflow) names node and tool in the UI.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import structlog
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError, to_json, to_jsonable_python
from temporalio import activity
from temporalio.converter import DataConverter, StorageDriverWorkflowInfo, WorkflowSerializationContext
from temporalio.exceptions import ApplicationError, TemporalError

from activities.health import HealthReporter, outcome_now
from orchestra import plan_chain, slot_waits
from orchestra.argument_validators import set_size
from orchestra.calls import ToolCall, ToolResult
from orchestra.confinement import Confinement
from orchestra.errors import ErrorKind, PlanValidationError, ToolError, ToolValidationError
from orchestra.interruptible import run_interruptibly
from orchestra.limits import id_problems
from orchestra.payload_bytes import payload_data
from orchestra.plan import Plan, PlanNode
from orchestra.plan_chain import StoredPlan
from orchestra.record import preview
from orchestra.references import MAX_DEPTH, ReferenceError_, depth_over, resolve, whole_characters
from orchestra.registry import ToolRegistry, UnknownToolError
from orchestra.resolved_args import ResolvedBytes, ResolvedTooLarge, max_resolved_args_bytes, refuse_stored_over
from orchestra.schedule_pieces import PiecedSchedule, cut, head_of
from orchestra.secret_references import misplaced_secrets, uses_secret
from orchestra.secret_settings import secret_settings
from orchestra.secrets import (
    Masker,
    longest_form,
    mask_secrets,
    resolve_secrets,
    settings_longest_form,
    settings_masker,
)
from orchestra.storage.stored import StoredValue
from orchestra.storage.values import load_value, payload_of, store_payload, store_value, threshold
from orchestra.stored_room import piece_bytes, value_room
from orchestra.telemetry import metrics, redaction
from orchestra.temporal_bounds import problems_of
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools import offload
from orchestra.validation import PlanSchedule, prepare_plan

HEARTBEAT_EVERY_S = 1.0
LOGGED_ERROR_CHARS = 500
# Of a tool's error, what the history keeps: a server's error of megabytes went whole into the failure, past
# what a history event may hold (Temporal's 2 MiB blob limit), the step's failure itself refused.
KEPT_ERROR_CHARS = 1 << 16
log = structlog.get_logger("orchestra.tools")


class ToolActivities:
    def __init__(
        self,
        registry: ToolRegistry,
        confinement: Confinement,
        health: HealthReporter | None = None,
        converter: DataConverter | None = None,
        largest_value: tuple[int, str] | None = None,
    ) -> None:
        self.registry = registry
        # The largest single value a run can carry, and the limit's name: runs check what they send against it.
        self.largest_value = largest_value or (0, "")
        self.confinement = confinement
        # The children that do in-process tools' CPU work start while the worker starts.
        self._warming = offload.warm_in_background(confinement.local_limits)
        # Every call's outcome feeds the shared history (batched, off the step's critical path).
        self.health = health
        # The client's converter: large outputs are stored through its codec and storage driver.
        self.converter = converter
        # The most a call's arguments may grow to once their references to stored outputs are resolved here.
        self.max_resolved_args = max_resolved_args_bytes()

    @activity.defn(name="prepare_plan")
    async def prepare_plan(self, plan: Plan) -> PlanSchedule:
        """The plan validated; the workflow has the plan, so only what validation adds goes back."""
        try:
            # MCP servers' tool lists: refreshed when due, or when the plan names a tool they lacked.
            await self.registry.refresh(tool for node in plan.nodes for tool in _tools_of(node))
            problems = id_problems(plan)
            if problems:
                raise PlanValidationError(problems)
            # In a thread: every node's arguments are checked against its tool's schema, an MCP server's
            # among them, each check up to its budget (orchestra/mcp/schemas.py): the event loop serves
            # every other activity of the worker meanwhile.
            schedule = await asyncio.to_thread(lambda: prepare_plan(plan, self.registry).schedule())
        except PlanValidationError as exc:  # a problem may quote a server's schema, and it the worker's settings
            message, problems = await asyncio.to_thread(settings_masker().value, [str(exc), exc.problems])
            raise ApplicationError(message, problems, type=ErrorKind.VALIDATION, non_retryable=True) from None
        except TemporalError:
            raise
        except Exception as exc:
            # A tool built on its first use (an MCP server's schema read) failing with the worker's codec key in its
            # message: left as it was, Temporal sent it, its type and its traceback into the history unmasked.
            message = (await _masked_error(_described(exc), []))[0]
            raise _application_error(ErrorKind.SYSTEM, message, activity.info().attempt, retryable=True) from None
        schedule.value_limit, schedule.value_limit_name = self.largest_value
        # Recorded with the run: its replays cut as it did, whatever these are then.
        schedule.piece_steps, schedule.piece_bytes = plan_chain.PLAN_PIECE_STEPS, plan_chain.PLAN_PIECE_BYTES
        return schedule

    @activity.defn(name="prepare_stored_plan")
    async def prepare_stored_plan(self, stored: StoredPlan) -> PlanSchedule:
        """``prepare_plan`` of a plan its starter stored by reference, read here: the workflow sends its references."""
        if self.converter is None:
            raise ApplicationError("this worker has no data converter to read stored values with", non_retryable=True)
        nodes = list(stored.first)
        for ref in stored.pieces:
            nodes += await _read_stored_value(self.converter, ref)
        try:  # read back by the workflow already: a piece changed since fails here
            plan = await asyncio.to_thread(Plan.model_validate, {**stored.plan, "nodes": nodes})
        except ValidationError as exc:
            raise ApplicationError(problems_of(exc), type=ErrorKind.VALIDATION, non_retryable=True) from None
        return await self.prepare_plan(plan)

    @activity.defn(name="prepare_stored_plan_in_pieces")
    async def prepare_stored_plan_in_pieces(self, stored: StoredPlan) -> PiecedSchedule:
        """``prepare_stored_plan``, its schedule's steps' share stored in pieces of the plan's piece size, each within
        this worker's storage limit (a piece of 1 MB was refused by a store of less, the run's validation failing),
        read back by the workflow one an activation (orchestra/schedule_pieces.py); whole when nothing is stored
        outside the history."""
        schedule = await self.prepare_stored_plan(stored)
        if self.converter is None or threshold(self.converter) is None:
            return PiecedSchedule(head=schedule)
        info = activity.info()
        owner = StorageDriverWorkflowInfo(
            namespace=info.namespace, id=info.workflow_id, run_id=info.workflow_run_id, type=info.workflow_type
        )
        size = piece_bytes(schedule.piece_bytes, value_room(*self.largest_value))
        pieces = await asyncio.to_thread(
            lambda: [p.model_dump(mode="json") for p in cut(schedule, schedule.piece_steps, size)]
        )
        refs = [await store_value(self.converter, piece, owner) for piece in pieces]
        return PiecedSchedule(head=head_of(schedule), pieces=refs)

    @activity.defn(name="run_tool")
    async def run_tool(self, call: ToolCall) -> ToolResult:
        # The plan's values it remembers are kept by the log masker until the call's last log line.
        with structlog.contextvars.bound_contextvars(node=call.node_id, tool=call.tool), redaction.in_use():
            # It beats from the first await to the last: reading stored inputs, building the spec, walking and
            # storing the output are in threads or I/O and may take seconds, longer than a heartbeat timeout
            # (5 s by default); a step that stops beating is retried, its tool run again.
            beating = asyncio.create_task(heartbeat_forever(slot_waits.beat))
            secrets: list[str] = []  # resolved in the call only; masked in everything that goes back to the history
            try:
                return await self._run_tool(call, secrets)
            except TemporalError:
                raise
            except Exception as exc:
                # Past the tool's own run (its output walked, stored, previewed) an error left as Temporal
                # would send it carried its message, its type and its cause chain into the history unmasked.
                message = (await _masked_error(_described(exc), secrets))[0]
                raise _application_error(ErrorKind.SYSTEM, message, activity.info().attempt, retryable=True) from None
            finally:
                beating.cancel()

    async def _run_tool(self, call: ToolCall, secrets: list[str]) -> ToolResult:
        info = activity.info()
        started = datetime.now(UTC)
        try:
            call, args_bytes = await self._read_stored(call)
        # Failures before the tool runs quote what the worker read (a stored output, a reference's path): masked
        # as a tool's own failure is, the worker's secret settings too (they went out as ``str(exc)``).
        except ResolvedTooLarge as exc:
            message = (await _masked_error(f"{call.node_id}: {_said(exc)}", secrets))[0]
            raise _application_error(
                ErrorKind.VALIDATION, message, info.attempt, retryable=False, code="arguments_too_large"
            ) from None
        except ReferenceError_ as exc:
            message = (await _masked_error(f"{call.node_id}: {_said(exc)}", secrets))[0]
            raise _application_error(ErrorKind.VALIDATION, message, info.attempt, retryable=False) from None
        try:
            if call.tool not in self.registry:
                await self.registry.refresh([call.tool])  # an MCP server's tool listed since this worker started
            tool = self.registry.get(call.tool)
            # One hop to a thread, not one per part: the default executor's few threads are shared by
            # every activity of the worker, and each hop waits its turn for one.
            _spec, _resolved, resolved_secrets, args, masker = await asyncio.to_thread(
                self._arguments, call, tool, args_bytes
            )
            secrets += resolved_secrets
        except ToolError as exc:  # a secret the worker does not have, arguments that break the schema
            message, code = (await _masked_error(_said(exc), secrets))[0], await _masked_code(exc.code, secrets)
            raise _application_error(exc.kind, message, info.attempt, retryable=False, code=code) from None
        except ResolvedTooLarge as exc:  # the secrets it names, written in
            message = (await _masked_error(f"{call.node_id}: {_said(exc)}", secrets))[0]
            raise _application_error(
                ErrorKind.VALIDATION, message, info.attempt, retryable=False, code="arguments_too_large"
            ) from None
        except UnknownToolError as exc:
            message = (await _masked_error(f"{call.node_id}: {_said(exc)}", secrets))[0]
            raise _application_error(ErrorKind.VALIDATION, message, info.attempt, retryable=False) from None
        # Never the arguments themselves: their names and size only (values may be secrets or personal data); the
        # size as it was measured already, never by writing them out again (for the log: seconds, for millions of
        # references to a large output).
        log.info("tool started", arg_keys=sorted(call.args), args_bytes=args_bytes)
        settings = secret_settings()
        context = ToolContext(
            confinement=self.confinement,
            heartbeat=_no_heartbeat if info.is_local else slot_waits.beat,
            # What a tool cuts short (a server's body, a process's stderr) is masked past the cut as far as the
            # call's secrets and the worker's secret settings reach: a codec key cut in two kept its start unmasked.
            secret_margin=max(longest_form(secrets), settings_longest_form() if settings else 0, 1) - 1,
            mask=masker.text if not settings else partial(_both, masker, settings_masker()),
            undo_reads=frozenset(call.undo_reads),
            sends=call.sends,
        )
        error_type: str | None = "cancelled"
        quoted = ""
        kind = ErrorKind.SYSTEM  # until the tool's own code runs: building it (an MCP tool's model) is the worker's
        try:
            run = tool.run
            kind = ErrorKind.TOOL_ERROR  # raised in the tool's own code: a gap said "their worker or the system failed"
            output = await run(args, context)
            error_type = None
        except ToolError as exc:
            # Its code too: a tool's own, it goes to the metrics' labels, the health history and the failure.
            code = await _masked_code(exc.code, secrets, masker)
            error_type, (error_message, quoted) = (
                code or str(exc.kind),
                await _masked_error(_said(exc), secrets, masker),
            )
            raise _application_error(
                exc.kind, error_message, info.attempt, retryable=exc.retryable, code=code, wait_s=exc.retry_after_s
            ) from None
        except TimeoutError as exc:
            error_type, (error_message, quoted) = "timeout", await _masked_error(_said(exc), secrets, masker)
            raise _application_error(
                ErrorKind.TIMEOUT, f"{call.tool} timed out: {error_message}", info.attempt, retryable=True
            ) from None
        except Exception as exc:
            # Re-raised as our own error so the message (which may quote an argument) is masked and no
            # exception chain carries the original text into the history.
            # Its type's name too: a class made at run time may be named after anything, and the name goes
            # to the metrics' labels and the tool health workflow's history (masked there too, it was not).
            # By the call's masker (a new one, on the event loop, compiled the patterns again once the worker's
            # cache of them had let these go: 0.64 s of CPU for a key of 168 characters, every heartbeat held), and
            # the worker's secret settings': a class named after its codec key went to the labels in clear.
            error_type = await _masked_code(type(exc).__name__, secrets, masker)
            error_message, quoted = await _masked_error(_described(exc), secrets, masker)
            raise _application_error(kind, error_message, info.attempt, retryable=True) from None
        finally:
            if self.health is not None and error_type != "cancelled":
                self.health.add(outcome_now(call.tool, error_type is None, started, error_type))
            elapsed = datetime.now(UTC) - started
            metrics.record_tool_call(call.tool, elapsed, error_type)
            if error_type is not None:
                log.warning("tool failed", error_type=error_type, error=quoted, ms=_ms(elapsed))
        # Interruptible: a step cancelled meanwhile stops walking its output (orchestra/interruptible.py).
        dumped, dumped_bytes, too_deep = await run_interruptibly(_output_value, output, secrets)
        if too_deep:
            # The workflow could not read it back (Temporal's converter stops at ~200 levels): fail the step here.
            message = f"{call.tool} returned a value nested deeper than {MAX_DEPTH} levels"
            raise _application_error(
                ErrorKind.TOOL_ERROR, message, info.attempt, retryable=False, code="output_too_deep"
            )
        ended = datetime.now(UTC)
        log.info("tool finished", ms=_ms(ended - started), output_bytes=dumped_bytes)
        stored = await self._store_if_large(dumped, info)
        shown, size, _ = (
            await run_interruptibly(preview, dumped, call.preview_bytes) if stored is not None else (None, 0, False)
        )
        return ToolResult(
            output=None if stored is not None else dumped,
            output_ref=stored,
            preview=shown,
            output_bytes=size,
            attempt=info.attempt,
            started_at=started,
            ended_at=ended,
            waited_s=slot_waits.waited_so_far(),
            tokens=_tokens_in(dumped),
        )

    async def _store_if_large(self, output: Any, info: activity.Info) -> StoredValue | None:
        """A large output is stored on its own: identical outputs of a fan-out are then one stored object,
        and the record can point at it. The workflow reads it back with ``load_value``."""
        limit = threshold(self.converter) if self.converter is not None else None
        if self.converter is None or limit is None:
            return None
        payload = await run_interruptibly(payload_of, self.converter, output)  # made once: measured, then stored
        if payload.ByteSize() < limit:
            return None
        owner = StorageDriverWorkflowInfo(
            namespace=info.namespace, id=info.workflow_id, run_id=info.workflow_run_id, type=info.workflow_type
        )
        return await store_payload(self.converter, payload, owner)

    async def _read_stored(self, call: ToolCall) -> tuple[ToolCall, int]:
        """A plan step whose arguments read outputs stored outside the history comes with its references
        unresolved (workflows/tool_calls.sendable_call): resolved here, with those outputs read back, and held
        to the worker's bound (orchestra/resolved_args.py). The call, and about the bytes of its arguments."""
        sent = await asyncio.to_thread(
            lambda: len(payload_data(call.args))
        )  # within the value limit: the workflow's check
        if not call.stored:
            return call, sent
        if self.converter is None:
            raise ReferenceError_("this worker has no data converter to read stored outputs with")
        limit = self.max_resolved_args
        await asyncio.to_thread(refuse_stored_over, call.args, call.stored, limit, sent)
        scope = dict(call.scope or {})
        for node, ref in call.stored.items():
            scope[node] = {**scope.get(node, {}), "output": await _read_stored_value(self.converter, ref)}
        measured = ResolvedBytes(limit, sent)
        # In a thread: up to the bound, resolving writes outputs into strings and measures them (seconds).
        args = await asyncio.to_thread(resolve, call.args, scope, measured.add)
        return call.model_copy(update={"args": args, "scope": None, "stored": {}}), measured.total

    @activity.defn(name="forget_replaced")
    async def forget_replaced(self, undone: bool = False) -> None:
        """The copies this chain's writes kept for their undos go: the run has ended
        (orchestra/tools/replaced_forget.py); once its undos have run, those no undo put back stay (``undone``: false
        in histories before it)."""
        from orchestra.tools.replaced_forget import chain_runs, forget_run

        if workflow_id := activity.info().workflow_id:
            chain = await chain_runs()  # another run's copies (a run of the id terminated: no undo ran) stay
            await asyncio.to_thread(forget_run, self.confinement.files, workflow_id, undone=undone, chain=chain)

    @activity.defn(name="value_limit")
    async def value_limit(self) -> tuple[int, str]:
        """The largest single value this worker's runs can store, and that limit's name: a chain's runs may be on
        workers started with other limits since its first validated the plan (workflows/value_sizes.py)."""
        return self.largest_value

    @activity.defn(name="load_value")
    async def load_value(self, stored: StoredValue) -> Any:
        if self.converter is None:
            raise ApplicationError("this worker has no data converter to read stored values with", non_retryable=True)
        return await _read_stored_value(self.converter, stored)

    def _arguments(
        self, call: ToolCall, tool: Tool, args_bytes: int
    ) -> tuple[ToolSpec, dict[str, Any], list[str], BaseModel, Masker]:
        """The tool's spec, the call's arguments with their secrets, the secrets, the arguments checked, and the
        masker of the secrets (``args_bytes``: the arguments' size so far, for the bound with the secrets). CPU work, in a thread: a tool's spec is built on its first
        use (an MCP tool's arguments model is its JSON Schema read and a pydantic model made: 0.65 s for 2,000
        properties), the check may be long, arguments may hold earlier steps' outputs read back (megabytes to
        measure), and a secret's first masker compiles the pattern of its every form (0.65 s of CPU for a model
        provider's key of 168 characters: on the event loop, with the machine loaded, every activity of the worker
        missed its heartbeats, this call's too, and it failed as timed out)."""
        spec = tool.spec
        resolved, secrets = self._resolve_secrets(call, spec, args_bytes)
        try:
            checked = spec.input_model.model_validate(resolved)
        except ValidationError as exc:
            # Where and why, never the value: pydantic's own text quotes it (input_value=...).
            raise ToolValidationError(
                mask_secrets(f"{call.node_id}: {problems_of(exc, partial(set_size, spec.input_model))}", secrets)
            ) from None
        # Here, before anything is logged of the call: remembering adds to the log masker's automata or
        # rebuilds them (12-75 ms), which on the event loop held every activity's heartbeat meanwhile.
        redaction.remember(*secrets)
        _remember_secrets(spec, resolved)
        # Both maskers of the call's context compiled here, whole: a tool masks with it on the event loop (what it
        # quotes of a text it cut: ``ToolContext.quote_start``), where a pattern compiled at its first find (about half a
        # second of CPU a key) held every activity's heartbeat. The settings' own compiling thread may not have reached
        # a setting yet; after it, this finds each cached.
        if secret_settings():
            settings_masker().compile_all()
        return spec, resolved, secrets, checked, Masker(secrets, compiled=True)

    def _resolve_secrets(self, call: ToolCall, spec: ToolSpec, args_bytes: int) -> tuple[dict[str, Any], list[str]]:
        if not any(uses_secret(v) for v in call.args.values()):
            return call.args, []
        if not call.allow_secrets:
            raise ToolValidationError(
                f"{call.node_id}: this call may not use secrets (only the steps of a plan given as a plan may, or of "
                "a task's plan started with --allow-secrets; never an agent's calls)",
                code="secrets_not_allowed",
            )
        misplaced = misplaced_secrets(call.args, spec.secrets_in())
        if misplaced:
            where = ", ".join(spec.secrets_in()) or "none of its arguments"
            raise ToolValidationError(
                f"{call.node_id}: secrets are not allowed in {', '.join(misplaced)}; {spec.name} takes them in {where}"
            )
        if spec.secrets_placed is not None and (problem := spec.secrets_placed(call.args)):
            raise ToolValidationError(f"{call.node_id}: {problem}")
        resolved: dict[str, Any] = dict(call.args)
        used: list[str] = []
        for name in spec.secrets_in():
            if name in resolved:
                placed = _url_encoded if name in spec.secrets_in_url else str
                resolved[name], found = resolve_secrets(resolved[name], placed=placed)
                used += found
        # Held to the bound of resolved arguments too: a plan's millions of namings of one secret each write it out.
        grown = args_bytes + sum(map(len, used))
        if grown > self.max_resolved_args:
            raise ResolvedTooLarge(grown, self.max_resolved_args, "with the secrets it names written in")
        # Each secret once, however often the arguments name it: every one is measured in every form for the masks
        # (longest_form: 1.4 ms each), and a header naming one secret 10,000 times held the worker's event loop 14 s.
        return resolved, list(dict.fromkeys(used))


def _url_encoded(secret: str) -> str:
    return urllib.parse.quote(secret, safe="")


def _tools_of(node: PlanNode) -> list[str]:
    return [node.tool, *(a.tool for a in node.alternatives), *([node.compensation.tool] if node.compensation else [])]


def _no_heartbeat(*_details: Any) -> None:
    pass


def _remember_secrets(spec: ToolSpec, args: dict[str, Any]) -> None:
    """Values of the tool's secret arguments are masked in every log line from now on, as written: the
    plan chose them (the worker's secrets in them are remembered in every form on their own)."""
    secrets = [args[name] for name in spec.secret_args if args.get(name)]
    if secrets:
        redaction.remember(*secrets, every_form=False)


async def _read_stored_value(converter: DataConverter, stored: StoredValue) -> Any:
    """``load_value`` for this activity's workflow, its failure masked by the worker's secret settings: a store's error
    (an S3-compatible server's refusal quoting the AWS_SESSION_TOKEN it was sent, a stored piece's path) went into the
    run's failure as it was, its cause chain too. A refusal stays one (its type, not retried); anything else is the
    worker's, retried."""
    try:
        return await load_value(converter, stored, _reader())
    except ApplicationError as exc:
        message = (await _masked_error(exc.message, []))[0]
        kind = await _masked_code(exc.type, [])
        raise ApplicationError(message, type=kind, non_retryable=exc.non_retryable) from None
    except TemporalError:
        raise
    except Exception as exc:
        # Its cause said too (the SDK wraps the S3 client's error, which says why), masked as the rest.
        cause = f" (from {_described(exc.__cause__)})" if exc.__cause__ is not None else ""
        message = (await _masked_error(_described(exc) + cause, []))[0]
        raise _application_error(ErrorKind.SYSTEM, message, activity.info().attempt, retryable=True) from None


def _described(exc: BaseException) -> str:
    """``Type: message`` of an exception (``_said``)."""
    return f"{type(exc).__name__}: {_said(exc)}"


def _said(exc: BaseException) -> str:
    """An exception's message, never raising: one whose ``str`` raised (a tool's own class) left the
    handler with that error, past every masking, its cause chain quoting the call's secret whole into the
    failure Temporal sent."""
    try:
        return str(exc)
    except Exception:
        return "(its message could not be read)"


async def _masked_error(text: str, secrets: list[str], masker: Masker | None = None) -> tuple[str, str]:
    """A tool's error message with the call's secrets masked (for the history, whole) and its start as the
    log quotes it (masked, then cut: ``redaction.quoted_start``). In a thread: a server's error may be a
    megabyte of text built to make masking slow, seconds that held every activity's heartbeat on the loop.
    ``masker``: the call's, of ``secrets``, when it has one (made again otherwise, in the thread)."""

    def masked() -> tuple[str, str]:
        call_masker, known = masker or Masker(secrets), settings_masker()  # known: the worker's own secrets too

        def mask(part: str) -> str:
            return known.text(call_masker.text(part))

        if len(text) <= KEPT_ERROR_CHARS:
            message = mask(text)
        else:
            # Masked only as far past the cut as a secret's form reaches, as masking it whole then cutting would give
            # it: whole, a megabyte's error took seconds with a worker's secret (a step beside it missed its
            # heartbeats under load). A quoted-printable form, soft-broken, is up to 4 times a form's length.
            reach = 4 * longest_form([*secrets, *secret_settings()]) + 1
            message = redaction.quoted_start(text, KEPT_ERROR_CHARS, mask, reach)
            message += f"... ({len(text):,} characters)"
        return message, redaction.quoted_start(message, LOGGED_ERROR_CHARS)

    return await asyncio.to_thread(masked)


async def _masked_code(code: str | None, secrets: list[str], masker: Masker | None = None) -> str | None:
    """An error's code or type name (short, a label) with the call's secrets and the worker's secret settings masked."""
    if code is None:
        return None
    return await asyncio.to_thread(lambda: settings_masker().text((masker or Masker(secrets)).text(code)))


def _both(call: Masker, known: Masker, text: str) -> str:
    return known.text(call.text(text))


def _json_value(output: Any) -> Any:
    """A tool's output as the JSON value the workflow receives. Half a surrogate pair in it (a server's
    JSON ``"\\ud800"``, a file name that is not UTF-8) becomes U+FFFD: no UTF-8 carries it, and the step
    failed as a system error, retried."""
    if not hasattr(output, "model_dump"):
        return whole_characters(output)
    try:
        dumped = output.model_dump(mode="json")
    except (UnicodeEncodeError, PydanticSerializationError):  # a key holds one: the python form does not encode
        dumped = to_jsonable_python(whole_characters(output.model_dump()))
    return whole_characters(dumped)


def _output_value(output: Any, secrets: list[str]) -> tuple[Any, int, bool]:
    """A tool's output as the workflow receives it (secrets masked), its size, and whether it nests too deep
    for the workflow to read. Walks of the whole output, for a thread: on the worker's event loop a 4 MB
    output of 1.1 million numbers held every other activity (their heartbeats too) for seconds. The worker's
    secret settings masked too, in the same walk: a server echoing the codec key, a file holding TEMPORAL_API_KEY
    went into the history in clear, only the call's own secrets masked."""
    dumped = mask_secrets(_json_value(output), [*secrets, *secret_settings()])
    return dumped, _size(dumped), depth_over(dumped)


def _size(value: Any) -> int:
    """``value``'s JSON bytes, written by Rust (json.dumps took seconds of a worker's thread for a large value)."""
    try:
        return len(to_json(value, fallback=str))
    except (TypeError, ValueError):
        return -1


def _ms(delta: Any) -> float:
    return round(float(delta.total_seconds()) * 1000, 3)


def _tokens_in(output: Any) -> int:
    """The convention for a tool that calls a model: report ``usage.total_tokens`` in its output."""
    usage = output.get("usage") if isinstance(output, dict) else None
    total = usage.get("total_tokens") if isinstance(usage, dict) else None
    return total if isinstance(total, int) and total > 0 else 0


async def heartbeat_forever(beat: Callable[[], None] | None = None) -> None:
    """Every activity's heartbeats, until cancelled (run_tool's, the agent's model step's)."""
    # Heartbeats carry cancellation to the activity and let Temporal notice a dead worker quickly,
    # whatever the tool does; the SDK throttles what it actually sends. The first goes out at once: the
    # server's clock runs from when it handed the task out, and a busy worker's SDK took seconds to start
    # it (bench/busy_worker.py), then a set-up of seconds more before any beat. Then at least four per
    # timeout, so that a step's own short heartbeat_timeout_s is met (once a second missed one under 1 s).
    # Local activities have no heartbeats; their liveness is the workflow task's.
    info = activity.info()
    if info.is_local:
        return
    every = (
        min(HEARTBEAT_EVERY_S, info.heartbeat_timeout.total_seconds() / 4)
        if info.heartbeat_timeout
        else HEARTBEAT_EVERY_S
    )
    while True:
        (beat or activity.heartbeat)()  # looked up at each beat (bench/busy_worker.py records them)
        await asyncio.sleep(every)


def _reader() -> WorkflowSerializationContext:
    """The workflow of this activity: the one whose stored values it may read."""
    info = activity.info()
    return WorkflowSerializationContext(namespace=info.namespace, workflow_id=info.workflow_id or "")


def _application_error(
    kind: ErrorKind,
    message: str,
    attempt: int,
    *,
    retryable: bool,
    code: str | None = None,
    wait_s: float | None = None,
) -> ApplicationError:
    """``wait_s``: the tool's word on when the next attempt may start, in place of the retry policy's interval."""
    # When the failing attempt started: an undo that waited for a worker's free slot has that wait given back to the
    # undos' budget, failed or not (workflows/recovery.py, FAILED_WAIT_PATCH).
    started = activity.info().started_time.isoformat()
    details: dict[str, Any] = {"attempt": attempt, "code": code, "retryable": retryable, "started_at": started}
    if (waited := slot_waits.waited_so_far()) is not None:  # every attempt's, to give back the same way
        details[slot_waits.KEY] = waited
    delay = timedelta(seconds=wait_s) if wait_s is not None and retryable else None
    return ApplicationError(message, details, type=str(kind), non_retryable=not retryable, next_retry_delay=delay)
