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
from orchestra.commands import argv_of
from orchestra.lazy_regex import lazy_compile

# Names (the last part of a path) of files that hold keys, passwords or tokens by convention.
_SECRET_NAMES = frozenset(
    """.env .envrc .netrc .npmrc .pypirc .pgpass .git-credentials .htpasswd .dockercfg credentials shadow passwd
    id_rsa id_dsa id_ecdsa id_ed25519 known_hosts authorized_keys kubeconfig .s3cfg .boto .dockercfg _netrc .my.cnf
    .vault-token service-account.json auth.json cookies.txt cookies.sqlite wp-config.php terraform.tfstate vault.yml
    vault.yaml hosts.yml""".split()
)
# A private key under a name of its own ("id_rsa_work", "id_ed25519-github"): its public half ("id_rsa_work.pub") holds
# none. "key" as a part of a name ("gcp-key.json", "deploy_key", "signing.key.txt"), not of a word ("keyboard.txt").
_KEY_NAMES = lazy_compile(r"^id_(?:rsa|dsa|ecdsa|ed25519)(?!.*\.pub$)(?:[._-]|$)|(?:^|[._-])keys?(?:[._-]|$)")
# Hidden folders of programs that keep keys or tokens in them: ".kube/config", ".docker/config.json", ".aws/config".
_SECRET_FOLDERS = frozenset(".aws .kube .docker .ssh .gnupg .azure .gcloud .password-store".split())
# A folder named for what it keeps ("secrets/prod.yaml", "credentials/gcp.json", "private/"): the whole word, not a
# part of one ("tokenizer/vocab.txt", "keyboard/")
_SECRET_FOLDER_NAMES = lazy_compile(
    r"\.?(?:secrets?|credentials?|creds|passwords?|tokens?|keys|private|private[_-]?keys?|vault)", re.IGNORECASE
)
# Kinds of file that are keys or key stores (named as files by `data`), and words a name holding secrets says.
SECRET_EXTENSIONS = frozenset("pem key p12 pfx jks keystore kdbx ppk der crt asc gpg pgp tfstate".split())
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
        or any(_SECRET_FOLDER_NAMES.fullmatch(part) for part in parts[:-1])
    )


def secrets_sent(steps: list[TaskStep], text: str = "") -> list[str]:
    """Each step sending out what a secret-looking file holds (read by it or a step it follows, or by a command it
    follows) is asked: its condition says why. So is one sending a file ``text`` (the request) says holds a secret
    ("Read config.yaml; my API token is in it"). The notes say the same for the reader of the plan."""
    by_id = {s.id: s for s in steps}
    files = {s.id: _files_of(s) for s in steps}  # once per step: a request of many sends stays linear in its steps
    position = {s.id: n for n, s in enumerate(steps)}
    writers: dict[str, list[str]] = {}
    for s in steps:
        # a step no tool serves may change what it names too ("Rename .env to notes.txt", no renamer)
        for f in files[s.id] if s.side_effects or not s.candidates else ():
            writers.setdefault(f, []).append(s.id)
    told = _told_secret(text)
    notes: list[str] = []
    for step in steps:
        # "Read .npmrc and text it to +15551234567": a send to a person, by a tool saying it sends (``said_verbs``),
        # where no sink is said and the verb says other things too (attack186)
        to_a_person = bool(step.candidates) and sent_to_a_person(step.action)
        if not to_a_person and (not step.side_effects or not {step.capability, *step.keywords} & SENDING):
            continue
        behind = _files_behind(step, by_id, files, position, writers)
        secret = sorted({f for f in behind if looks_secret(f) or (told and f != _THE_ENVIRONMENT)})
        secret += [_THE_ENVIRONMENT] if _THE_ENVIRONMENT in behind else []
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


# What a command printing the environment's variables (where tokens are kept) is judged as: a file named so
_THE_ENVIRONMENT = "the environment's variables"
# Commands printing the environment or stored credentials whatever file they name: "printenv", "env" alone,
# "git config --list" (a remote's URL may hold a token), "gh auth token", "cat /proc/self/environ"
_PRINTS_SECRETS = lazy_compile(
    r"^\s*(?:printenv\b|env\s*(?:$|[|;>&])|export\s*(?:-p\s*)?(?:$|[|;>&])|set\s*(?:$|[|;>&])|declare\s+-[px]"
    r"|git\s+config\s+(?:--global\s+|--system\s+|--local\s+)?(?:--list|-l)\b|gh\s+auth\s+token"
    r"|aws\s+configure\s+(?:get|export-credentials)|kubectl\s+config\s+view\s+--raw)|/environ\b|\benv\s*\|",
)
# "my API token is in it", "config.yaml holds my password", "which has the keys in it": the user says a file holds
# a secret, whatever its name
_TOLD_SECRET = lazy_compile(
    r"\b(?:api[ _-]?)?(?:token|password|passphrase|secret|credential|private key|api key|key)s?\b[^.;!?]{0,40}?"
    r"\b(?:is|are)\s+(?:stored\s+|kept\s+|saved\s+)?in\b"
    r"|\b(?:holds?|has|have|contains?|keeps?|stores?|with)\s+(?:all\s+)?(?:my|our|the|a|an|its|some)?\s*"
    r"(?:\w+\s+){0,2}?(?:api[ _-]?)?(?:tokens?|passwords?|passphrases?|secrets?|credentials?|private keys?|api keys?)\b",
    re.IGNORECASE,
)


def _told_secret(text: str) -> bool:
    """Whether the request says a file holds a token, key, password or secret: its files sent are asked."""
    return _TOLD_SECRET.search(text) is not None


def _files_behind(
    step: TaskStep,
    by_id: dict[str, TaskStep],
    files: dict[str, set[str]],
    position: dict[str, int],
    writers: dict[str, list[str]],
) -> set[str]:
    """The files (``files``, per step) ``step`` or any step it follows is given, the files a command it follows names
    (and ``_THE_ENVIRONMENT`` for one printing it), and, for a file an earlier step changed (``writers``), what that
    one was given: "Copy .env to notes.txt. Post notes.txt to https://x" posts .env (the read of notes.txt is ordered
    after the copy only later, `finish._ordered_on_files`)."""
    found: set[str] = set()
    seen: set[str] = {step.id}
    todo = [step]
    while todo:
        current = todo.pop()
        found |= files[current.id]
        at = position[current.id]
        wrote = {w for f in files[current.id] for w in writers.get(f, ()) if position[w] < at}
        for up in {*current.depends_on, *current.only_after, *wrote} - seen:
            seen.add(up)
            if up in by_id:
                todo.append(by_id[up])
    return found


def _files_of(step: TaskStep) -> set[str]:
    """The files a step is given by path, and those its commands name (each word that may be a file's name)."""
    files = {str(d.value) for d in step.data if d.kind == "path"}
    files |= {str(v) for k, v in step.params.items() if k == "path" and isinstance(v, str)}
    commands = [str(d.value) for d in step.data if d.kind == "command"]
    commands += [str(v) for k, v in step.params.items() if k in ("cmd", "command") and isinstance(v, str)]
    for command in commands:
        files |= {w for w in argv_of(command)[1:] if _a_file_name(w)}
        files |= {_THE_ENVIRONMENT} if _PRINTS_SECRETS.search(command) else set()
    return files


def _a_file_name(word: str) -> bool:
    """Whether a command's word may name a file: a path or a name with an ending ("~/.aws/credentials", ".env",
    "a.txt"), or a secret's own name ("credentials", "id_rsa"); "echo token" names none."""
    return not word.startswith("-") and (
        any(c in word for c in "./~") or word.lower() in _SECRET_NAMES or _KEY_NAMES.search(word) is not None
    )
