from .factories import leerplicht_org, leerplicht_user  # noqa: F401  (fixtures)
