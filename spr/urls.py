from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from core import views as core_views
from core.forms import LoginForm
from home import views as home_views

api_v1 = [
    path("", include("threats.api.urls")),
    path("", include("capabilities.api.urls")),
    path("", include("capacity.api.urls")),
    path("", include("forces.api.urls")),
    path("", include("people.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("dashboards.api.urls")),
    path("", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

# Error answers: GOV.UK pages, JSON under /api/, each with its request id (core/errors.py).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/sessions/", core_views.account_sessions, name="account-sessions"),
    path("accounts/keep-alive/", core_views.keep_alive, name="keep-alive"),
    path("accounts/logout/", auth_views.LogoutView.as_view(template_name="accounts/logged_out.html"), name="logout"),
    path("editions/", include("capabilities.urls")),
    path("", include("assessments.urls")),
    path("", include("dashboards.urls")),
    path("capacity/", include("capacity.urls")),
    path("reports/", include("reports.urls")),
    path("people/", include("people.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]
