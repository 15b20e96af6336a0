from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("meetings/", include("evaluations.urls_meetings")),
    path("campaigns/", include("evaluations.urls_campaigns")),
]
