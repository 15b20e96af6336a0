"""python manage.py backup DIR: write one dated archive (database, private files, schema version) into DIR."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = "Write a dated backup archive (database, private files, schema version) into DIR; prints its path last."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the folder the archive is written to (created if missing)")
        parser.add_argument("--keep", type=int, help="afterwards keep only the newest N archives of the folder")

    def handle(self, *args, directory: str, keep: int | None = None, **options):
        try:
            archive = backup_create(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if keep:
            for path in backup_prune(directory, keep=keep):
                self.stdout.write(f"removed {path}")
        self.stdout.write(f"{archive.stat().st_size / 1e6:.1f} MB")
        self.stdout.write(str(archive))
