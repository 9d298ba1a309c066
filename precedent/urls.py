from django.urls import path

from precedent import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/saved/", views.saved_search_list, name="saved-search-list"),
    path("search/saved/<int:pk>/delete/", views.saved_search_delete_view, name="saved-search-delete"),
    path("impact/", views.impact_queue, name="impact-queue"),
    path("digest/", views.digest_page, name="digest"),
    path("digest/subscription/", views.digest_subscription, name="digest-subscription"),
    path("digest/<str:slug>.pdf", views.digest_pdf, name="digest-pdf"),
    path("impact/<int:pk>/review/", views.impact_review, name="impact-review"),
    path("cases/similar/", views.case_similar_draft, name="case-similar-draft"),
    path("cases/<int:pk>/not-similar/", views.case_not_similar, name="case-not-similar"),
    path("cases/<int:pk>/tags/suggestions/", views.case_tag_suggestions, name="case-tag-suggestions"),
    path("decisions/<int:pk>/graph/", views.decision_graph, name="decision-graph"),
    path("framework/provisions/<str:code>/case-law/", views.provision_case_law, name="provision-case-law"),
]
