"""Pages of the naloxone app."""

from django.urls import path

from beacon.naloxone import views

app_name = "naloxone"

urlpatterns = [
    path("clients/<str:client_number>/", views.client_naloxone, name="client"),
    path("clients/<str:client_number>/supply/", views.supply_record, name="supply"),
    path("clients/<str:client_number>/offer/", views.offer_record, name="offer"),
    path("supply/", views.supply_to_someone, name="supply_other"),
    path("supplies/<int:supply_id>/report/", views.report_record, name="report"),
    path("supplies/<int:supply_id>/reverse/", views.supply_reverse, name="reverse"),
    path("supplies/", views.supplies, name="supplies"),
    path("supplies.csv", views.supplies_csv, name="supplies_csv"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps.csv", views.gaps_csv, name="gaps_csv"),
    path("expiring/", views.expiring, name="expiring"),
    path("expiring.csv", views.expiring_csv, name="expiring_csv"),
    path("stock/", views.stock, name="stock"),
    path("stock.csv", views.stock_csv, name="stock_csv"),
    path("stock/receive/", views.stock_receive, name="receive"),
    path("stock/transfer/", views.stock_transfer, name="transfer"),
    path("stock/write-off/", views.stock_write_off, name="write_off"),
    path("stock/count/", views.stock_count, name="count"),
    path("pharmacy/", views.pharmacy_naloxone, name="pharmacy"),
    path("pharmacy.csv", views.pharmacy_naloxone_csv, name="pharmacy_csv"),
    path("pharmacy/supply/", views.pharmacy_supply, name="pharmacy_supply"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage_csv"),
]
