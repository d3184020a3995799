"""The public verification pages, mounted at /verify/."""

from django.urls import path

from documents import views

urlpatterns = [
    path("", views.verify_form, name="document-verify-form"),
    path("<str:code>/", views.verify, name="document-verify"),
]
