"""GOV.UK forms for the self-assessment pages.

Forms only parse and check input (GDS error wording); every write goes through assessments.services.
Choice fields carry an `options` list on their bound field (value, label, hint, checked, id) so the
shared includes in templates/includes/ can render GOV.UK radios and checkboxes with the GOV.UK id
convention: the first option takes the field's id (the error summary links to it), the others
`<id>-2`, `<id>-3`...

The GOV.UK widgets and fields and the helpers every form uses come from `core.forms.govuk` (re-exported
here for the self-assessment views); `responses` holds the forms
that start an assessment and answer a requirement, `records` those for evidence, departures and
actions, and `workflow` those of the workflow and challenges; callers import from this package.
"""

from assessments.forms.records import (
    ActionForm,
    DepartureForm,
    EvidenceForm,
    EvidenceShareForm,
    PersonChoiceField,
    ResponseOwnerForm,
    TaskOwnerFilterForm,
)
from assessments.forms.responses import RESPONSE_ERROR_FIELDS, AssessmentCreateForm, ResponseForm
from assessments.forms.workflow import (
    ChallengeForm,
    CloseChallengeForm,
    ConfirmForm,
    ReplyForm,
    RespondForm,
    ReturnForm,
    SignOffForm,
    SubmitForm,
)
from core.forms.govuk import (
    NARRATIVE_MAX,
    DateBoundField,
    GovukCheckboxSelectMultiple,
    GovukChoiceField,
    GovukDateField,
    GovukDateWidget,
    GovukModelChoiceField,
    GovukMultipleChoiceField,
    GovukRadioSelect,
    Option,
    OptionsBoundField,
    add_service_errors,
)

__all__ = [
    "NARRATIVE_MAX",
    "RESPONSE_ERROR_FIELDS",
    "ActionForm",
    "AssessmentCreateForm",
    "ChallengeForm",
    "CloseChallengeForm",
    "ConfirmForm",
    "DateBoundField",
    "DepartureForm",
    "EvidenceForm",
    "EvidenceShareForm",
    "GovukCheckboxSelectMultiple",
    "GovukChoiceField",
    "GovukDateField",
    "GovukDateWidget",
    "GovukModelChoiceField",
    "GovukMultipleChoiceField",
    "GovukRadioSelect",
    "Option",
    "OptionsBoundField",
    "PersonChoiceField",
    "ReplyForm",
    "RespondForm",
    "ResponseForm",
    "ResponseOwnerForm",
    "ReturnForm",
    "SignOffForm",
    "SubmitForm",
    "TaskOwnerFilterForm",
    "add_service_errors",
]
