"""Parts of the settings that are a topic of their own, built from the environment by
carecoord/settings.py (which stays one readable list of values). No Django imports here:
the settings load before the apps."""
