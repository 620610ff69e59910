"""The demo data framework: `manage.py seed_demo` runs each app's `demo.seed(ctx)`.

Every app that has something to show adds it in its own `demo.py`. Seeds must be
idempotent (running twice changes nothing): look rows up by a natural key and create
only what is missing. Random choices come from `ctx.rng` / `ctx.faker`, both seeded,
so a fresh database always gets the same demo.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker

# In dependency order; each module has `seed(ctx)`.
DEMO_APPS = ["accounts", "students", "concerns", "referrals", "meetings", "absence", "records"]

DEMO_PASSWORD = "Carecoord-demo-2026"
# The authenticator-app key of every demo login that needs a second factor (README, demo
# logins): add it to an authenticator app, or type 000000 in `make run` (DEBUG only).
DEMO_TOTP_SECRET = "CARECOORDDEMOCARECOORDDEMO234567"


@dataclass
class DemoContext:
    pupils_per_school: int = 600
    today: date = field(default_factory=timezone.localdate)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    faker: Faker = field(default_factory=lambda: Faker("nl_NL"))
    schools: dict = field(default_factory=dict)  # key -> School ("waard", "rivier")
    users: dict = field(default_factory=dict)  # key -> User (see accounts.demo)
    organisations: dict = field(default_factory=dict)  # kind -> Organisation
    students: dict = field(default_factory=dict)  # school key -> [Student] (students.demo)
    logins: list = field(default_factory=list)  # (e-mail, what this login shows)

    def __post_init__(self):
        self.faker.seed_instance(2026)

    @cached_property
    def password_hash(self) -> str:
        # Hash the demo password once: hashing it per user would take seconds per school.
        return make_password(DEMO_PASSWORD)

    def user(self, email: str, name: str, **extra):
        """The demo user with this e-mail, created with the demo password if missing."""
        from accounts.models import User

        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(email=email, name=name, password=self.password_hash, **extra)
        return user

    def rng_for(self, *parts) -> random.Random:
        """A random source of its own for one part of the demo, so adding data elsewhere
        does not change what this part gets."""
        return random.Random("-".join(str(p) for p in ("demo", *parts)))
