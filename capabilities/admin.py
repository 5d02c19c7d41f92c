"""Part B in the admin is read-only: areas and requirements come from `editions/*.yaml` (see
threats/admin.py for why). Capacity planning is editable through the services. The mappings of
editions (requirements' and threats') are editable while their edition is a draft, through the
mapping services, and read-only once it is published."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from capabilities import services
from capabilities.editions.mapping import REQUIREMENTS, THREATS, Kind, item_mapping_save, retirements_save
from capabilities.models import Area, CapacityCapability, Requirement, RequirementMapping, RetiredRequirement
from core.text import short_text
from threats.admin import ReadOnlyAdmin
from threats.models import Edition, EditionStatus, RetiredThreat, ThreatMapping


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "edition", "section", "position"]
    list_filter = ["edition"]
    list_select_related = ["edition"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["ref", "paragraph", "section", "short_text", "edition"]
    list_filter = ["edition", "section", "areas", "threats"]
    list_select_related = ["edition"]
    search_fields = ["ref", "text", "group_heading", "lead_in"]
    ordering = ["edition", "position"]

    @admin.display(description="Text")
    def short_text(self, obj: Requirement) -> str:
        return short_text(obj.text, 80)


# --- Capacity capabilities: editable, but every save goes through capabilities.services (permission,
# validation and the audit trail), exactly as the pages' saves do; never deleted here (forces' figures
# refer to them).


@admin.register(CapacityCapability)
class CapacityCapabilityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "national_planning_assumption", "paragraphs", "position"]
    search_fields = ["name", "code"]
    ordering = ["position", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CAPABILITY_FIELDS if name in form.cleaned_data}
        saved = services.capacity_capability_save(
            user=request.user, capability=obj if change else None, code=obj.code, **fields
        )
        obj.pk = saved.pk


# --- Edition mappings: what a draft edition's requirements and threats continue, and what it retires.
# Registered here rather than in threats/admin.py for threats too: the mapping services they save
# through (capabilities.editions.mapping) live in this app, a layer above threats. A published
# edition never changes (as its services answer 409), so its mapping is read-only here; a draft's is
# changed only through the services, which check the national administrator's role, validate and
# audit, exactly as the mapping page and `PUT /api/v1/editions/{code}/mapping/` do.

PUBLISHED_MESSAGE = "This edition is published, so its mapping cannot be changed. Upload a correction as a new version."


class MappingForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("same_meaning") and not cleaned.get("previous"):
            self.add_error("same_meaning", _("Select what it continues, or untick that it means the same"))
        return cleaned


class EditionMappingAdmin(admin.ModelAdmin):
    """One requirement's (or threat's) mapping to the edition its edition follows."""

    kind: Kind
    form = MappingForm
    fields = ["item", "previous", "same_meaning"]
    readonly_fields = ["item"]
    list_display = ["item", "edition", "continues", "same_meaning"]
    list_filter = ["same_meaning"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(f"{self.kind.link}__edition")
            .prefetch_related("previous")
            .order_by(f"{self.kind.link}__edition__published_on", f"{self.kind.link}__position")
        )

    def _edition(self, obj) -> Edition | None:
        return getattr(obj, self.kind.link).edition if obj is not None else None

    @admin.display(description="Edition")
    def edition(self, obj) -> str:
        return self._edition(obj).code

    @admin.display(description="Continues")
    def continues(self, obj) -> str:
        keys = [getattr(row, self.kind.key) for row in obj.previous.all()]
        return ", ".join(keys) or "nothing (new)"

    def _frozen(self, obj) -> bool:
        edition = self._edition(obj)
        return edition is not None and not edition.is_draft

    def has_add_permission(self, request):
        return False  # every requirement of a draft is mapped on the mapping page or by a mapping file

    def has_delete_permission(self, request, obj=None):
        return False  # a mapping is replaced, never left out: an edition is published only once complete

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self._frozen(self.get_object(request, object_id)):
            self.message_user(request, PUBLISHED_MESSAGE, level=messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        edition = self._edition(obj)
        if edition is not None and "previous" in form.base_fields:
            form.base_fields["previous"].queryset = self.kind.model.objects.filter(edition_id=edition.follows_id)
        return form

    def save_model(self, request, obj, form, change):
        item_mapping_save(
            user=request.user,
            kind=self.kind,
            edition=self._edition(obj),
            item=getattr(obj, self.kind.link),
            previous=list(form.cleaned_data["previous"]),
            same_meaning=form.cleaned_data["same_meaning"],
        )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # `previous` was set by item_mapping_save


@admin.register(RequirementMapping)
class RequirementMappingAdmin(EditionMappingAdmin):
    kind = REQUIREMENTS
    list_filter = [("requirement__edition", admin.RelatedOnlyFieldListFilter), "same_meaning"]
    search_fields = ["requirement__ref", "requirement__text", "previous__ref"]

    @admin.display(description="Requirement", ordering="requirement__position")
    def item(self, obj) -> str:
        return f"{obj.requirement.ref} {short_text(obj.requirement.text, 60)}"


@admin.register(ThreatMapping)
class ThreatMappingAdmin(EditionMappingAdmin):
    kind = THREATS
    list_filter = [("threat__edition", admin.RelatedOnlyFieldListFilter), "same_meaning"]
    search_fields = ["threat__code", "threat__name", "previous__code"]

    @admin.display(description="Threat", ordering="threat__position")
    def item(self, obj) -> str:
        return f"{obj.threat.code} {obj.threat.name}"


class RetirementForm(forms.ModelForm):
    """A retirement is added to a draft that follows another edition, and names one of that edition's
    items not already retired."""

    kind: Kind

    def clean(self):
        cleaned = super().clean()
        edition, item = cleaned.get("edition"), cleaned.get(self.kind.link)
        if edition is None or item is None:
            return cleaned
        if not edition.is_draft:
            self.add_error("edition", _("Choose a draft edition: a published one cannot be changed"))
        elif item.edition_id != edition.follows_id:
            self.add_error(
                self.kind.link,
                _("Choose a %(noun)s of the edition %(code)s follows") % {"noun": self.kind.noun, "code": edition.code},
            )
        return cleaned


class RetirementAdmin(admin.ModelAdmin):
    """The earlier edition's items a draft no longer asks for: added or removed while the edition is
    a draft (through retirements_save, which replaces the draft's whole list), never changed."""

    kind: Kind
    list_display = ["item", "edition"]
    list_select_related = ["edition"]
    actions = None  # one at a time, so each removal goes through the service and is audited

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.kind.link)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "edition" in form.base_fields:
            form.base_fields["edition"].queryset = Edition.objects.filter(
                status=EditionStatus.DRAFT, follows__isnull=False
            )
        return form

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.edition.is_draft)

    def _retired(self, edition: Edition) -> list:
        return [getattr(row, self.kind.link) for row in self.model.objects.filter(edition=edition)]

    def save_model(self, request, obj, form, change):
        item = getattr(obj, self.kind.link)
        retired = [row for row in self._retired(obj.edition) if row.pk != item.pk]
        retirements_save(user=request.user, kind=self.kind, edition=obj.edition, retired=[*retired, item])
        obj.pk = self.model.objects.get(edition=obj.edition, **{self.kind.link: item}).pk

    def delete_model(self, request, obj):
        item = getattr(obj, self.kind.link)
        retired = [row for row in self._retired(obj.edition) if row.pk != item.pk]
        retirements_save(user=request.user, kind=self.kind, edition=obj.edition, retired=retired)


class RetiredRequirementForm(RetirementForm):
    kind = REQUIREMENTS


class RetiredThreatForm(RetirementForm):
    kind = THREATS


@admin.register(RetiredRequirement)
class RetiredRequirementAdmin(RetirementAdmin):
    kind = REQUIREMENTS
    form = RetiredRequirementForm
    list_filter = [("edition", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["requirement__ref", "requirement__text"]
    raw_id_fields = ["requirement"]

    @admin.display(description="Requirement", ordering="requirement__position")
    def item(self, obj) -> str:
        return f"{obj.requirement.ref} {short_text(obj.requirement.text, 60)}"


@admin.register(RetiredThreat)
class RetiredThreatAdmin(RetirementAdmin):
    kind = THREATS
    form = RetiredThreatForm
    list_filter = [("edition", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["threat__code", "threat__name"]
    raw_id_fields = ["threat"]

    @admin.display(description="Threat", ordering="threat__position")
    def item(self, obj) -> str:
        return f"{obj.threat.code} {obj.threat.name}"
