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
DEMO_APPS = [
    "accounts",
    "students",
    "concerns",
    "referrals",
    "cico",
    "meetings",
    "absence",
    "records",
    "plans",
    "outcomes",
    "handovers",
    "portal",
    "todo",
    "privacy",
]

DEMO_PASSWORD = "Carecoord-demo-2026"

# Names of today's Dutch pupils, parents and staff (Faker's nl_NL lists hold historical and
# geographical oddities such as "Aelftrud van Wessex"): common first names of the last
# decades, common last names with their tussenvoegsels, plain ASCII or Dutch letters only.
# Pupils get children's names, parents and staff adults' names, so no staff member or parent
# has the full name of a pupil (the read-log crawl finds pupils on a page by name). Brouwer and
# Kuipers are left out: the privacy demo's former pupils are called so.
FIRST_NAMES_FEMALE = [
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Sophie",
    "Zoë",
    "Sara",
    "Nora",
    "Yara",
    "Eva",
    "Liv",
    "Lotte",
    "Noor",
    "Lisa",
    "Fleur",
    "Anna",
    "Saar",
    "Nina",
    "Lieke",
    "Isa",
    "Sanne",
    "Femke",
    "Roos",
    "Esmee",
    "Fenna",
    "Jasmijn",
    "Amira",
    "Yasmin",
    "Selin",
    "Elif",
    "Naomi",
    "Iris",
    "Maud",
    "Floor",
    "Hanna",
    "Evi",
    "Lina",
    "Nova",
    "Olivia",
    "Sofie",
    "Elin",
    "Luna",
    "Ivy",
    "Jill",
    "Lara",
    "Romy",
    "Merel",
    "Silke",
    "Vera",
    "Fay",
]
FIRST_NAMES_MALE = [
    "Noah",
    "Sem",
    "Liam",
    "Lucas",
    "Daan",
    "Finn",
    "Levi",
    "Luuk",
    "Mees",
    "Milan",
    "Bram",
    "Jesse",
    "Thijs",
    "Sam",
    "Ruben",
    "Lars",
    "Tim",
    "Jayden",
    "Thomas",
    "Stijn",
    "Niels",
    "Gijs",
    "Max",
    "Julian",
    "Adam",
    "Mohammed",
    "Yusuf",
    "Emir",
    "Kerem",
    "Rayan",
    "Dylan",
    "Siem",
    "Hugo",
    "Jens",
    "Teun",
    "Boaz",
    "Morris",
    "Olivier",
    "Owen",
    "Jurre",
    "Hidde",
    "Ties",
    "Vince",
    "Dex",
    "Cas",
    "Joep",
    "Guus",
    "Ravi",
    "Ayoub",
    "Mats",
]
ADULT_FIRST_NAMES_FEMALE = [
    "Marieke",
    "Ingrid",
    "Petra",
    "Linda",
    "Monique",
    "Sandra",
    "Esther",
    "Karin",
    "Anouk",
    "Miriam",
    "Fatima",
    "Samira",
    "Nadia",
    "Manon",
    "Annemarie",
    "Wendy",
    "Marloes",
    "Chantal",
    "Mirjam",
    "Ilse",
    "Jolanda",
    "Natasja",
    "Hatice",
    "Saskia",
    "Yvonne",
    "Bianca",
]
ADULT_FIRST_NAMES_MALE = [
    "Kevin",
    "Jeroen",
    "Mark",
    "Bas",
    "Rob",
    "Erik",
    "Martijn",
    "Sander",
    "Dennis",
    "Vincent",
    "Hakan",
    "Ahmed",
    "Omar",
    "Pieter",
    "Wouter",
    "Johan",
    "Peter",
    "Ronald",
    "Marcel",
    "Patrick",
    "Frank",
    "Michiel",
    "Arjen",
    "Mustafa",
    "Hans",
    "Richard",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "de Wit",
    "Dijkstra",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de Lange",
    "van Wijk",
    "Postma",
    "Kramer",
    "van den Bosch",
    "Veenstra",
    "Yilmaz",
    "Kaya",
    "El Amrani",
    "Bouzid",
    "Öztürk",
    "Sahin",
    "Haddou",
    "Nguyen",
    "Wijaya",
    "Pinas",
    "Doorson",
    "Tahiri",
    "Benali",
]
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

    def person_name(self, rng: random.Random, *, female: bool | None = None, last_name: str = "") -> str:
        """A realistic Dutch adult's name ('Marieke de Vries') from the lists above, drawn from `rng`."""
        if female is None:
            female = rng.random() < 0.5
        first = rng.choice(ADULT_FIRST_NAMES_FEMALE if female else ADULT_FIRST_NAMES_MALE)
        return f"{first} {last_name or rng.choice(LAST_NAMES)}"

    def rng_for(self, *parts) -> random.Random:
        """A random source of its own for one part of the demo, so adding data elsewhere
        does not change what this part gets."""
        return random.Random("-".join(str(p) for p in ("demo", *parts)))
