from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies import api as agencies_api
from refusal_cases import health, metrics, sso

api_patterns = [
    path("auth/token/", agencies_api.TokenApi.as_view(), name="token"),
    path("auth/logout/", agencies_api.LogoutApi.as_view(), name="logout"),
    path("auth/tokens/", agencies_api.TokenListApi.as_view(), name="token-list"),
    path("auth/tokens/<int:pk>/", agencies_api.TokenDetailApi.as_view(), name="token-detail"),
    path("me/", agencies_api.MeApi.as_view(), name="me"),
    path("agencies/", agencies_api.AgencyListApi.as_view(), name="agency-list"),
    path("", include("workflow.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's page carries a <style> block of its own: the one page whose styles may be inline.
    path("docs/", csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
         name="docs"),
]

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),  # liveness: the process and its database answer
    path("health/", health.health, name="health"),  # readiness: database, broker, worker, storage, calendar
    path("metrics/", metrics.metrics, name="metrics"),  # Prometheus: staff login or the metrics token
    path("", include("workflow.pages.urls")),  # the browser pages: inbox, case pages, notifications, statistics
    path("accounts/login/", sso.LoginView.as_view(), name="login"),
    # Optional OpenID Connect sign-on (404 unless OIDC_ENABLED); the names are the ones mozilla-django-oidc reverses.
    path("oidc/authenticate/", sso.sign_on, name="oidc_authentication_init"),
    path("oidc/callback/", sso.callback, name="oidc_authentication_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verify/", include("documents.page_urls")),  # public verification of documents, no login
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

handler400 = "refusal_cases.limits.bad_request"
handler404 = "refusal_cases.api.not_found"
