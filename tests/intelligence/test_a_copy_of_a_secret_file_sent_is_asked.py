"""plan182 (issue 8): "Upload server.pem.bak" sent the key's backup without a word: ".bak" was judged alone (and was
no file named at all). A copy of a secret-looking file ("server.pem.bak", "id_rsa.old", ".env.orig") is one too."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis.data import extract
from orchestra.analysis.secrets_sent import looks_secret
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize("name", ["server.pem.bak", "id_rsa.old", ".env.orig", "keys/server.key.backup", "id_rsa~"])
def test_a_copy_of_a_secret_file_looks_secret(name: str) -> None:
    assert looks_secret(name)


@pytest.mark.parametrize("name", ["notes.txt.bak", "report.old", "a.bak"])
def test_a_copy_of_another_file_does_not(name: str) -> None:
    assert not looks_secret(name)


@pytest.mark.parametrize("task", ["Upload server.pem.bak", "Upload server.pem.bak to https://example.com/up"])
async def test_a_copy_of_a_key_sent_is_asked(task: str) -> None:
    catalogues = [THIRD_PARTY] if "https" not in task else []
    result = await plan_task(task, as_the_cli_plans(*catalogues))
    assert any("server.pem.bak, a file that looks like it holds secrets" in n for n in result.analysis.notes), (
        result.analysis.notes
    )
    plan = result.execution.plan
    assert plan is not None
    assert not any("server.pem.bak" in str(n.args) and n.tool != "read_file" for n in plan.nodes), plan.nodes


@pytest.mark.parametrize("name", ["a.txt.bak", "server.pem.bak", "config.json.orig"])
def test_a_copy_is_a_file_named_whole(name: str) -> None:
    assert [(d.kind, d.value) for d in extract(f"Read {name}").items] == [("path", name)]
