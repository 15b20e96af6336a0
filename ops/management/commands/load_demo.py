"""Load the small demo province once and print the demo users' passwords (they are shown only now).

Here, beside the layers, because it puts the whole product together: the tree (cells), every app's
demo extension, and the reports queued for the worker (reports)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cells.demo import PROVINCE_CODE, SMALL_USERS, build_small_province, run_extensions
from cells.models import Organization, RoleAssignment
from evaluations.campaigns.demo_grassroots import OFFICE_USERNAME
from reports.services import report_runs_queue_demo


class Command(BaseCommand):
    help = "Load the demo province built from the seed plans (once), with a user for every role."

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true", help="Give the demo users new passwords.")

    def handle(self, *args, reset_passwords: bool = False, **options):
        if Organization.objects.filter(code=PROVINCE_CODE).exists():
            if reset_passwords:
                self._print(self._reset())
            else:
                self.stdout.write(
                    "Demo data already loaded (passwords were printed then; --reset-passwords prints new ones)."
                )
            return
        context = build_small_province()
        run_extensions(context)
        self._ensure_admin(context.passwords)
        self._queue_reports(context)
        self._print(context.passwords)

    def _queue_reports(self, context) -> None:
        """Last quarter's and last year's reports, queued now for the worker: a new user finds them waiting."""
        runs = report_runs_queue_demo(province=context.province)
        self.stdout.write(f"Queued {len(runs)} reports of the demo province for the worker to build.")

    def _ensure_admin(self, passwords: dict) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            password = f"{secrets.token_hex(3)}-{secrets.token_hex(3)}"
            user_model.objects.create_superuser("admin", "admin@example.invalid", password)
            passwords["admin"] = password

    def _reset(self) -> dict:
        passwords = {}
        usernames = [u[0] for u in SMALL_USERS] + [OFFICE_USERNAME, "admin"]
        for user in get_user_model().objects.filter(username__in=usernames):
            password = f"{secrets.token_hex(3)}-{secrets.token_hex(3)}"
            user.set_password(password)
            user.save(update_fields=["password"])
            passwords[user.username] = password
        return passwords

    def _print(self, passwords: dict) -> None:
        # Each user's roles as they stand today, read back from the database: the demo's extensions add
        # users of their own (the ward's office), and the reform moved some users' posts.
        roles = {"admin": "superuser"}
        for assignment in (
            RoleAssignment.objects.current()
            .filter(user__username__in=passwords)
            .select_related("user", "organization")
            .order_by("pk")
        ):
            line = f"{assignment.get_role_display()} · {assignment.organization.code}"
            roles[assignment.user.username] = ", ".join(filter(None, [roles.get(assignment.user.username), line]))
        self.stdout.write(self.style.SUCCESS("Demo users (write the passwords down: they are shown only once):"))
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<18} {password:<16} {roles.get(username, '')}")
