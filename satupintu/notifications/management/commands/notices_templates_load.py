"""Add the shipped default notice templates that are missing (never overwrites an edited one)."""

from django.core.management.base import BaseCommand

from satupintu.notifications.templates import default_templates_install


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"{default_templates_install()} default template(s) added.")
