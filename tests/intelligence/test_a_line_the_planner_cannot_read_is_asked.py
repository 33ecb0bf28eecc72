"""attack399 (issue 8): plan389 read every line as bash does and judged what each command prints; 94 lines leaked
where its reading fell out of step with bash (``$'\\''``, here-document bodies, ``2>&1``, ``<(...)``, ``$P``,
``${!V}``, unknown wrappers, scripts on stdin, ``cd``...). The judgement now fails closed: a line outside a small
grammar of plain words, or running a program (or a use of one) whose output is not modelled, may print anything:
posting what it prints is asked, and the warning says why."""

from __future__ import annotations

import pytest

from orchestra.analysis.shell_reads import shell_reads
from tests.intelligence.posted_unasked import run_and_posted_unasked

# Lines printing a secret (or what no name tells) that plan389 posted unasked; each a class of attack399's findings
LINES_NOT_READ = {
    "ansi-c-quote": "echo $'\\'' ; cat .env # '",
    "ansi-c-quote-in-bash-c": "bash -c \"echo \\$'\\\\'' ; cat .env # '\"",
    "heredoc-quote": "cat <<EOF\n'\nEOF\nprintenv\n# '",
    "heredoc-double-quote": "cat <<'EOF'\n\"\nEOF\nprintenv\n# \"",
    "fd-2>&1": "printenv 2>&1",
    "fd-2>/dev/null": "env 2>/dev/null",
    "fd-export-p": "export -p 2>&1",
    "fd-set": "set 2>/dev/null",
    "fd-declare-sort": "declare -x 2>&1 | sort",
    "fd-in-bash-c": 'bash -c "printenv 2>&1"',
    "here-string-to-bash": "bash <<< printenv",
    "pipe-to-bash": "echo printenv | bash",
    "bash-s": 'bash -s <<< "cat .env"',
    "bash-c--": "bash -c -- printenv",
    "sh-c-$0": 'sh -c "$0" printenv',
    "eval-substitution": 'eval "$(echo printenv)"',
    "chroot": "chroot / printenv",
    "flock": "flock /tmp/l printenv",
    "unbuffer": "unbuffer printenv",
    "script-c": "script -qc printenv /dev/null",
    "strace": "strace -o /dev/null printenv",
    "runuser": "runuser -u me -- printenv",
    "pkexec": "pkexec printenv",
    "unshare": "unshare printenv",
    "systemd-run": "systemd-run --pipe printenv",
    "builtin": "builtin export -p",
    "indirect": "V=AWS_SECRET_ACCESS_KEY; echo ${!V}",
    "printenv-$V": "V=AWS_SECRET_ACCESS_KEY; printenv $V",
    "compgen-loop": 'for v in $(compgen -e); do echo "$v=${!v}"; done',
    "node-index": 'node -p "process[\\"env\\"]"',
    "python-getattr": 'python -c \'import os;print(getattr(os,"envi"+"ron"))\'',
    "python-system": "python3 -c \"import os;os.system('printenv')\"",
    "python-open-concat": "python -c \"print(open('.e'+'nv').read())\"",
    "JWT": "echo $JWT",
    "STRIPE_SK": "echo $STRIPE_SK",
    "SLACK_WEBHOOK": "echo $SLACK_WEBHOOK",
    "DBPASS": "echo $DBPASS",
    "xargs-a": "xargs -a .env echo",
    "procsub": "cat <(printenv)",
    "procsub-env": "paste <(env)",
    "procsub-in-bash-c": 'bash -c "cat <(printenv)"',
    "ansi-c-program": "$'printenv'",
    "default-program": "${P:-printenv}",
    "variable-program": "P=printenv; $P",
    "substituted-program": "$(echo printenv)",
    "substituted-cat": "$(echo cat) .env",
    "function-keyword": "function f { printenv; }; f",
    "trap": "trap printenv EXIT",
    "cd-ssh": "cd ~/.ssh && cat config",
    "cd-secrets": "cd secrets && cat prod.yaml",
    "cd-proc": "cd /proc/self && cat environ",
    "cd-in-bash-c": 'bash -c "cd ~/.ssh && cat config"',
    "python-here-string": 'python - <<< "import os;print(os.environ)"',
    "pipe-to-python": 'echo "import os;print(os.environ)" | python',
    "awk-system": "awk 'BEGIN{system(\"printenv\")}'",
    "git-alias": "git -c alias.x='!printenv' x",
    "docker-exec-env": "docker exec c env",
    "ssh-env": "ssh host env",
    "git-get-regexp": "git config --get-regexp .",
    "bare-token": "cat token",
    "serviceAccountKey": "cat serviceAccountKey.json",
    "braced-in-double-quotes": 'echo "${AWS_SECRET_ACCESS_KEY}"',
    "printf-braced": 'printf "%s" "${GITHUB_TOKEN}"',
    "coproc": "coproc printenv",
}


@pytest.mark.parametrize("command", LINES_NOT_READ.values(), ids=LINES_NOT_READ.keys())
async def test_what_a_line_not_read_prints_is_not_posted_unasked(command: str) -> None:
    unasked, calls = await run_and_posted_unasked(command)
    assert not unasked, calls


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("echo $'x'", "an expansion"),
        ("cat <<EOF\nx\nEOF", "a here-document"),
        ("cat <(date)", "a here-document or a command in place of a file"),
        ("echo $JWT", "the variable $JWT"),
        ("chroot / date", "`chroot` is not a program whose output the planner knows"),
        ("uniq .env notes.txt", "`uniq IN OUT` writes its second operand"),
        ("if true; then date; fi", "`if` opens a compound command"),
        ("python -c 'print(open(\"x\").read())'", "code using names that may open a file"),
        ("tar --to-command=sh -xf x.tar", "runs or writes what the planner does not follow"),
    ],
)
def test_the_warning_says_why_the_line_could_not_be_read(line: str, why: str) -> None:
    untold = " ".join(shell_reads(line).untold)
    assert "could not be read" in untold and why in untold, untold


@pytest.mark.parametrize(
    ("line", "named"), [('x="$(cat .env)"; echo $x', ".env"), ("echo $(cat notes.txt)", "notes.txt")]
)
def test_a_line_not_read_still_names_what_it_reads(line: str, named: str) -> None:
    """A substitution is outside the grammar: what it names is still named, and the line is untold besides (plan389
    judged ``x="$(cat .env)"`` as reading .env and nothing else)."""
    reads = shell_reads(line)
    assert named in reads.named and any("could not be read" in u for u in reads.untold), reads
