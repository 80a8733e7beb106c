from __future__ import annotations

from uuid import UUID

import pytest

from domain.actor import Actor

ID = UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("actor", "text"),
    [
        (Actor.user(ID), f"user:{ID}"),
        (Actor.import_(ID), f"import:{ID}"),
        (Actor.rule(ID), f"rule:{ID}"),
        (Actor.system(), "system"),
    ],
)
def test_an_actor_has_a_stable_string_form(actor: Actor, text: str) -> None:
    assert str(actor) == text


@pytest.mark.parametrize(
    "actor", [Actor.user(ID), Actor.import_(ID), Actor.rule(ID), Actor.system()]
)
def test_parsing_the_string_form_gives_the_actor_back(actor: Actor) -> None:
    assert Actor.parse(str(actor)) == actor


@pytest.mark.parametrize(
    "text", ["", "admin:" + str(ID), "user:", "user:nope", "system:" + str(ID)]
)
def test_parsing_refuses_what_is_not_an_actor(text: str) -> None:
    with pytest.raises(ValueError, match="not an actor"):
        Actor.parse(text)
