"""Demo data of this app (see carecoord/demo.py). Idempotent."""


def seed(ctx):
    pass
