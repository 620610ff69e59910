from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from carecoord.demo import DEMO_APPS, DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoContext


class Command(BaseCommand):
    help = "Create the demo schools, users and data. Idempotent: running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pupils", type=int, default=600, help="Pupils per demo school (default 600; tests use fewer)."
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--scale",
            choices=["demo", "region"],
            default="demo",
            help="region: the region-scale proof instead (50 schools, 100,000 pupils; same as seed_region).",
        )

    def handle(self, *args, pupils, quiet, scale, **options):
        if scale == "region":
            from django.core.management import call_command

            call_command("seed_region", stdout=self.stdout)
            return
        ctx = DemoContext(pupils_per_school=pupils)
        with transaction.atomic():
            for app in DEMO_APPS:
                import_module(f"{app}.demo").seed(ctx)
            import_module("accounts.demo").seed_two_factor(ctx)
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo login uses the password:"))
        self.stdout.write(f"    {DEMO_PASSWORD}\n")
        width = max(len(email) for email, _ in ctx.logins)
        for email, what in ctx.logins:
            self.stdout.write(f"    {email.ljust(width)}  {what}")
        self.stdout.write(
            "\nSecond step (zorgcoordinator, aandachtsfunctionaris, beheerder, partners, admin): the code of an\n"
            f"authenticator app with the key {DEMO_TOTP_SECRET}"
        )
        from django.conf import settings

        bypass = getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)
        if bypass:
            self.stdout.write(f"or, in this development run only, the code {bypass}.")
