"""A file that looks like it holds secrets, sent out: "Send .env to https://x", "Post the summary of credentials.json
to https://x", "Upload server.pem to https://x". Each was read and posted without a word (issue 8, trust boundary):
the user may not know what the file holds, or may have named the wrong one. Such a send is asked for, as a change
said under a condition is (`planning.binding` asks what it is given, its warning says why); the file is still read
where other work asks it (a summary kept in the workspace leaks nothing).
"""

from __future__ import annotations

import re

from orchestra.analysis.models import TaskStep
from orchestra.analysis.to_a_person import sent_to_a_person
from orchestra.lazy_regex import lazy_compile

# Names (the last part of a path) of files that hold keys, passwords or tokens by convention.
_SECRET_NAMES = frozenset(
    """.env .envrc .netrc .npmrc .pypirc .pgpass .git-credentials .htpasswd .dockercfg credentials shadow passwd
    id_rsa id_dsa id_ecdsa id_ed25519 known_hosts authorized_keys kubeconfig .s3cfg .boto .dockercfg _netrc .my.cnf
    .vault-token service-account.json""".split()
)
# A private key under a name of its own ("id_rsa_work", "id_ed25519-github"): its public half ("id_rsa_work.pub") holds
# none. "key" as a part of a name ("gcp-key.json", "deploy_key", "signing.key.txt"), not of a word ("keyboard.txt").
_KEY_NAMES = lazy_compile(r"^id_(?:rsa|dsa|ecdsa|ed25519)(?!.*\.pub$)(?:[._-]|$)|(?:^|[._-])keys?(?:[._-]|$)")
# Hidden folders of programs that keep keys or tokens in them: ".kube/config", ".docker/config.json", ".aws/config".
_SECRET_FOLDERS = frozenset(".aws .kube .docker .ssh .gnupg .azure .gcloud".split())
# Kinds of file that are keys or key stores (named as files by `data`), and words a name holding secrets says.
SECRET_EXTENSIONS = frozenset("pem key p12 pfx jks keystore kdbx ppk der crt asc gpg pgp".split())
_SECRET_WORDS = lazy_compile(
    r"secret|credential|passw(?:or)?d|token|api[_-]?key|private[_-]?key|\.env\b", re.IGNORECASE
)
# Work that sends what it is given out of the machine.
SENDING = frozenset("post send upload share submit forward email mail publish push transmit put http deliver".split())


# Endings a copy of a file is given by editors and by hand ("server.pem.bak", "id_rsa~", ".env.orig"): the copy holds
# what the file does (plan182: "Upload server.pem.bak" was judged by ".bak" alone, and was no file named at all).
COPY_EXTENSIONS = frozenset("bak backup old orig swp".split())
_COPY_ENDING = lazy_compile(rf"(?:~|\.(?:{'|'.join(COPY_EXTENSIONS)}|save|saved|swo|tmp|copy|prev|dist|\d+))+$")


_LOOKS_SECRET = "a file that looks like it holds secrets"


def sends_a_secret(step: TaskStep) -> bool:
    """Whether ``step`` was held by `secrets_sent` for sending a secret-looking file: what it sends is asked."""
    return step.condition.endswith(_LOOKS_SECRET)


def looks_secret(path: str) -> bool:
    """Whether a file's name says it holds secrets: ".env", ".env.local", "id_rsa", "server.pem", "aws_credentials",
    or a copy of one ("server.pem.bak", "id_rsa~")."""
    parts = path.rstrip("/").lower().split("/")
    name = _COPY_ENDING.sub("", parts[-1]) or parts[-1]
    extension = name.rsplit(".", 1)[-1] if "." in name.lstrip(".") else ""
    return (
        name in _SECRET_NAMES
        or name.split(".", 2)[:2] == ["", "env"]  # ".env.production"
        or extension in SECRET_EXTENSIONS
        or _SECRET_WORDS.search(name) is not None
        or _KEY_NAMES.search(name) is not None
        or bool(_SECRET_FOLDERS.intersection(parts[:-1]))
    )


def secrets_sent(steps: list[TaskStep]) -> list[str]:
    """Each step sending out what a secret-looking file holds (read by it or a step it follows) is asked: its
    condition says why. The notes say the same for the reader of the plan."""
    by_id = {s.id: s for s in steps}
    notes: list[str] = []
    for step in steps:
        # "Read .npmrc and text it to +15551234567": a send to a person, by a tool saying it sends (``said_verbs``),
        # where no sink is said and the verb says other things too (attack186)
        to_a_person = bool(step.candidates) and sent_to_a_person(step.action)
        if not to_a_person and (not step.side_effects or not {step.capability, *step.keywords} & SENDING):
            continue
        secret = sorted({f for f in _files_behind(step, by_id) if looks_secret(f)})
        if not secret:
            continue
        said = ", ".join(secret)
        # said after a condition of the user's too ("if it changed"): the send asks what it sends either way
        step.condition = ", and ".join(filter(None, [step.condition, f"sending {said}, {_LOOKS_SECRET}"]))
        notes.append(
            f"step {step.id!r} ({step.action!r}) would send {said}, a file that looks like it holds secrets (keys, "
            "passwords, tokens): nothing is sent until what it sends, and where, is said again; name them if meant"
        )
    return notes


def _files_behind(step: TaskStep, by_id: dict[str, TaskStep]) -> set[str]:
    """The files ``step`` or any step it follows is given."""
    found: set[str] = set()
    seen: set[str] = set()
    todo = [step]
    while todo:
        current = todo.pop()
        found |= {str(d.value) for d in current.data if d.kind == "path"}
        found |= {str(v) for k, v in current.params.items() if k == "path" and isinstance(v, str)}
        for up in set(current.depends_on) - seen:
            seen.add(up)
            if up in by_id:
                todo.append(by_id[up])
    return found
