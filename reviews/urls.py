from django.urls import path

from reviews import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/submit/", views.case_submit_view, name="case-submit"),
    path("cases/<int:pk>/start-review/", views.case_start_review_view, name="case-start-review"),
    path("cases/<int:pk>/reopen/", views.case_reopen_view, name="case-reopen"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case-assign"),
    path("cases/<int:pk>/recuse/", views.case_recuse, name="case-recuse"),
    path("cases/<int:pk>/opinion/", views.case_opinion, name="case-opinion"),
    path("cases/<int:pk>/escalate/", views.case_escalate, name="case-escalate"),
    path("cases/<int:pk>/comments/", views.case_comment, name="case-comment"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw_view, name="case-withdraw"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case-decide"),
    path("cases/<int:pk>/decide/check/", views.case_decide_check, name="case-decide-check"),
    path("cases/<int:pk>/decide/dockets/", views.case_decide_dockets, name="case-decide-dockets"),
    path("decisions/<int:pk>/memo/", views.decision_memo, name="decision-memo"),
    path("decisions/<int:pk>/memo.pdf", views.decision_memo_pdf, name="decision-memo-pdf"),
    path("cases/<int:pk>/record.pdf", views.case_record_pdf, name="case-record-pdf"),
    path("decisions/<int:pk>/headnotes/", views.decision_headnotes, name="decision-headnotes"),
    path("conditions/<int:pk>/", views.condition_update_view, name="condition-update"),
    path("partners/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/reassess/", views.partner_reassess, name="partner-reassess"),
]
