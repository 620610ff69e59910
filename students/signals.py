"""Signals of the students app, for apps that build on it without it knowing them."""

from django.dispatch import Signal

# Sent by the LVS import inside its transaction, after the pupils and guardians are written
# (kwargs: school). The records app suggests family links from shared guardians.
pupils_imported = Signal()
