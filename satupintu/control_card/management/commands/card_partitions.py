"""The control card's yearly partitions on PostgreSQL: list, make ahead, move years out of the default."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from satupintu.control_card.partitions import (
    default_years,
    is_partitioned,
    partitions_ensure,
    partitions_list,
    partitions_move_default,
)


class Command(BaseCommand):
    help = (
        "Partisi tahunan kartu kendali (PostgreSQL): buat partisi tahun ini dan dua tahun ke depan, "
        "tampilkan isinya; --move-default memindahkan entri yang jatuh ke partisi default ke partisi "
        "tahunnya (satu transaksi, kunci eksklusif: jalankan pada jam pemeliharaan)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--move-default",
            action="store_true",
            help="buat partisi bagi tahun yang entrinya ada di partisi default dan pindahkan entrinya",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_partitioned(connection):
            self.stdout.write("Kartu kendali tidak dipartisi (SQLite, atau migrasi belum dijalankan).")
            return
        try:
            lines = partitions_move_default(connection) if options["move_default"] else []
        except DatabaseError as exc:
            raise CommandError(f"Pemindahan dibatalkan, tidak ada yang berubah: {exc}") from exc
        lines += partitions_ensure(connection)
        for line in lines:
            self.stdout.write(line)
        for name, rows in partitions_list(connection):
            self.stdout.write(f"{name}: ± {rows} entri (perkiraan statistik)")
        stuck = default_years(connection)
        if stuck:
            self.stdout.write(
                self.style.WARNING(
                    "Tahun di partisi default: " + ", ".join(map(str, stuck)) + " (jalankan dengan --move-default)"
                )
            )
