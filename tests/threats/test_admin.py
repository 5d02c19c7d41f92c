"""Editions come from files, so the admin shows them but changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from capabilities.models import Area, Requirement
from threats.models import Edition, JudgementLevel, Threat

MODELS = [Edition, JudgementLevel, Threat, Area, Requirement]


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.police.uk", "correct horse battery")
    client.force_login(user)
    return client


def _url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_admin_edition_rows_viewable_not_editable(superuser_client, spr2012, model):
    row = model.objects.first()
    assert superuser_client.get(_url(model, "changelist")).status_code == 200
    change_page = superuser_client.get(_url(model, "change", row.pk))
    assert change_page.status_code == 200
    assert not change_page.context["has_change_permission"]
    assert superuser_client.get(_url(model, "add")).status_code == 403
    assert superuser_client.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
