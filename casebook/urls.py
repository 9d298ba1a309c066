from django.contrib.auth import views as auth_views
from django.urls import path

from casebook import views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/tags/", views.case_tags, name="case-tags"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/new/", views.partner_form, name="partner-new"),
    path("partners/<int:pk>/edit/", views.partner_form, name="partner-edit"),
]
