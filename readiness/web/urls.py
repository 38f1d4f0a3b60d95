from django.urls import include, path

from readiness.web import after_sales, dashboard, editor, imports, replace, views

# Listing ids are slugs (letters, digits, '-', '_': readiness.imports.bundle refuses the rest at import), so no id
# can reach another URL ('/', '../'); every link to a listing is built with reverse().
scoped = [
    path("", dashboard.dashboard, name="dashboard"),
    path("overview/", dashboard.details, name="dashboard-details"),
    path("scan", dashboard.rescan, name="rescan"),
    path("runs/<int:run>/progress", dashboard.run_progress, name="run-progress"),
    path("issues/", dashboard.issue_list, name="issues"),
    path("issues.<str:fmt>", dashboard.export_issues, name="issues-export"),
    path("listings/", editor.queue, name="queue"),
    path("replace/", replace.replace_page, name="replace"),
    path("replace/apply", replace.replace_apply, name="replace-apply"),
    path("listings/<slug:listing_id>/edit", editor.listing_edit, name="listing-edit"),
    path("listings/<slug:listing_id>/apply", editor.listing_apply, name="listing-apply"),
    path("listings/<slug:listing_id>/pictures", editor.listing_picture_upload, name="listing-picture-upload"),
    path("pictures/<int:image>", editor.listing_picture, name="listing-picture"),
    path("listings/<slug:listing_id>/", editor.listing_page, name="listing"),
    path("findings/<int:finding>/waive", editor.finding_waive, name="finding-waive"),
    path("waivers/<int:waiver>/lift", editor.waiver_lift, name="waiver-lift"),
    path("after-sales/", after_sales.after_sales_page, name="after-sales"),
    path("imports/", imports.import_page, name="imports"),
    path("imports/columns", imports.import_columns, name="import-columns"),
    path("imports/template.xlsx", imports.import_template, name="import-template"),
    path("imports/<int:job>/", imports.import_job, name="import-job"),
    path("imports/<int:job>/progress", imports.import_progress, name="import-progress"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("shops/new", imports.shop_new, name="shop-new"),
    path("go/", views.switch, name="switch"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("shops/<slug:shop>/promotions/<slug:promotion>/", include(scoped)),
]
