from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from core import signin
from core import views as core_views
from home import views as home_views

api_v1 = [
    path("", include("threats.api.urls")),
    path("", include("capabilities.api.urls")),
    path("", include("capacity.api.urls")),
    path("", include("collaboration.api.urls")),
    path("", include("forces.api.urls")),
    path("", include("people.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("cycle.api.urls")),
    path("", include("inspection.api.urls")),
    path("", include("dashboards.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("core.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

# The admin has no sign-in of its own: its login page sends people to the service's, so the lockout
# and the second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

# Error answers: GOV.UK pages, JSON under /api/, each with its request id (core/errors.py).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Sign-in is django-allauth's (account and mfa); "login" and "logout" stay as names for its pages.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    # allauth's OpenID Connect callback, but checking the ID token's signature (core.signin).
    path("accounts/oidc/<str:provider_id>/login/callback/", signin.oidc_callback),
    path("accounts/sessions/", core_views.account_sessions, name="account-sessions"),
    path("accounts/keep-alive/", core_views.keep_alive, name="keep-alive"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("core.urls")),
    path("editions/", include("capabilities.urls")),
    path("", include("assessments.urls")),
    path("", include("dashboards.urls")),
    path("deadlines/", include("cycle.urls")),
    path("capacity/", include("capacity.urls")),
    path("inspection/", include("inspection.urls")),
    path("agreements/", include("collaboration.urls")),
    path("reports/", include("reports.urls")),
    path("people/", include("people.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]
