"""python manage.py restore ARCHIVE [--force]: restore a backup into the configured database and MEDIA_ROOT."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured database (which may be empty, not even migrated) and "
        "the private files folder. Refuses an archive of a newer schema, and a database holding data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args, archive: str, force: bool = False, **options):
        try:
            summary = backup_restore(archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary.archive} (made {summary.created_at}, {summary.engine}): "
            f"{summary.private_files} private files; migrations applied."
        )
