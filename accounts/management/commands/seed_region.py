from django.core.management.base import BaseCommand

from carecoord.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Build a region in an empty database for the region-scale proof (bench/region.py): 50 schools, "
        "100,000 pupils, 5,000 staff, 300 partner professionals, timeline, a school year of absence, concerns, "
        "and the care work in proportion (guardians, facilities, referrals, placements, visits, meetings)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=50)
        parser.add_argument("--pupils", type=int, default=100_000)
        parser.add_argument("--events-per-pupil", type=int, default=20)
        parser.add_argument(
            "--care-only",
            action="store_true",
            help="Add only the care work (facilities, referrals, placements, visits, meetings, guardians) to a "
            "region seeded before it existed.",
        )

    def handle(self, *args, schools, pupils, events_per_pupil, care_only, **options):
        from carecoord.demo_region import seed_region, seed_region_care

        if care_only:
            made = seed_region_care(out=self.stdout.write)
        else:
            made = seed_region(schools=schools, pupils=pupils, events_per_pupil=events_per_pupil, out=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Region ready:"))
        for what, count in made.items():
            self.stdout.write(f"    {what}: {count}")
        self.stdout.write(
            f"Logins: zorgcoordinator1.r001@regio.test (and every role, school R001…) with {DEMO_PASSWORD}"
        )
