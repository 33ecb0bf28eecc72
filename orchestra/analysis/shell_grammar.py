"""Whether a command line lies within the small grammar whose reading is exact; if not, why (issue 8, attack399).

plan389 read every line as bash reads it and judged what each command prints; attack399 found 94 lines it read out
of step with bash (``$'\\''``, here-document bodies, ``2>&1``, ``<(...)``, ``$P``, ``${!V}``...). Reading all of bash
is a race lost for ever, so the judgement fails closed: a line is read exactly only when it is plain literal words,
``'...'`` and ``"..."`` (no backquote or backslash within), the variables a line cannot hide a secret in, joined by
``|``, ``&&``, ``||``, ``;`` and newlines, with plain redirections (``>``, ``>>``, ``<``, ``N>&M``, ``N>file``,
``&>``). Anything else may print anything: sending what it prints is asked (`shell_reads`), saying why.
"""

from __future__ import annotations

from orchestra.lazy_regex import lazy_compile

# Variables whose values are the machine's and the user's plain facts, never a key; any other may hold one
# (attack399: $JWT, $STRIPE_SK, $DBPASS were read as harmless by their names)
HARMLESS_VARIABLES = frozenset(
    """HOME PATH PWD OLDPWD USER LOGNAME SHELL LANG LANGUAGE TERM HOSTNAME TMPDIR EDITOR VISUAL PAGER TZ COLUMNS
    LINES SHLVL UID EUID PPID RANDOM SECONDS LINENO XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
    SSH_AUTH_SOCK DISPLAY VIRTUAL_ENV CONDA_DEFAULT_ENV GOPATH JAVA_HOME""".split()
)
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_VARIABLE = lazy_compile(rf"\$(?:({_NAME})|\{{({_NAME})\}})")
_ASSIGNED = lazy_compile(rf"(?:^|[\s;&|])({_NAME})=|(?:^|[\s;&|])for\s+({_NAME})\s+in\b")
# Operators of the grammar, longest first: a redirection may carry its file descriptor's number
_OPERATOR = lazy_compile(r"\d*>>|\d*>&\d+|&>>?|\d*>\|?|\d*<|&&|\|\||[|;\n]")
_WORD_CHARS = lazy_compile(r"[A-Za-z0-9_./:,=+@%^~*?\[\]-]")


def outside_the_grammar(line: str) -> str | None:
    """Why ``line`` cannot be read exactly (a quote, an expansion or an operator the grammar lacks), or None."""
    assigned = {m[1] or m[2] for m in _ASSIGNED.finditer(line)}
    at = 0
    while at < len(line):
        c = line[at]
        operator = _OPERATOR.match(line, at)
        fd = operator is not None and operator.end() > at + 1 and c.isdigit()  # "2>&1": the operator's 2
        if c in " \t" or (_WORD_CHARS.fullmatch(c) and not fd):
            at += 1
        elif operator is not None:
            if line.startswith("<<", at) or line.startswith("<(", at) or line.startswith(">(", at):
                return f"`{line[at : at + 3]}` (a here-document or a command in place of a file)"
            at = operator.end()
        elif c == "\\" and line[at + 1 : at + 2] not in ("", "\n"):
            at += 2  # "a\*b.txt": the character after it, as it is
        elif c == "'":
            end = line.find("'", at + 1)
            if end < 0:
                return "a quote left open"
            at = end + 1
        elif c == '"':
            end = line.find('"', at + 1)
            if end < 0:
                return "a quote left open"
            inner = line[at + 1 : end]
            if "`" in inner or "\\" in inner:
                return "a backquote or backslash within double quotes"
            why = _variables(inner, assigned)
            if why:
                return why
            at = end + 1
        elif c == "$":
            variable = _VARIABLE.match(line, at)
            why = _variables(line[at : variable.end()] if variable else line[at : at + 3], assigned)
            if why:
                return why
            at = variable.end() if variable else at + 1
        else:
            return f"`{c}` (an expansion, a compound command or an escape the planner does not read)"
    return None


def _variables(text: str, assigned: set[str]) -> str | None:
    """Why the ``$`` of ``text`` may hide what is printed: a variable not known plain, or an expansion of another
    kind (``$(...)``, ``${X:-y}``, ``${!X}``, ``$'...'``, ``$0``)."""
    plain = _VARIABLE.sub("", text)
    if "$" in plain:
        return "an expansion (`$` not followed by a plain name)"
    for m in _VARIABLE.finditer(text):
        name = m[1] or m[2]
        if name not in HARMLESS_VARIABLES and name not in assigned:
            return f"the variable ${name}, whose value may be a secret"
    return None
