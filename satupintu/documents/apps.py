from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "satupintu.documents"
    label = "documents"
    verbose_name = "Dokumen dan tanda tangan elektronik"

    def ready(self) -> None:
        from satupintu.applications import events
        from satupintu.documents import handlers

        # An approving signature is signed after its short transaction, off the series lock (ADR 0009).
        events.subscribe(events.SignatureRequested, handlers.sign_signature_request)
        # A standard that numbers after every signature issues in the number step's transaction.
        events.subscribe(events.PermitNumbered, handlers.issue_signed_permit)
        events.subscribe(events.Signed, handlers.issue_signed_permit)
