"""Signals whose input the run may not read: refused with a recorded reason, never the end of the run.

A signal's input can name a stored value (a reference, orchestra.storage); whoever may signal a run can
write one naming another run's value, a value that is gone or a malformed claim, or send a payload the
codec cannot decrypt. The storage and the codec hand on a refusal in its place (orchestra.refusal). The
SDK drops a signal whose input it cannot convert and says so only in the worker's log, so the runner here
turns such a signal, before the workflow sees the activation, into the ``REFUSED_SIGNAL`` signal carrying
the name of the signal refused, the reason and the sender's identity; the workflow's handler keeps it in
the run's record and current details (workflows/control.py). The run goes on; nothing it did is touched.
The refused value itself is never read, so nothing of it reaches the record.

A signal whose input does not fit its handler is refused the same way: an argument of the wrong type
(which the SDK would drop with a log line) or the wrong number of arguments (which the SDK would pass
on, failing every retry of the workflow task: a stalled run). Anyone who may signal a run — the Web UI's
"Send signal" takes any JSON — could otherwise stall it. The input is converted as the SDK will convert
it; the reason names the handler's parameters and which argument did not fit, never the value.

An update whose input does not fit its handler is rejected with the reason (a refusal in place of its
input: the converter raises its error, and the SDK rejects the update), never handed on to raise in
workflow code.

This is decided from the history alone, as the workflow is: a replay refuses the same signals (unless a
stored value was deleted in between). A signal sent from outside under the ``REFUSED_SIGNAL`` name is
refused too: only the worker may say what it refused. Workflows without a handler for ``REFUSED_SIGNAL``
are left to the SDK (the signal is dropped, with a log line).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from temporalio import workflow
from temporalio.api.common.v1 import Payload
from temporalio.bridge.proto.workflow_activation import DoUpdate, SignalWorkflow, WorkflowActivation
from temporalio.bridge.proto.workflow_completion import WorkflowActivationCompletion
from temporalio.converter import PayloadConverter
from temporalio.exceptions import ApplicationError
from temporalio.worker import WorkflowInstance, WorkflowInstanceDetails

from orchestra.control import REFUSED_SIGNAL
from orchestra.record import RefusedSignal
from orchestra.refusal import error_of, is_refusal, refusal
from orchestra.storage.errors import StoredPayloadError
from orchestra.wrapped_instances import WrappingInstance, WrappingRunner

MAX_NAME_CHARS = 200


class SignalRefusingRunner(WrappingRunner):
    """``runner``'s instances, with refused signals handed on as ``REFUSED_SIGNAL`` where the workflow has
    a handler for it."""

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        instance = self.runner.create_instance(det)
        if REFUSED_SIGNAL not in det.defn.signals:
            return instance
        return SignalRefusingInstance(instance, det.defn, det.payload_converter_factory())


class SignalRefusingInstance(WrappingInstance):
    def __init__(self, instance: WorkflowInstance, defn: workflow._Definition, converter: PayloadConverter) -> None:
        super().__init__(instance)
        self.defn = defn
        self.converter = converter

    def activate(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        for job in act.jobs:
            if job.HasField("signal_workflow"):
                refuse_if_unfit(job.signal_workflow, self.defn, self.converter)
            elif job.HasField("do_update"):
                reject_if_unfit(job.do_update, self.defn, self.converter)
        return self.instance.activate(act)


def refuse_if_unfit(signal: SignalWorkflow, defn: workflow._Definition, converter: PayloadConverter) -> None:
    """Turn ``signal`` into ``REFUSED_SIGNAL`` if its input holds a refused reference or does not fit its
    handler, or it takes that name."""
    name = signal.signal_name
    refused = next((p for p in signal.input if is_refusal(p)), None)
    handler = defn.signals.get(name)
    if name == REFUSED_SIGNAL:
        reason = f"the signal name {REFUSED_SIGNAL!r} is the worker's own: no one else may send it"
    elif refused is not None:
        error = error_of(refused)
        why = (
            "names a stored value this run may not read" if isinstance(error, StoredPayloadError) else "cannot be read"
        )
        reason = f"its input {why}: {error.message if isinstance(error, ApplicationError) else error}"
    elif handler is None or handler.name is None:
        return  # no handler yet (the SDK keeps it for one) or a dynamic one: whatever it is sent, it takes
    else:
        misfit = misfit_of(handler, signal.input, converter)
        if misfit is None:
            return
        reason = f"its input does not fit {misfit}"
    note = RefusedSignal(signal=name[:MAX_NAME_CHARS], reason=reason, sender=signal.identity[:MAX_NAME_CHARS])
    signal.signal_name = REFUSED_SIGNAL
    del signal.input[:]
    signal.input.append(Payload(metadata={"encoding": b"json/plain"}, data=note.model_dump_json().encode()))


def reject_if_unfit(update: DoUpdate, defn: workflow._Definition, converter: PayloadConverter) -> None:
    """Give ``update`` a refusal for input if its input does not fit its handler: the converter raises the
    refusal's error where it reads it, and the SDK rejects the update with the reason. Bytes, null or a
    protobuf message reached the handler whatever its type, which raised in workflow code: every retry
    of the workflow task failed, a stalled run that answered no query, update or signal."""
    handler = defn.updates.get(update.name)
    if handler is None or handler.name is None or any(is_refusal(p) for p in update.input):
        return  # the SDK says there is no such update; a dynamic handler takes anything; refused already
    misfit = misfit_of(handler, update.input, converter)
    if misfit is not None:
        del update.input[:]
        update.input.append(refusal(ApplicationError(f"the update's input does not fit {misfit}")))


def misfit_of(
    handler: workflow._SignalDefinition | workflow._UpdateDefinition,
    payloads: Sequence[Payload],
    converter: PayloadConverter,
) -> str | None:
    """Why ``payloads`` cannot be ``handler``'s arguments as the SDK converts and passes them, or None."""
    signature = inspect.signature(handler.fn)
    parameters = list(signature.parameters.values())[1 if handler.is_method else 0 :]
    takes = f"`{handler.name}({', '.join(p.name for p in parameters)})`"
    types = handler.arg_types
    if types and len(types) != len(payloads):
        types = None  # the SDK converts them untyped, then calls the handler with however many there are
    for position, payload in enumerate(payloads):
        if payload.metadata.get("encoding") != b"json/plain":
            # bytes, null or a protobuf message convert whatever the type hint says, and reach the handler
            return f"{takes}: argument {position + 1} is not JSON"
        hint = types[position] if types else None
        try:
            converter.from_payloads([payload], [hint] if hint else None)
        except Exception:  # the converter's message quotes the value: the reason must not
            kind = f"is not a {getattr(hint, '__name__', hint)}" if hint else "cannot be read"
            return f"{takes}: argument {position + 1} {kind}"
    try:
        signature.bind(*([None] if handler.is_method else []), *payloads)
    except TypeError:
        return f"{takes}: it was sent {len(payloads)} argument{'' if len(payloads) == 1 else 's'}"
    return None
