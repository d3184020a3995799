from django.contrib.auth import views as auth_views
from django.urls import include, path


def userinfo(claims, user):
    """The claims the provider vouches for; `role` is what a careless relying party might trust."""
    claims["preferred_username"] = user.username
    claims["name"] = user.get_full_name()
    claims["email"] = user.email
    claims["role"] = "procurator_general"
    return claims


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
]
