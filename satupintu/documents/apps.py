from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "satupintu.documents"
    label = "documents"
    verbose_name = "Dokumen dan tanda tangan elektronik"

    def ready(self) -> None:
        from satupintu.applications import events
        from satupintu.documents import handlers

        # In the step's transaction: the signed permit commits (or rolls back) with the signature.
        # The letter is final when the number exists and the signature is given, in either order.
        events.subscribe(events.PermitNumbered, handlers.issue_signed_permit)
        events.subscribe(events.Signed, handlers.issue_signed_permit)
