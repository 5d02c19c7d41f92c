"""Pages for PCC office staff to fill in a self-assessment, for everyone else to read it, and of the
accountability workflow that follows (SPR §1.3, §1.11).

Every object is found through assessments.selectors (so another force's object is a 404) and every
write goes through assessments.services or assessments.workflow (so pages and the API cannot
disagree). Users who may see but not change an assessment (chief constable, PCC, HMIC) get the same
pages without the forms; a POST from them is a 403. Before showing a workflow form a page asks the
same question the service will: a role or force that may never take the action gets a 403, a state
that does not allow it now gets the 409 page.

`common` holds what several pages share (the 409 page, refusals, the workflow context), `assessments`
the assessment list, creation, the task list and check answers, `responses` a requirement's page,
`evidence` the evidence library, `registers` the departures and actions registers, `workflow`
submitting and the other workflow transitions, `workbook` the workbook's download and import,
`challenges` the PCC's challenges, `tasks` each person's "My tasks" and `history` the
history page; callers import from this package.
"""

from assessments.views.assessments import (
    assessment_create_view,
    assessment_detail_view,
    assessment_list_view,
    check_answers_view,
)
from assessments.views.challenges import (
    THREAD_VERBS,
    challenge_list_view,
    challenge_thread_view,
    response_challenge_view,
    response_challenges_context,
)
from assessments.views.common import conflict_page, workflow_context
from assessments.views.evidence import (
    evidence_create_view,
    evidence_detail_view,
    evidence_download_view,
    evidence_list_view,
    evidence_share_view,
    evidence_unshare_view,
)
from assessments.views.history import history_view
from assessments.views.registers import REGISTERS, register_form_view, register_list_view
from assessments.views.responses import response_owner_view, response_view
from assessments.views.tasks import my_tasks_view
from assessments.views.workbook import (
    workbook_confirm_view,
    workbook_download_view,
    workbook_import_view,
)
from assessments.views.workflow import (
    ACTION_PAGES,
    render_check_answers,
    submit_view,
    task_list_context,
    transition_view,
)

__all__ = [
    "ACTION_PAGES",
    "REGISTERS",
    "THREAD_VERBS",
    "assessment_create_view",
    "assessment_detail_view",
    "assessment_list_view",
    "challenge_list_view",
    "challenge_thread_view",
    "check_answers_view",
    "conflict_page",
    "evidence_create_view",
    "evidence_detail_view",
    "evidence_download_view",
    "evidence_list_view",
    "evidence_share_view",
    "evidence_unshare_view",
    "history_view",
    "my_tasks_view",
    "register_form_view",
    "register_list_view",
    "render_check_answers",
    "response_challenge_view",
    "response_challenges_context",
    "response_owner_view",
    "response_view",
    "submit_view",
    "task_list_context",
    "transition_view",
    "workbook_confirm_view",
    "workbook_download_view",
    "workbook_import_view",
    "workflow_context",
]
