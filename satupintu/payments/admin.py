"""Bills, payments, refunds and rates in the admin: read-only (every change goes through the services)."""

from django.contrib import admin

from satupintu.payments.models import Bill, ExchangeRate, Payment, Refund


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bill)
class BillAdmin(ReadOnly):
    list_display = ["number", "office", "amount", "status", "issued_at", "due_at", "paid_at"]
    list_filter = ["office", "status"]
    search_fields = ["number", "payment_code", "application__number"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["bill", "channel", "reference", "amount", "paid_at", "accepted", "receipt_number"]
    list_filter = ["office", "channel", "accepted"]
    search_fields = ["reference", "receipt_number", "bill__number"]


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    list_display = ["bill", "amount", "reference", "refunded_at"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnly):
    list_display = ["office", "currency", "date", "rate", "source"]
    list_filter = ["office", "currency"]
