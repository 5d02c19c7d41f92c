"""Every user-facing read of assessments and their records, starting from `visible_to(user)`.

Each selector runs a fixed number of queries however many requirements, responses or evidence
items there are (the tests hold them to it).

`common` holds the response status filter and the assessments with their progress, `responses` the
responses as the API and the response page read them, `tasks` the task list and check answers,
`records` evidence, departures, actions and requirements, `workflow` what the workflow pages read and
`waiting` what is waiting for each user, `owners` the people a requirement or action may be assigned
to and each person's "My tasks"; callers import from this package.
"""

from assessments.selectors.common import (
    assessment_get,
    assessment_list,
    assessments_with_progress,
    response_status_q,
)
from assessments.selectors.owners import (
    REVIEW_SOON_DAYS,
    MyTask,
    TaskKind,
    assignable_people,
    my_tasks,
)
from assessments.selectors.records import (
    action_list,
    departure_list,
    evidence_citable,
    evidence_cited,
    evidence_get,
    evidence_list,
    new_requirements_of,
    overdue_actions,
    requirements_of,
)
from assessments.selectors.responses import (
    RESPONSE_ROW_FIELDS,
    response_evidence_ids,
    response_get,
    response_list,
    response_list_rows,
    response_prefetch_evidence,
    response_to_change,
)
from assessments.selectors.tasks import (
    TaskGroup,
    TaskItem,
    TaskList,
    TaskRow,
    answers_list,
    task_list,
    task_responses,
)
from assessments.selectors.waiting import (
    RECENTLY_PUBLISHED_DAYS,
    WAITING_LIMIT,
    WaitingItem,
    challenge_url,
    challenges_waiting_for,
    waiting_for,
)
from assessments.selectors.workflow import (
    assessment_workflow_get,
    audit_trail_of,
    challenge_list,
    response_workflow_get,
    snapshot_get,
    transitions_of,
)

__all__ = [
    "RECENTLY_PUBLISHED_DAYS",
    "REVIEW_SOON_DAYS",
    "RESPONSE_ROW_FIELDS",
    "WAITING_LIMIT",
    "TaskGroup",
    "TaskItem",
    "TaskList",
    "TaskRow",
    "MyTask",
    "TaskKind",
    "WaitingItem",
    "action_list",
    "answers_list",
    "assignable_people",
    "assessment_get",
    "assessment_list",
    "assessment_workflow_get",
    "assessments_with_progress",
    "audit_trail_of",
    "challenge_list",
    "challenge_url",
    "challenges_waiting_for",
    "departure_list",
    "evidence_citable",
    "evidence_cited",
    "evidence_get",
    "evidence_list",
    "my_tasks",
    "new_requirements_of",
    "overdue_actions",
    "requirements_of",
    "response_evidence_ids",
    "response_get",
    "response_list",
    "response_list_rows",
    "response_prefetch_evidence",
    "response_status_q",
    "response_to_change",
    "response_workflow_get",
    "snapshot_get",
    "task_list",
    "task_responses",
    "transitions_of",
    "waiting_for",
]
