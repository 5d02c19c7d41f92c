"""Pages of the self-assessment and of its accountability workflow.

`responses` holds the self-assessment pages (still the whole of the former assessments/views.py),
`workflow` the workflow pages (the former assessments/views_workflow.py); callers import from this
package. The next commit splits them by concern.
"""

from assessments.views.responses import (
    action_form_view,
    action_list_view,
    assessment_create_view,
    assessment_detail_view,
    assessment_list_view,
    check_answers_view,
    departure_form_view,
    departure_list_view,
    evidence_create_view,
    evidence_detail_view,
    evidence_download_view,
    evidence_list_view,
    response_view,
)
from assessments.views.workflow import (
    ACTION_PAGES,
    challenge_close_view,
    challenge_list_view,
    challenge_reply_view,
    history_view,
    response_challenge_view,
    submit_view,
    transition_view,
)

__all__ = [
    "ACTION_PAGES",
    "action_form_view",
    "action_list_view",
    "assessment_create_view",
    "assessment_detail_view",
    "assessment_list_view",
    "challenge_close_view",
    "challenge_list_view",
    "challenge_reply_view",
    "check_answers_view",
    "departure_form_view",
    "departure_list_view",
    "evidence_create_view",
    "evidence_detail_view",
    "evidence_download_view",
    "evidence_list_view",
    "history_view",
    "response_challenge_view",
    "response_view",
    "submit_view",
    "transition_view",
]
