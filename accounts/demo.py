"""Demo schools, one login per role per school, partner organisations and their users."""

from datetime import date

from .models import (
    HolidayPeriod,
    HolidayRegion,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    School,
    SchoolType,
)

# A region a school recognises: a vmbo school, a havo/vwo school, a primary school (seed 004:
# an IB'er, a kansencoach, the 1-2-3-4-overleg) and a special school with an SO+ group
# (seed 003). Each has its own rhythm of meetings (meetings.demo.SCHEDULE).
SCHOOLS = {
    "waard": ("SG De Waard", "99WA", "dewaard.test"),
    "rivier": ("Het Rivierlyceum", "99RL", "rivierlyceum.test"),
    "aanloop": ("OBS De Aanloop", "99AL", "deaanloop.test"),
    "bolster": ("SO De Bolster", "99BO", "debolster.test"),
}
SCHOOL_TYPES = {"waard": SchoolType.VO, "rivier": SchoolType.VO, "aanloop": SchoolType.PO, "bolster": SchoolType.SO}
PRIMARY_SCHOOLS = ("aanloop", "bolster")
REGION = "Samenwerkingsverband Drechtsteden"

# At a PO/SO school the coordinator is the intern begeleider and the mentor a leerkracht:
# (key suffix) -> (e-mail local part, role). The key suffix stays, so every app's demo finds
# the school's coordinator as ctx.users["zc_<school>"].
PRIMARY_STAFF = {"zc": ("ib", Role.INTERN_BEGELEIDER), "mentor": ("leerkracht", Role.MENTOR)}

# (key suffix, e-mail local part, role, name per school)
STAFF = [
    (
        "zc",
        "zorgcoordinator",
        Role.ZORGCOORDINATOR,
        {"waard": "Renée Kuipers", "rivier": "Samira Benali", "aanloop": "Marije Kloosterman", "bolster": "Jeroen Vos"},
    ),
    (
        "mentor",
        "mentor",
        Role.MENTOR,
        {"waard": "Tom de Graaf", "rivier": "Lotte Verbeek", "aanloop": "Anne Bakker", "bolster": "Fleur Maas"},
    ),
    (
        "coach",
        "coach",
        Role.COACH,
        {"waard": "Jamal Idrissi", "rivier": "Femke Bos", "aanloop": "Linda Postma", "bolster": "Rob Koster"},
    ),
    (
        "leider",
        "schoolleider",
        Role.SCHOOLLEIDER,
        {"waard": "Marieke van Dam", "rivier": "Hans Mulder", "aanloop": "Henriët Kamies", "bolster": "Michiel Blok"},
    ),
    (
        "beheer",
        "beheerder",
        Role.BEHEERDER,
        {"waard": "Kees Janssen", "rivier": "Nicole Smit", "aanloop": "Erik Huisman", "bolster": "Esther Prins"},
    ),
    (
        "af",
        "aandachtsfunctionaris",
        Role.AANDACHTSFUNCTIONARIS,
        {"waard": "Ingrid Hoekstra", "rivier": "Peter Wouters", "aanloop": "Karin Dijkstra", "bolster": "Naomi Pinas"},
    ),
    (
        "verzuim",
        "verzuim",
        Role.VERZUIMCOORDINATOR,
        {"waard": "Ahmed Yilmaz", "rivier": "Sanne Dekker", "aanloop": "Monique Smits", "bolster": "Omar Tahiri"},
    ),
]
ALL_SCHOOLS = list(SCHOOLS)

PARTNERS = [
    # (kind, organisation, schools, e-mail, name)
    (
        OrganisationKind.LEERPLICHT,
        "Leerplicht Drechtsteden",
        ALL_SCHOOLS,
        "leerplicht@partner.test",
        "Osman Kaya",
    ),
    (
        OrganisationKind.JEUGDTEAM,
        "Jeugdteam Zwijndrecht",
        ALL_SCHOOLS,
        "jeugdteam@partner.test",
        "Ellen de Wit",
    ),
    (
        OrganisationKind.SMW,
        "Schoolmaatschappelijk werk Drechtsteden",
        ALL_SCHOOLS,
        "smw@partner.test",
        "Bas Vermeulen",
    ),
    (OrganisationKind.JGZ, "JGZ Zuid-Holland Zuid", ALL_SCHOOLS, "jgz@partner.test", "dr. Anouk Peters"),
    (OrganisationKind.SWV, REGION, ALL_SCHOOLS, "swv@partner.test", "Rixt Feenstra"),
    (OrganisationKind.JEUGDHULP, "Homerun Jeugdhulp", ["rivier"], "jeugdhulp@partner.test", "Patrick Meijer"),
]

# Dutch national school holidays 2026-2027 (rijksoverheid.nl), per holiday region.
HOLIDAYS = [
    (
        "Herfstvakantie",
        {
            "noord": ("2026-10-17", "2026-10-25"),
            "midden": ("2026-10-17", "2026-10-25"),
            "zuid": ("2026-10-10", "2026-10-18"),
        },
    ),
    ("Kerstvakantie", dict.fromkeys(("noord", "midden", "zuid"), ("2026-12-19", "2027-01-03"))),
    (
        "Voorjaarsvakantie",
        {
            "noord": ("2027-02-13", "2027-02-21"),
            "midden": ("2027-02-20", "2027-02-28"),
            "zuid": ("2027-02-06", "2027-02-14"),
        },
    ),
    ("Goede Vrijdag en Pasen", dict.fromkeys(("noord", "midden", "zuid"), ("2027-03-26", "2027-03-29"))),
    ("Meivakantie", dict.fromkeys(("noord", "midden", "zuid"), ("2027-04-24", "2027-05-02"))),
    ("Hemelvaart", dict.fromkeys(("noord", "midden", "zuid"), ("2027-05-06", "2027-05-07"))),
    ("Tweede Pinksterdag", dict.fromkeys(("noord", "midden", "zuid"), ("2027-05-17", "2027-05-17"))),
    (
        "Zomervakantie",
        {
            "noord": ("2027-07-24", "2027-09-05"),
            "midden": ("2027-07-17", "2027-08-29"),
            "zuid": ("2027-07-10", "2027-08-22"),
        },
    ),
]


def seed(ctx):
    for key, (name, brin, domain) in SCHOOLS.items():
        ctx.schools[key], _ = School.objects.get_or_create(
            brin_code=brin,
            defaults={
                "name": name,
                "region": REGION,
                "holiday_region": HolidayRegion.MIDDEN,
                "school_type": SCHOOL_TYPES[key],
                # The care team's shared mailbox: Reply-To of the school's mail, ORGANIZER of its invitations.
                "reply_to_email": f"zorg@{domain}",
            },
        )

    for suffix, local, role, names in STAFF:
        for key, (_name, _brin, domain) in SCHOOLS.items():
            if key in PRIMARY_SCHOOLS and suffix in PRIMARY_STAFF:
                local_here, role_here = PRIMARY_STAFF[suffix]
            else:
                local_here, role_here = local, role
            user = ctx.user(f"{local_here}@{domain}", names[key])
            Membership.objects.get_or_create(user=user, school=ctx.schools[key], role=role_here)
            ctx.users[f"{suffix}_{key}"] = user
            ctx.logins.append((user.email, f"{role_here.label} — {ctx.schools[key].name}"))

    # One person, two schools, two roles: the switcher in the navigation shows both.
    Membership.objects.get_or_create(user=ctx.users["zc_waard"], school=ctx.schools["rivier"], role=Role.MENTOR)

    for kind, org_name, school_keys, email, name in PARTNERS:
        org, _ = Organisation.objects.get_or_create(name=org_name, defaults={"kind": kind})
        org.schools.add(*(ctx.schools[k] for k in school_keys))
        ctx.organisations[str(kind)] = org
        ctx.users[f"partner_{kind}"] = ctx.user(email, name, organisation=org)
        ctx.logins.append((email, f"{kind.label} — {org_name}"))

    ctx.user("admin@carecoord.test", "Technisch beheer", is_staff=True, is_superuser=True)
    ctx.logins.append(("admin@carecoord.test", "Django-admin (technisch beheer, geen schoolrol)"))
    _onboarding(ctx)

    for name, per_region in HOLIDAYS:
        for region, (start, end) in per_region.items():
            HolidayPeriod.objects.get_or_create(
                name=name,
                region=region,
                school=None,
                defaults={"start": date.fromisoformat(start), "end": date.fromisoformat(end)},
            )


def _onboarding(ctx):
    """Applicatiebeheer and invitations (issue 22), made through the services the screens use:
    a partner organisation added by applicatiebeheer with its contact person invited, and at
    each school one accepted and one open staff invitation."""
    from carecoord.demo import DEMO_PASSWORD

    from . import services
    from .models import Invitation, User
    from .services.invitations import token_hash

    region_admin = ctx.user("regio@carecoord.test", "Yvonne Regiobeheer", is_application_admin=True)
    ctx.logins.append((region_admin.email, "applicatiebeheer (scholen en partners, geen leerlinggegevens)"))
    if not Organisation.objects.filter(name="Jongerenwerk Diverz").exists():
        diverz = services.organisation_save(
            actor=region_admin,
            name="Jongerenwerk Diverz",
            kind=OrganisationKind.JONGERENWERK,
            schools=list(ctx.schools.values()),
        )
        services.organisation_contact_invite(
            actor=region_admin, organisation=diverz, email="diverz@partner.test", name="Mo Bouzid"
        )
    for key, (_name, _brin, domain) in SCHOOLS.items():
        beheerder, school = ctx.users[f"beheer_{key}"], ctx.schools[key]
        accepted = f"nieuwecoach@{domain}"
        if not User.objects.filter(email=accepted).exists():
            _user, invitation = services.invitation_create(
                actor=beheerder, school=school, email=accepted, name="Nieuwe Coach", roles=[Role.COACH]
            )
            token = f"demo-accepted-{key}"
            Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash(token))
            services.invitation_accept(token=token, password=DEMO_PASSWORD)
        if not User.objects.filter(email=f"nieuwementor@{domain}").exists():
            services.invitation_create(
                actor=beheerder,
                school=school,
                email=f"nieuwementor@{domain}",
                name="Nieuwe Mentor",
                roles=[Role.MENTOR],
            )


def seed_two_factor(ctx):
    """Every demo login that must use a second factor gets an authenticator app with the
    documented demo key (carecoord.demo.DEMO_TOTP_SECRET), so nobody has to enrol a phone to
    try the demo. Runs after every app's seed (they add users too)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from carecoord.access.twofactor import two_factor_required
    from carecoord.demo import DEMO_TOTP_SECRET

    from .models import User

    enrolled = set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", flat=True))
    for user in User.objects.filter(email__endswith=".test"):
        if user.pk not in enrolled and two_factor_required(user):
            TOTP.activate(user, DEMO_TOTP_SECRET)
