from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from agencies import api as agencies_api
from agencies import views as agencies_views

api_patterns = [
    path("auth/token/", agencies_api.TokenApi.as_view(), name="token"),
    path("me/", agencies_api.MeApi.as_view(), name="me"),
    path("agencies/", agencies_api.AgencyListApi.as_view(), name="agency-list"),
    path("", include("workflow.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", agencies_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]
