"""The hub's URLs: the national hub's endpoint names, at the root of the hub's own server (``tacnghiep bus serve``)."""

from django.urls import path

from tacnghiep.bus import views

urlpatterns = [
    path("sendEdoc", views.send_edoc),
    path("getReceivedEdocList", views.received_list),
    path("getEdoc", views.get_edoc),
    path("downloadEdoc", views.download_edoc),
    path("updateStatus", views.update_status),
    path("getSentEdocList", views.sent_list),
    path("countReceiveEdoc", views.count_edoc),
    path("countReceiveStatus", views.count_status),
    path("getAgenciesList", views.agencies_list),
    path("getAgenciesListQD20", views.agencies_list_qd20),
    path("getSynchronizeUnit", views.synchronize_unit),
    path("registerAgency", views.register_agency),
    path("deleteAgency", views.delete_agency),
    path("health/", views.health),
]
