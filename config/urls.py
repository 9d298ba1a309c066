from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casebook import views
from reviews import views as reviews_views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", views.search_page, name="search"),
    path("search/saved/", views.saved_search_list, name="saved-search-list"),
    path("search/saved/<int:pk>/delete/", views.saved_search_delete_view, name="saved-search-delete"),
    path("impact/", views.impact_queue, name="impact-queue"),
    path("impact/<int:pk>/review/", views.impact_review, name="impact-review"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/similar/", views.case_similar_draft, name="case-similar-draft"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/submit/", views.case_submit_view, name="case-submit"),
    path("cases/<int:pk>/start-review/", views.case_start_review_view, name="case-start-review"),
    path("cases/<int:pk>/reopen/", views.case_reopen_view, name="case-reopen"),
    path("cases/<int:pk>/assign/", reviews_views.case_assign, name="case-assign"),
    path("cases/<int:pk>/recuse/", reviews_views.case_recuse, name="case-recuse"),
    path("cases/<int:pk>/opinion/", reviews_views.case_opinion, name="case-opinion"),
    path("cases/<int:pk>/escalate/", reviews_views.case_escalate, name="case-escalate"),
    path("cases/<int:pk>/comments/", reviews_views.case_comment, name="case-comment"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw_view, name="case-withdraw"),
    path("cases/<int:pk>/tags/", views.case_tags, name="case-tags"),
    path("cases/<int:pk>/not-similar/", views.case_not_similar, name="case-not-similar"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case-decide"),
    path("decisions/<int:pk>/memo/", views.decision_memo, name="decision-memo"),
    path("decisions/<int:pk>/graph/", views.decision_graph, name="decision-graph"),
    path("conditions/<int:pk>/", views.condition_update_view, name="condition-update"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/new/", views.partner_form, name="partner-new"),
    path("partners/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/reassess/", reviews_views.partner_reassess, name="partner-reassess"),
    path("partners/<int:pk>/edit/", views.partner_form, name="partner-edit"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("notifications.urls")),
    path("", include("audit.urls")),
    path("framework/", include("principles.urls")),
    path("api/", include("casebook.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "casebook.views.bad_request"
handler403 = "casebook.views.forbidden"
handler404 = "casebook.views.not_found"
handler500 = "casebook.views.server_error"
