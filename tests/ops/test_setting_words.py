"""Every environment setting that is not free text takes only its own words, and says so by name when
given another: ``ORCHESTRA_SEMANTIC=of`` or ``ORCHESTRA_PLANNING_CACHE=disabled`` was read as on,
``ORCHESTRA_TOOL_HISTORY=off`` as on (only ``0`` was off), a port of ``80a`` a traceback."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from orchestra import environment
from orchestra.settings import PROJECT_ROOT, Settings
from tests.cli.cli import clean_env, run_client

# Read by the SDK as 'http://' + the address: localhost's port 80 (a '/', '?', '#' ends the host part), while the
# port guarded from tools was the 7233 written after it.
ADDRESS_DELIMITED = ["localhost/x:7233", "localhost?:7233", "localhost#:7233", "u@localhost:7233", "h\\x:7233"]
GOOD = {
    environment.FLAG: ["on", "OFF", "0", "yes"],
    environment.PORT: ["8080", "1"],
    environment.COUNT: ["5"],
    environment.SIZE: ["0", "5"],
    environment.ACTIVITIES: ["1", "64", "256"],
    environment.VALUE_LIMIT: ["8192", "52428800"],
    environment.MEMORY_TOTAL: ["64", "2048", str(environment.MOST_MEMORY_TOTAL_MB)],
    environment.SECONDS: ["2.5", "30", "7200", "86400"],
    environment.FOLDER: ["/tmp/nothing-here-yet"],
    environment.URL: ["http://127.0.0.1:8080/v1", "https://api.openai.com/v1?api-version=1", "http://[::1]:1/v1"],
    environment.ADDRESS: ["localhost:7233", "[::1]:7233", "ns.acct.tmprl.cloud:7233"],
    environment.LISTEN_ADDRESS: ["0.0.0.0:9464", "[::1]:9464", "127.0.0.1:9464"],
    environment.LISTEN_HOST: ["127.0.0.1", "0.0.0.0", "::1", "[::1]", "localhost"],
    environment.HOST_HEADERS: ["localhost", "codec.internal:443,localhost", "[::1]:8081, 127.0.0.1"],
    environment.ENDPOINTS: ["temporal-ui:8080,codec-server:8081", "[fd00::5]:443"],
    environment.HOST_RULES: ["*", "*.example.com, 127.0.0.1:8234,[::1]:8080,10.0.0.0/8,10.0.0.*"],
    environment.SERVER_NAME: ["ns.acct.tmprl.cloud", "127.0.0.1"],
    environment.ORIGINS: ["http://localhost:8233", "http://localhost:8233, https://ui.example.com"],
    environment.HEADERS: ["authorization=Bearer sk-1", "api-key=a%2Cb, x-tenant = t1"],
    environment.SETTINGS["OTEL_TRACES_EXPORTER"]: ["otlp", "console, otlp", "none"],
}
HOST_KINDS = (environment.ADDRESS, environment.LISTEN_ADDRESS, environment.LISTEN_HOST, environment.HOST_HEADERS,
              environment.ENDPOINTS, environment.HOST_RULES, environment.SERVER_NAME, environment.ORIGINS)  # fmt: skip
# A host each setting that names one refuses: a scheme, user info, a zone, no port or no host, a port out of
# range or in another script's digits, a space, an IPv6 host unbracketed where a port follows.
HOSTS_REFUSED = ["http://127.0.0.1:9464", "user@127.0.0.1:9464", "[fe80::1%eth0]:9464", "::1:9464", "127.0.0.1 :9464"]
BAD = {
    environment.FLAG: ["of", "enabled", "disabled", "2"],
    environment.PORT: ["80a", "0", "70000", "-1"],
    environment.COUNT: ["0", "1e3", "-4", "ten"],
    environment.SIZE: ["-1", "1.5"],
    environment.ACTIVITIES: ["0", "257", "1e3", "-4", "many"],
    environment.VALUE_LIMIT: ["8191", "1", "0", "-4", "1e400", "ten"],
    environment.MEMORY_TOTAL: ["0", "-1", "1.5", "ten", str(environment.MOST_MEMORY_TOTAL_MB + 1)],
    environment.SECONDS: ["0", "30s", "soon", "-1", "86401"],
    environment.FOLDER: ["/etc/passwd"],
    environment.URL: ["http://127.0.0.1:99999/v1", "http://h:0/v1", "ftp://h/v1", "localhost:8080"],
    environment.ADDRESS: ["host:99999", "http://host:7233", "host", "::1:7233", ":7233", *ADDRESS_DELIMITED],
    environment.LISTEN_ADDRESS: [
        *HOSTS_REFUSED,
        "localhost:9464",
        "127.0.0.1:99999",
        "127.0.0.1:\uff19\uff14",
        "[::1]:0",
    ],
    environment.LISTEN_HOST: ["[::1", "bad host", "fe80::1%eth0", "user@h", "http://h", "h:8081", "\uff11.0.0.1"],
    environment.HOST_HEADERS: [*HOSTS_REFUSED, "[::1", "localhost:99999", "localhost:abc", "*"],
    environment.ENDPOINTS: [*HOSTS_REFUSED, "example.com", "ui:99999", "ui:8080,[::1"],
    environment.HOST_RULES: ["[::1", "10.0.0.0/33", "host:99999", "http://example.com", "h:abc", "*.h:0", "u@h"],
    environment.SERVER_NAME: ["bad name", "http://x", "x:443", "u@x"],
    environment.ORIGINS: ["*", "http://localhost:8233/", "localhost:8233", "http://u:pw@ui", "http://ui/x"],
    # The exporter dropped each (logging its text) and sent spans without the collector's key.
    environment.HEADERS: ["a", "Authorization: Bearer sk-1", "a=b;c", 'a="b"', "a b=c", "a=b\\c"],
    environment.SETTINGS["OTEL_TRACES_EXPORTER"]: ["jaeger", "otlp,zipkin"],
}


@pytest.mark.parametrize("name", sorted(environment.SETTINGS))
def test_each_setting_refuses_a_word_it_does_not_take_by_its_name(name):
    kind = environment.SETTINGS[name]
    good = GOOD.get(kind, [kind.accepts.removeprefix("one of ").split(", ")[0]])
    bad = BAD.get(kind, ["nonsense"])
    for word in good:
        environment.check_environment({name: word})
    # the OTLP exporter's own settings are read only while spans are sent by OTLP
    exporting = {"OTEL_TRACES_EXPORTER": "otlp"} if name in environment.READ_BY_OTLP_EXPORT else {}
    for word in bad:
        with pytest.raises(environment.SettingError) as err:
            Settings.from_env({name: word, **exporting})
        assert f"{name}={kind.shown(word)}" in str(err.value) and kind.accepts in str(err.value)


def test_the_yes_no_settings_read_their_words_and_their_defaults():
    assert environment.flag("ORCHESTRA_SEMANTIC", True, {"ORCHESTRA_SEMANTIC": "off"}) is False
    assert environment.flag("ORCHESTRA_TOOL_HISTORY", True, {"ORCHESTRA_TOOL_HISTORY": "no"}) is False
    assert environment.flag("ORCHESTRA_PLAN_TYPES", False, {"ORCHESTRA_PLAN_TYPES": "On"}) is True
    assert environment.flag("ORCHESTRA_PLANNING_CACHE", True, {"ORCHESTRA_PLANNING_CACHE": " "}) is True


@pytest.mark.parametrize(
    ("name", "word"), [("ORCHESTRA_PLAN_TYPES", "maybe"), ("ORCHESTRA_SEMANTIC", "of"), ("ORCHESTRA_UI_PORT", "80a")]
)
async def test_the_cli_and_the_worker_refuse_a_bad_word_at_start(name, word):
    env = clean_env(**{name: word})
    refused = await run_client("plan", "fetch https://example.com", env=env)
    assert refused.code == 2 and f"{name}={word!r}" in refused.err and "Traceback" not in refused.err, refused.err
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(PROJECT_ROOT / "worker.py"), env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(worker.communicate(), 60)
    assert worker.returncode == 2 and f"{name}={word!r}" in err.decode(), err.decode()


@pytest.mark.parametrize("name", sorted(environment.SETTINGS))
def test_a_word_the_check_takes_is_read_as_taken_in_any_case_with_spaces_or_empty(name):
    """The check reads a word stripped and in any case, an empty one as unset: Settings read the raw
    value, so ``ORCHESTRA_STORAGE=S3`` passed the check and then failed pydantic's, a blank
    ORCHESTRA_SANDBOX_UID was not a number, an empty ORCHESTRA_DATA_DIR put the workspace in the cwd."""
    kind = environment.SETTINGS[name]
    default = Settings.from_env({})
    for word in GOOD.get(kind, [kind.accepts.removeprefix("one of ").split(", ")[0]]):
        # a folder's, an address's and a URL's case is the file system's, DNS's and the server's to read
        cased = kind not in (environment.FOLDER, environment.URL, *HOST_KINDS)
        for written in ({word.upper(), word} if cased else {word}) | {f"  {word}  "}:
            read = Settings.from_env({name: written})
            assert read == Settings.from_env({name: word}), (name, written)
    for empty in ("", "   "):  # a list's too: ORCHESTRA_ALLOWED_HOSTS='' allowed no host, the check read it unset
        assert Settings.from_env({name: empty}) == default, (name, empty)


def test_a_folder_setting_is_read_with_its_home_expanded_and_its_workspace_under_it(tmp_path):
    home = {"HOME": str(tmp_path)}
    read = environment.value("ORCHESTRA_DATA_DIR", {**home, "ORCHESTRA_DATA_DIR": " ~/data "})
    assert read is not None and not read.startswith("~") and not read.startswith(" ")
    settings = Settings.from_env({"ORCHESTRA_DATA_DIR": " /srv/orchestra ", "ORCHESTRA_WORKSPACE": ""})
    assert settings.data_dir == Path("/srv/orchestra") and settings.workspace == Path("/srv/orchestra/workspace")


def test_every_level_name_logging_takes_is_a_log_level_the_worker_starts_with():
    """The level went to ``logging.setLevel``, which takes FATAL and NOTSET too: a worker started with
    either before the strict check must still start. The names are a fresh interpreter's: this process's
    logging may hold more (uvicorn, imported by other tests, adds TRACE), which no worker is started with."""
    fresh = subprocess.run(
        [sys.executable, "-c", "import logging; print(*logging.getLevelNamesMapping())"],
        capture_output=True,
        text=True,
        check=True,
    )
    for name in fresh.stdout.split():
        assert environment.value("ORCHESTRA_LOG_LEVEL", {"ORCHESTRA_LOG_LEVEL": name}) == name.lower()


@pytest.mark.parametrize("word", ["/tmp/" + "a" * 300, "~no-such-user-of-orchestra/data"])
async def test_a_folder_that_cannot_be_looked_at_is_refused_by_name_not_a_traceback(word):
    """Looking at it raised (a name too long, a user with no home): the worker printed a traceback, the
    CLI the bare error without the setting's name."""
    with pytest.raises(environment.SettingError, match="ORCHESTRA_DATA_DIR="):
        environment.check_environment({"ORCHESTRA_DATA_DIR": word})
    env = clean_env(ORCHESTRA_DATA_DIR=word)
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(PROJECT_ROOT / "worker.py"), env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(worker.communicate(), 60)
    assert worker.returncode == 2 and "ORCHESTRA_DATA_DIR=" in err.decode() and "Traceback" not in err.decode()


def test_a_blank_workspace_setting_leaves_the_workspace_under_the_data_dir_flag(tmp_path):
    """``--data-dir`` puts the workspace under it unless one is set; a blank ORCHESTRA_WORKSPACE counted
    as set there, and as unset in the settings: the workspace stayed the project's own."""
    from orchestra.cli.context import settings_from

    settings = settings_from({"data_dir": tmp_path}, {"ORCHESTRA_WORKSPACE": "  "})
    assert settings.workspace == tmp_path / "workspace"


@pytest.mark.parametrize(
    ("flag", "word", "kind"),
    [("--ui-port", "99999", environment.PORT), ("--data-dir", "/etc/passwd", environment.FOLDER),
     ("--workspace", "/etc/passwd", environment.FOLDER), ("--address", "localhost/x:7233", environment.ADDRESS)],
)  # fmt: skip
async def test_a_flag_standing_for_a_setting_takes_only_its_words(flag, word, kind):
    """The flags went past the check their variables have: ``--ui-port 99999`` and a workspace that is a
    file were taken, to fail later (or not at all, for commands that never start the stack). A flag says why
    as its variable does (--address said what it takes, not that its host held a '/')."""
    refused = await run_client("plan", "fetch https://example.com", flag, word, env=clean_env())
    assert refused.code == 2 and flag in refused.err and kind.accepts in refused.err, refused.err
    assert "Traceback" not in refused.err
    if (reason := kind.reason(word)) is not None:
        assert reason in " ".join(refused.err.split()), refused.err


@pytest.mark.parametrize(("args", "env"), [(["--port", "99999"], {}), ([], {"ORCHESTRA_DEMO_SITE_PORT": "80a"})])
async def test_the_demo_site_refuses_a_port_it_cannot_listen_on_by_name_not_a_traceback(args, env):
    """Its --port reached bind() (an OverflowError), its setting's refusal came out of argparse's default."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "orchestra.demo_site", *args, env=clean_env(**env), cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert (
        process.returncode == 2
        and "Traceback" not in err.decode()
        and ("99999" in err.decode() or "80a" in err.decode())
    )


def test_the_worker_refuses_a_bad_word_before_it_imports_the_engine():
    """The check ran after the worker's imports, ~2.3 s of CPU (16-21 s on a loaded machine) spent on a
    start refused anyway."""
    started = (
        "import runpy, sys\n"
        "try:\n"
        f"    runpy.run_path({str(PROJECT_ROOT / 'worker.py')!r}, run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, sorted(m for m in ('temporalio', 'httpx', 'workflows') if m in sys.modules))\n"
    )
    env = clean_env(ORCHESTRA_SEMANTIC="of")
    refused = subprocess.run([sys.executable, "-c", started], env=env, capture_output=True, text=True, timeout=60)
    assert refused.stdout.split() == ["2", "[]"], refused.stdout + refused.stderr
    assert "ORCHESTRA_SEMANTIC='of'" in refused.stderr, refused.stderr


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://ann:pw@127.0.0.1:99999/v1?key=sekrit", "its port is not a number from 1 to 65535"),
        ("http://[::1/v1?key=sekrit", "it cannot be read as a URL"),
        ("http://127.0.0.1:8080/v1\n?key=sekrit", "a line break"),
        ("ftp://ann:pw@127.0.0.1/v1", "its scheme is not http or https"),
        ("http:ann:pw@127.0.0.1/v1", "it names no host"),
    ],
)
async def test_an_llm_url_httpx_cannot_call_is_refused_at_start_by_name_and_reason_without_its_credentials(url, reason):
    """The URL was never looked at before the first model call: port 99999 failed it with an OverflowError in
    an ExceptionGroup, an unclosed ``[``, a line break, another scheme or no host with httpx's raw InvalidURL.
    The worker and ``plan --backend llm`` now refuse it at their start, naming the setting and the URL as
    messages show it (no ``user:pw@``, no query values)."""
    env = clean_env(ORCHESTRA_LLM_BASE_URL=url)
    refused = await run_client("plan", "--backend", "llm", "fetch https://example.com", env=env)
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(PROJECT_ROOT / "worker.py"), env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(worker.communicate(), 60)
    for code, said in ((refused.code, refused.err), (worker.returncode, err.decode())):
        assert code == 2 and "ORCHESTRA_LLM_BASE_URL=" in said and reason in said, said
        assert "Traceback" not in said and "sekrit" not in said and "pw@" not in said, said


@pytest.mark.parametrize(
    "name", ["ORCHESTRA_S3_ENDPOINT_URL", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
)
@pytest.mark.parametrize("url", ["http://minio:99999", "http://ann:9000/pw@minio:9000", "minio:9000"])
def test_an_endpoint_url_is_checked_at_start_as_every_url_setting_is(name, url):
    """ORCHESTRA_S3_ENDPOINT_URL was read unchecked: port 99999 was a raw ValueError where the worker works out
    the endpoints it guards from tools, and 'http://ann:9000/pw@minio:9000' guarded (and sent to) host 'ann'.
    The OTLP endpoints, read by the exporter in its own thread, sent the run's spans there."""
    with pytest.raises(environment.SettingError) as err:
        Settings.from_env({name: url})
    assert f"{name}=" in str(err.value) and "pw" not in str(err.value), err.value


def test_a_free_text_setting_is_read_stripped_and_a_blank_one_as_unset():
    """ORCHESTRA_TASK_QUEUE=' ' or TEMPORAL_NAMESPACE=' ' was read as it stood: a worker polled the queue ' ',
    and a namespace ' q ' was not the namespace 'q'."""
    default = Settings.from_env({})
    blank = Settings.from_env({"ORCHESTRA_TASK_QUEUE": "  ", "TEMPORAL_NAMESPACE": " ", "TEMPORAL_API_KEY": " "})
    assert (blank.task_queue, blank.namespace, blank.api_key) == (default.task_queue, default.namespace, None)
    padded = Settings.from_env({"ORCHESTRA_TASK_QUEUE": " jobs ", "TEMPORAL_NAMESPACE": " ns.acct "})
    assert (padded.task_queue, padded.namespace) == ("jobs", "ns.acct")
