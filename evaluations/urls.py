from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("meetings/", include("evaluations.meetings.urls")),
    path("campaigns/", include("evaluations.campaigns.urls")),
]
