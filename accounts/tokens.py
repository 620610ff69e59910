"""The tokens of a link to choose a password (the page at `password_reset_confirm`).

Django's reset token ("Wachtwoord vergeten?") works PASSWORD_RESET_TIMEOUT (one day). The
"welkom terug" mail of a colleague who comes back (people.staff_add) is their first way in,
as an invitation is for someone new, so its link lasts as long as an invitation
(INVITATION_DAYS). It has its own salt: a forgotten-password link never lasts a week. Both
are tied to the password (Django's hash value), so a link stops working once it was used.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class WelcomeBackTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.WelcomeBackTokenGenerator"

    def check_token(self, user, token):
        """Django's check (the signature, with SECRET_KEY_FALLBACKS), with an invitation's
        lifetime instead of PASSWORD_RESET_TIMEOUT."""
        from .services.invitations import INVITATION_DAYS

        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > INVITATION_DAYS * 24 * 60 * 60:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


welcome_back_tokens = WelcomeBackTokenGenerator()


class PasswordLinkTokenGenerator(PasswordResetTokenGenerator):
    """What the set-password page accepts: a reset token (one day) or a welcome-back token
    (as long as an invitation). It makes reset tokens, as Django's."""

    def check_token(self, user, token):
        return default_token_generator.check_token(user, token) or welcome_back_tokens.check_token(user, token)


password_link_tokens = PasswordLinkTokenGenerator()
