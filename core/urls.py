from django.urls import path

from core import views

app_name = "account"
urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<id:pk>/revoke/", views.token_revoke_page, name="token-revoke"),
]
