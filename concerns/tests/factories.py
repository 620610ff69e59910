"""Factories and helpers of the zorgroute tests."""

import uuid

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role
from concerns.models import Concern, ConcernCategory, HandlerKind


class ConcernCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ConcernCategory

    name = factory.Sequence(lambda n: f"Categorie {n}")
    guidance_when = "Als je het ziet."
    guidance_what = "Wat je zag."
    guidance_first = "Praat met de leerling."
    handler_kind = HandlerKind.ROLE
    handler_role = Role.ZORGCOORDINATOR


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = Concern

    school = factory.LazyAttribute(lambda o: o.student.school)
    category = factory.LazyAttribute(lambda o: ConcernCategoryFactory(school=o.school))
    is_meldcode = factory.LazyAttribute(lambda o: o.category.follows_meldcode)
    handler_role = factory.LazyAttribute(lambda o: o.category.handler_role)
    handler_organisation = factory.LazyAttribute(lambda o: o.category.handler_organisation)
    observation = "Komt steeds te laat en is moe."
    submission_key = factory.LazyFunction(uuid.uuid4)


def route(school, organisation=None) -> dict:
    """A small zorgroute: gedrag (coordinator), verzuim (a partner), veiligheid (Meldcode)."""
    categories = {
        "gedrag": ConcernCategoryFactory(school=school, name="Gedrag", guidance_first="Eerst een mentorgesprek."),
        "veiligheid": ConcernCategoryFactory(
            school=school,
            name="Veiligheid",
            follows_meldcode=True,
            handler_role=Role.AANDACHTSFUNCTIONARIS,
            default_urgency=3,
            home_situation=True,
        ),
    }
    if organisation is not None:
        categories["verzuim"] = ConcernCategoryFactory(
            school=school,
            name="Verzuim",
            handler_kind=HandlerKind.ORGANISATION,
            handler_role="",
            handler_organisation=organisation,
        )
    return categories


def form_data(student, category, **extra) -> dict:
    """What the zorgroute form posts (`student`/`category` may be None: left empty)."""
    return {
        "submission_key": str(uuid.uuid4()),
        "student": student.pk if student else "",
        "category": category.pk if category else "",
        "observation": "Zit al twee weken stil achterin en maakt geen huiswerk.",
        "already_done": "Gesprek met de leerling.",
        "urgency": 2,
        **extra,
    }
