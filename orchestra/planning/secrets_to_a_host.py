"""A secret-looking file given to a tool whose call goes to a host is sent there: "Summarize .env", "What is in
.env?", "Answer the question in .env" with a summarizer or a question answerer online (a described ``kind: http``
tool) posted .env to it without a word, as "Send .env to https://x" did before it was asked (`secrets_sent`). The
rule is the trust boundary's (docs/security.md): a tool may reach a public host, and whatever it is given goes
with the call, so the file's content leaving the machine is a send, whatever the tool's work is called. Such a
step is held as a send of a secret is: what it is given is asked for, and a warning says why. A tool working on
this machine (a command, a built-in) sends nothing: it is read as before."""

from __future__ import annotations

from orchestra.analysis.models import TaskStep
from orchestra.analysis.secrets_sent import looks_secret, sends_a_secret
from orchestra.registry import ToolRegistry
from orchestra.selection.models import ToolSelection

_SENT_TO_A_HOST = "a file that looks like it holds secrets"


def held_for_a_host(steps: list[TaskStep], selections: list[ToolSelection], registry: ToolRegistry) -> list[TaskStep]:
    """``steps``, each whose tool (``selections``) goes to a host with what a secret-looking file holds (read by it
    or a step it follows) copied with its condition saying so (`planning.binding` asks what it is given)."""
    remote = {
        s.step
        for s in selections
        if s.selected is not None and s.selected.tool in registry and registry.get(s.selected.tool).spec.remote
    }
    if not remote:
        return steps
    by_id = {s.id: s for s in steps}
    out = []
    for step in steps:
        secret = sorted(f for f in _files_behind(step, by_id) if looks_secret(f))
        if step.id not in remote or not secret or sends_a_secret(step):
            out.append(step)
            continue
        held = f"{_SENT_TO_A_HOST}, sent to the tool's host ({', '.join(secret)})"
        condition = ", and ".join(filter(None, [step.condition, held]))
        # held as a change is: the call sends out what it is given
        out.append(step.model_copy(update={"condition": condition, "side_effects": True}))
    return out


def _files_behind(step: TaskStep, by_id: dict[str, TaskStep]) -> set[str]:
    """The files ``step`` or any step it follows is given by path."""
    found: set[str] = set()
    seen = {step.id}
    todo = [step]
    while todo:
        current = todo.pop()
        found |= {str(d.value) for d in current.data if d.kind == "path"}
        found |= {str(current.params["path"])} if isinstance(current.params.get("path"), str) else set()
        for up in set(current.depends_on) - seen:
            seen.add(up)
            if up in by_id:
                todo.append(by_id[up])
    return found
