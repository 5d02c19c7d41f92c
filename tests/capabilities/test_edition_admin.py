"""The mappings of editions in the admin: listed, searchable and filterable by edition; a published
edition's mapping is read-only there (as its services answer 409), a draft's changes through the
mapping services, audited."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from capabilities.editions.drafts import edition_upload
from capabilities.editions.mapping import edition_mapping_replace
from capabilities.models import Requirement, RequirementMapping, RetiredRequirement
from core.models import AuditEntry
from core.roles import Role
from tests.capabilities.editions_support import SECOND_EDITION, SECOND_MAPPING, publish_fixture_edition
from threats.models import RetiredThreat, Threat, ThreatMapping


def _url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def support(make_user):
    """A national administrator who may also use the admin."""
    user = make_user(Role.NATIONAL_ADMIN, None, "support")
    get_user_model().objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def editions(spr2012, support):
    """spr-fixture published (follows spr-2012); spr-fixture-2 a draft with its whole mapping."""
    import yaml

    published = publish_fixture_edition(support)
    draft = edition_upload(user=support, name="spr-fixture-2.yaml", content=SECOND_EDITION.read_bytes())
    edition_mapping_replace(user=support, edition=draft, data=yaml.safe_load(SECOND_MAPPING.read_text()))
    return published, draft


@pytest.fixture
def admin_client(client, support):
    client.force_login(support)
    return client


def _mapping(edition, ref):
    return RequirementMapping.objects.get(requirement__edition=edition, requirement__ref=ref)


@pytest.mark.parametrize("model", [RequirementMapping, RetiredRequirement, ThreatMapping, RetiredThreat])
def test_mapping_lists_open(admin_client, editions, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200


def test_requirement_mappings_filter_by_edition_and_search(admin_client, editions):
    published, draft = editions
    url = _url(RequirementMapping, "changelist")

    of_draft = admin_client.get(url, {"requirement__edition__id__exact": draft.pk})
    searched = admin_client.get(url, {"requirement__edition__id__exact": draft.pk, "q": "5.1(d)"})

    assert of_draft.context["cl"].result_count == 37
    page = searched.content.decode()
    assert searched.context["cl"].result_count == 1
    assert "5.1(c) Surveillance and technical surveillance (test merge)" in page
    assert "5.1(c), 5.1(d)" in page  # what it continues
    retired = admin_client.get(_url(RetiredRequirement, "changelist"), {"edition__id__exact": published.pk})
    assert retired.context["cl"].result_count == 1 and "6.6" in retired.content.decode()


def test_published_mapping_cannot_be_changed_in_the_admin(admin_client, editions):
    published, _ = editions
    mapping = _mapping(published, "3.1(a)")
    url = _url(RequirementMapping, "change", mapping.pk)

    page = admin_client.get(url)
    posted = admin_client.post(url, {"previous": [], "same_meaning": ""})

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert b"This edition is published, so its mapping cannot be changed." in page.content
    assert posted.status_code == 403
    mapping.refresh_from_db()
    assert mapping.same_meaning and [r.ref for r in mapping.previous.all()] == ["3.1(a)"]
    retirement = RetiredRequirement.objects.get(edition=published)
    assert admin_client.post(_url(RetiredRequirement, "delete", retirement.pk), {"post": "yes"}).status_code == 403
    assert RetiredRequirement.objects.filter(pk=retirement.pk).exists()


def test_published_threat_mapping_cannot_be_changed_in_the_admin(admin_client, editions):
    published, _ = editions
    mapping = ThreatMapping.objects.get(threat__edition=published, threat__code="terrorism")

    posted = admin_client.post(_url(ThreatMapping, "change", mapping.pk), {"previous": [], "same_meaning": ""})

    assert posted.status_code == 403
    mapping.refresh_from_db()
    assert mapping.same_meaning


def test_draft_mapping_changes_in_the_admin_through_the_service(admin_client, editions):
    published, draft = editions
    mapping = _mapping(draft, "5.1(c)")
    only = Requirement.objects.get(edition=published, ref="5.1(c)")
    before = AuditEntry.objects.count()

    posted = admin_client.post(
        _url(RequirementMapping, "change", mapping.pk), {"previous": [only.pk], "same_meaning": "on"}
    )

    assert posted.status_code == 302
    mapping.refresh_from_db()
    assert mapping.same_meaning and list(mapping.previous.all()) == [only]
    assert AuditEntry.objects.filter(changes__has_key="mapping of 5.1(c)").exists()
    assert AuditEntry.objects.count() > before
    # 5.1(d) is now neither continued nor retired: retire it in the admin, then un-retire 3.4.
    dropped = Requirement.objects.get(edition=published, ref="5.1(d)")
    added = admin_client.post(_url(RetiredRequirement, "add"), {"edition": draft.pk, "requirement": dropped.pk})
    assert added.status_code == 302
    assert sorted(RetiredRequirement.objects.filter(edition=draft).values_list("requirement__ref", flat=True)) == [
        "3.4",
        "5.1(d)",
    ]
    retired_34 = RetiredRequirement.objects.get(edition=draft, requirement__ref="3.4")
    assert admin_client.post(_url(RetiredRequirement, "delete", retired_34.pk), {"post": "yes"}).status_code == 302
    assert list(RetiredRequirement.objects.filter(edition=draft).values_list("requirement__ref", flat=True)) == [
        "5.1(d)"
    ]


def test_draft_mapping_refuses_what_the_service_refuses(admin_client, editions):
    published, draft = editions
    mapping = _mapping(draft, "6.8")
    other_edition = Requirement.objects.get(edition=draft, ref="6.7")

    new_means_same = admin_client.post(_url(RequirementMapping, "change", mapping.pk), {"same_meaning": "on"})
    wrong_edition = admin_client.post(_url(RequirementMapping, "change", mapping.pk), {"previous": [other_edition.pk]})
    retire_own = admin_client.post(
        _url(RetiredRequirement, "add"), {"edition": draft.pk, "requirement": other_edition.pk}
    )
    retire_in_published = admin_client.post(
        _url(RetiredRequirement, "add"),
        {"edition": published.pk, "requirement": Requirement.objects.get(edition__code="spr-2012", ref="6.5").pk},
    )

    assert "Select what it continues, or untick that it means the same" in new_means_same.content.decode()
    assert wrong_edition.status_code == 200 and wrong_edition.context["adminform"].form.errors
    assert "Choose a requirement of the edition spr-fixture-2 follows" in retire_own.content.decode()
    assert retire_in_published.status_code == 200 and retire_in_published.context["adminform"].form.errors
    mapping.refresh_from_db()
    assert not mapping.same_meaning and not mapping.previous.exists()


def test_draft_threat_mapping_changes_in_the_admin(admin_client, editions):
    published, draft = editions
    mapping = ThreatMapping.objects.get(threat__edition=draft, threat__code="cyber")

    posted = admin_client.post(
        _url(ThreatMapping, "change", mapping.pk),
        {"previous": [Threat.objects.get(edition=published, code="cyber").pk], "same_meaning": ""},
    )

    assert posted.status_code == 302
    mapping.refresh_from_db()
    assert not mapping.same_meaning
