from django.urls import path

from capabilities import edition_views, views

app_name = "editions"

urlpatterns = [
    path("", views.edition_list_view, name="list"),
    # National administrators: upload, map and publish a new edition (capabilities.edition_views).
    path("upload/", edition_views.edition_upload_view, name="upload"),
    path("<slug:code>/changes/", edition_views.edition_changes_view, name="changes"),
    path("<slug:code>/mapping/", edition_views.edition_mapping_view, name="mapping"),
    path("<slug:code>/mapping/upload/", edition_views.mapping_upload_view, name="mapping-upload"),
    path("<slug:code>/mapping/retired/<slug:kind>/", edition_views.retire_view, name="retire"),
    path("<slug:code>/mapping/requirements/<text:ref>/", edition_views.map_requirement_view, name="map-requirement"),
    path("<slug:code>/mapping/threats/<text:ref>/", edition_views.map_threat_view, name="map-threat"),
    path("<slug:code>/publish/", edition_views.edition_publish_view, name="publish"),
    path("<slug:code>/", views.edition_detail_view, name="detail"),
    # Refs such as "3.2(a)(i)" hold dots and parentheses: <text:> takes anything but "/" and control
    # characters (core.converters).
    path("<slug:code>/requirements/<text:ref>/", views.requirement_detail_view, name="requirement"),
]
