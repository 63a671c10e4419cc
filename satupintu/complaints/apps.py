from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "satupintu.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"

    def ready(self) -> None:
        # The monthly schedule lives in notifications (a lower layer): register the report drafter there.
        from satupintu.complaints.monthly import reports_draft_last_month
        from satupintu.notifications.scans import complaint_report_drafter_register

        complaint_report_drafter_register(reports_draft_last_month)
