from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cells import auth, pwa
from cells import views as cells_views
from ops import views as ops_views

urlpatterns = [
    path("", cells_views.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("preferences/", cells_views.preferences, name="preferences"),
    path("orgs/", include("cells.urls")),
    path("workbooks/", include("cells.workbook.urls")),
    path("criteria/", include("criteria.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("reports/", include("reports.urls")),
    path("ops/", include("ops.urls")),
    path("healthz", ops_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
