"""`up` and `down` on ports and a data dir of the test's own (never the default 7233)."""

from __future__ import annotations

import uuid
from pathlib import Path

from orchestra.cli.stack import process_alive
from orchestra.record import AgentState, ExecutionRecord, StepState
from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env, free_port, run_client


def pid_in(path: Path) -> int:
    return int(path.read_text().strip())


async def test_up_runs_the_example_then_down_stops_everything(tmp_path):
    port, ui_port = free_port(), free_port()
    data = tmp_path / "data"
    env = clean_env(
        TEMPORAL_ADDRESS=f"127.0.0.1:{port}",
        ORCHESTRA_UI_PORT=str(ui_port),
        ORCHESTRA_DATA_DIR=str(data),
        ORCHESTRA_TASK_QUEUE=f"up-{uuid.uuid4()}",
    )
    try:
        up = await run_client("up", env=env)
        assert up.code == 0, up.out + up.err
        assert f"http://localhost:{ui_port}/namespaces/default/workflows" in up.out
        assert str(data / "logs" / "worker.log") in up.out
        server_pid, worker_pid = pid_in(data / "temporal.pid"), pid_in(data / "worker.pid")
        assert process_alive(server_pid, "start-dev") and process_alive(worker_pid, "worker.py")

        again = await run_client("up", env=env)
        assert again.code == 0, again.err
        assert f"already running (pid {server_pid})" in again.out and f"already running (pid {worker_pid})" in again.out

        example = str(PROJECT_ROOT / "examples" / "site_report.yaml")
        run = await run_client(
            "run", "--plan", example, "--input", f"ui_url=http://127.0.0.1:{ui_port}", "--json", env=env
        )
        assert run.code == 0, run.out + run.err
        record = ExecutionRecord.model_validate_json(run.out)
        assert record.state == AgentState.COMPLETED
        assert record.step("archive").state == StepState.SKIPPED, "its condition is false by default"
        assert record.step("verify").state == StepState.COMPLETED
        report = (data / "workspace" / "report.md").read_text()
        assert report.startswith("# Site report") and "Temporal server" in report
    finally:
        down = await run_client("down", env=env)
    assert down.code == 0, down.err
    assert "stopped the worker" in down.out and "stopped the Temporal dev server" in down.out
    assert not process_alive(server_pid, "start-dev") and not process_alive(worker_pid, "worker.py")
    assert not (data / "temporal.pid").exists() and not (data / "worker.pid").exists()
    nothing = await run_client("down", env=env)
    assert nothing.code == 0 and "nothing to stop" in nothing.out
