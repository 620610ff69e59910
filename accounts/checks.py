"""Start-up checks for the sign-in configuration from the environment (OIDC_PROVIDERS)."""

from django.conf import settings
from django.core import checks

REQUIRED = ("id", "name", "server_url", "client_id")


@checks.register(checks.Tags.security)
def oidc_providers_check(app_configs, **kwargs):
    from .oidc import SECOND_FACTOR_MODES

    errors = []
    providers = settings.OIDC_PROVIDERS
    if not isinstance(providers, list):
        return [checks.Error("OIDC_PROVIDERS must be a JSON list of providers", id="accounts.E001")]
    for number, provider in enumerate(providers, start=1):
        missing = [key for key in REQUIRED if not (isinstance(provider, dict) and provider.get(key))]
        if missing:
            errors.append(checks.Error(f"OIDC_PROVIDERS entry {number} lacks {', '.join(missing)}", id="accounts.E001"))
            continue
        if provider.get("second_factor", "carecoord") not in SECOND_FACTOR_MODES:
            errors.append(
                checks.Error(
                    f"OIDC_PROVIDERS {provider['id']}: second_factor must be one of {', '.join(SECOND_FACTOR_MODES)}",
                    id="accounts.E002",
                )
            )
        if not str(provider["server_url"]).startswith("https://") and not settings.DEBUG:
            errors.append(
                checks.Warning(f"OIDC_PROVIDERS {provider['id']}: server_url is not https", id="accounts.W001")
            )
    return errors
