"""A history whose clock reads later than the run's did.

workflow.now() in a replay is not always what the run saw: a local activity that completes while its
workflow task is being answered is taken up by the run in the next task (now = that task's start) and by
a replay in the first (now = the activity's completion), 0.2-0.9 s earlier under load. A workflow that
decides anything by the clock can then take another branch in replay (a nondeterminism error). Replaying
a history with every later event's time moved on shows whether the commands depend on the clock."""

from __future__ import annotations

from datetime import timedelta

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from orchestra import search_attributes as sa


def read_later(history: WorkflowHistory, by: timedelta = timedelta(hours=1)) -> WorkflowHistory:
    """``history`` with each event after the run's first state upsert (the run has begun, its deadline is
    set) moved ``by`` later: the run's own decisions so far stay as they were taken."""
    warped = WorkflowHistory.from_json(history.workflow_id, history.to_json())
    begun = False
    for event in warped.events:
        if begun:
            event.event_time.FromDatetime(event.event_time.ToDatetime() + by)
        elif event.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            fields = event.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields
            begun = sa.STATE.name in fields
    assert begun, "the history never indexes the run's state: nothing to move"
    return warped
