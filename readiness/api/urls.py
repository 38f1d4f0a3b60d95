from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from readiness.api import after_sales, views

# Shop, promotion and listing ids are the shop's own codes (as in the bundle); job and finding ids are numbers.
v1 = [
    path("shops", views.ShopListApi.as_view(), name="api-shop-list"),
    path("shops/<str:shop>/promotions", views.PromotionListApi.as_view(), name="api-promotion-list"),
    path("shops/<str:shop>/bundles", views.BundleCreateApi.as_view(), name="api-bundle-create"),
    path("shops/<str:shop>/promotions/<str:promotion>/readiness", views.ReadinessApi.as_view(), name="api-readiness"),
    path(
        "shops/<str:shop>/promotions/<str:promotion>/findings", views.FindingListApi.as_view(), name="api-finding-list"
    ),
    path("shops/<str:shop>/promotions/<str:promotion>/runs", views.RunListApi.as_view(), name="api-run-list"),
    path("shops/<str:shop>/listings/<slug:listing>", views.ListingApi.as_view(), name="api-listing"),
    path(
        "shops/<str:shop>/after-sales/records",
        after_sales.AfterSalesRecordsApi.as_view(),
        name="api-after-sales-records",
    ),
    path(
        "shops/<str:shop>/promotions/<str:promotion>/after-sales",
        after_sales.AfterSalesReportApi.as_view(),
        name="api-after-sales",
    ),
    path("shops/<str:shop>/waivers", views.WaiverListApi.as_view(), name="api-waiver-list"),
    path("findings/<int:id>/waiver", views.FindingWaiverApi.as_view(), name="api-finding-waiver"),
    path("jobs/<int:id>", views.JobDetailApi.as_view(), name="api-job-detail"),
    path("scan", views.ScanApi.as_view(), name="api-scan"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include(v1)),
    # Anything else under /api/ is a problem-details 404, whatever the method; [\s\S]: a path may hold a newline
    # (%0A), which `.` alone would not match, leaving Django's HTML 404.
    re_path(r"^[\s\S]*$", views.NotFoundApi.as_view(), name="api-not-found"),
]
