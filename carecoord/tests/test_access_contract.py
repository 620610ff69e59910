"""Every role and rule lives in carecoord/access/: a privacy review reads that package only.

Two contracts, run with the suite (so in CI):

1. No product code outside carecoord/access/ decides by role. The test reads every product
   module (not tests, migrations, demo data or benchmarks) and every template, and fails on:
   - a role constant: `Role.ZORGCOORDINATOR`, `Role.values`, … (`Role.choices` and
     `Role(value).label` only name roles and stay allowed);
   - a role question: `has_role(...)`, `roles_at(...)`, `school_ids_with_role(...)`, or a
     read of `request.roles`;
   - a constant of the access package (`access.PARTNER`, `ABSENCE_STAFF`, …);
   - a query on roles: a `role`/`memberships__role` lookup outside the accounts app (which
     writes the memberships), or `.is_superuser` / `.is_staff`;
   - in a template, an `{% if %}` on a role, a membership, `is_superuser`, `is_staff` or
     `perms`: templates get `can_*` flags from their view.
   The few places that only *name* a role (a label, an order) are listed in ALLOWED with the
   reason; an entry that no longer matches anything fails too, so the list stays true.

2. Every action in the access registry (`carecoord/access/core.py`) has a denial test: a
   test marked `@pytest.mark.denies("action", ...)`. The root conftest.py checks at run time
   that, in a marked test, the action's rule was asked and refused at least once; this test
   reads the test files and fails for an action that no test claims (or a claim of an
   action that does not exist).
"""

import ast
import re
from pathlib import Path

from django.conf import settings

from carecoord.access import core

ROOT = Path(settings.BASE_DIR)
APPS = [
    "accounts",
    "absence",
    "audit",
    "carecoord",
    "cico",
    "concerns",
    "handovers",
    "meetings",
    "notifications",
    "outcomes",
    "portal",
    "privacy",
    "records",
    "referrals",
    "students",
]
ROLE_QUESTIONS = {"has_role", "roles_at", "school_ids_with_role"}
ROLE_LOOKUP = re.compile(r"(^|__)role(__in)?$")
QUERY_METHODS = {"filter", "exclude", "get", "get_or_create", "update_or_create"}

# (path, finding) -> why it is not an access decision.
ALLOWED = {
    ("carecoord/middleware.py", "roles_at()"): "puts the roles on the request once, for the menu's labels",
    ("carecoord/navigation.py", "request.roles"): (
        "the role labels under the user's name, and part of the cache key of the menu (each app's items ask access)"
    ),
    ("concerns/models.py", "Role.ZORGCOORDINATOR"): "the label a Meldcode case's raiser sees as its handler",
    ("meetings/forms.py", "Role.MENTOR"): "orders the participant checkboxes (those who are only mentor last)",
    ("accounts/staff_import.py", "Role.MENTOR"): "a line rule of the staff import: the classes column is for mentors",
    ("accounts/staff_import.py", "Role.INTERN_BEGELEIDER"): "the names a school's own staff list gives the IB'er",
    ("accounts/words.py", "Role.MENTOR"): "a primary school names the mentor role leerkracht (its label)",
    ("students/templates/students/student_file.html", "{% if link.role %}"): "a partner's free-text role at the pupil",
}


def _product_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if {"tests", "migrations"} & set(rel.parts) or any(p.startswith("demo") for p in rel.parts):
                continue
            if rel.parts[:2] == ("carecoord", "access"):
                continue  # the one place where roles are decided
            yield rel


def _findings_in_python(rel: Path, source: str | None = None) -> list[tuple[int, str]]:
    tree = ast.parse((ROOT / rel).read_text() if source is None else source, filename=str(rel))
    in_accounts = rel.parts[0] == "accounts"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id == "Role" and node.attr not in {"choices", "labels"}:
                found.append((node.lineno, f"Role.{node.attr}"))
            if isinstance(base, ast.Name) and base.id == "access" and node.attr.isupper():
                found.append((node.lineno, f"access constant {node.attr}"))
            if node.attr == "roles" and isinstance(node.ctx, ast.Load):
                found.append((node.lineno, "request.roles"))
            if node.attr in {"is_superuser", "is_staff"}:
                found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ROLE_QUESTIONS:
                found.append((node.lineno, f"{name}()"))
            for keyword in node.keywords:
                arg = keyword.arg or ""
                if arg.startswith("memberships__role") or (
                    ROLE_LOOKUP.search(arg) and name in QUERY_METHODS and not in_accounts
                ):
                    found.append((node.lineno, f"lookup {arg}"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("carecoord.access"):
            for alias in node.names:
                if alias.name.isupper():
                    found.append((node.lineno, f"access constant {alias.name}"))
                if alias.name in ROLE_QUESTIONS:
                    found.append((node.lineno, f"{alias.name}()"))
    return found


TEMPLATE_IF = re.compile(r"{%\s*(?:if|elif)\b(.*?)%}", re.S)
TEMPLATE_ROLE = re.compile(r"\b(roles?|memberships?|is_superuser|is_staff|perms)\b")


def _findings_in_templates() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(ROOT.rglob("*.html")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "static", "staticfiles", "artifacts", "node_modules"}:
            continue
        text = path.read_text()
        for match in TEMPLATE_IF.finditer(text):
            if TEMPLATE_ROLE.search(match.group(1)):
                found.append((str(rel), text.count("\n", 0, match.start()) + 1, match.group(0)))
    return found


def test_no_code_outside_the_access_package_decides_by_role():
    problems, used = [], set()
    for rel in _product_modules():
        for line, finding in _findings_in_python(rel):
            key = (str(rel), finding)
            if key in ALLOWED:
                used.add(key)
            else:
                problems.append(f"{rel}:{line}: {finding}")
    for rel, line, tag in _findings_in_templates():
        if (rel, tag) in ALLOWED:
            used.add((rel, tag))
        else:
            problems.append(f"{rel}:{line}: {tag}")
    assert not problems, "Role decisions outside carecoord/access/ (ask `access` instead):\n" + "\n".join(problems)
    stale = set(ALLOWED) - used
    assert not stale, f"ALLOWED lists what is no longer there: {sorted(stale)}"


def test_the_scan_sees_a_role_decision():
    """The scanner itself: each kind of role decision is found (else the contract above
    could pass by reading nothing)."""
    sample = (
        "from carecoord.access.core import PARTNER, has_role\n"
        "def view(request, user, school):\n"
        "    if Role.MENTOR in request.roles or access.has_role(user, school, 'coach'):\n"
        "        return User.objects.filter(memberships__role='mentor', is_active=user.is_superuser)\n"
    )
    kinds = {finding for _line, finding in _findings_in_python(Path("students/views.py"), sample)}
    assert kinds == {
        "access constant PARTNER",
        "has_role()",
        "Role.MENTOR",
        "request.roles",
        "lookup memberships__role",
        "is_superuser",
    }
    assert len(list(_product_modules())) > 50
    assert TEMPLATE_ROLE.search(TEMPLATE_IF.search("{% if 'mentor' in roles %}").group(1))


def _claimed_denials() -> dict[str, list[str]]:
    """Actions named in `@pytest.mark.denies(...)` anywhere in the tests, with the tests."""
    claimed: dict[str, list[str]] = {}
    for path in sorted(ROOT.rglob("test_*.py")):
        if ".venv" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "denies" and ast.unparse(func.value) == "pytest.mark":
                for arg in node.args:
                    claimed.setdefault(ast.literal_eval(arg), []).append(str(path.relative_to(ROOT)))
    return claimed


def test_every_registered_action_has_a_denial_test():
    registered = set(core.actions())
    claimed = _claimed_denials()
    missing = sorted(registered - set(claimed))
    assert not missing, "Actions without a test marked @pytest.mark.denies(...):\n" + "\n".join(missing)
    unknown = sorted(set(claimed) - registered)
    assert not unknown, f"@pytest.mark.denies names actions that are not registered: {unknown}"
