from __future__ import annotations

from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.errors import InvalidEmail, InvalidText, UserErased
from domain.user import User, normalise_email


def register(email: str = "ada@example.org") -> User:
    user = User.register(id=uuid4(), email=email, password_hash="$argon2id$x", actor=Actor.system())
    user.collect_events()
    return user


def test_a_user_owns_itself() -> None:
    user_id = uuid4()

    user = User.register(id=user_id, email="a@example.org", password_hash="h", actor=Actor.system())

    [registered] = user.collect_events()
    assert isinstance(registered, User.Registered)
    assert registered.owner_id == user.owner_id == user_id


def test_the_email_is_trimmed_and_lower_cased() -> None:
    assert register("  Ada.Lovelace@Example.ORG ").email == "ada.lovelace@example.org"


@pytest.mark.parametrize(
    "email",
    [
        "",
        "ada",
        "ada@",
        "@example.org",
        "ada@example",
        "ada@@example.org",
        "ada lovelace@example.org",
        "ada@exa_mple.org",
        "ada@-example.org",
        "ada.@example.org",
        "ada@exam\nple.org",
        "ada\x00@example.org",
    ],
)
def test_an_address_without_sane_syntax_is_refused(email: str) -> None:
    with pytest.raises(InvalidEmail):
        normalise_email(email)


def test_an_address_over_254_characters_is_refused() -> None:
    with pytest.raises(InvalidEmail):
        normalise_email("a@" + ".".join(["b" * 63] * 4) + ".org")


def test_a_local_part_over_64_characters_is_refused() -> None:
    with pytest.raises(InvalidEmail):
        normalise_email("a" * 65 + "@example.org")


def test_changing_the_password_records_the_new_hash() -> None:
    user = register()

    user.change_password("$argon2id$new", actor=Actor.user(user.id))

    [changed] = user.collect_events()
    assert isinstance(changed, User.PasswordChanged)
    assert user.password_hash == "$argon2id$new"


def test_an_erased_user_refuses_a_password_change() -> None:
    user = register()
    user.erase(actor=Actor.system())

    with pytest.raises(UserErased):
        user.change_password("$argon2id$new", actor=Actor.user(user.id))


def test_erasing_an_erased_user_is_refused() -> None:
    user = register()
    user.erase(actor=Actor.system())

    with pytest.raises(UserErased):
        user.erase(actor=Actor.system())


def test_registration_keeps_optional_names_and_refuses_control_characters() -> None:
    user_id = uuid4()
    user = User.register(
        id=user_id,
        email="a@example.org",
        password_hash="h",
        actor=Actor.user(user_id),
        first_name=" Ada ",
        last_name="Lovelace",
    )
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    with pytest.raises(InvalidText):
        User.register(
            id=user_id,
            email="a@example.org",
            password_hash="h",
            actor=Actor.user(user_id),
            first_name="Ada\x00",
        )


def test_a_user_is_welcomed_once_and_an_erased_user_not_at_all() -> None:
    user = register()
    assert not user.welcomed

    user.mark_welcomed(actor=Actor.system())
    user.mark_welcomed(actor=Actor.system())

    [welcomed] = user.collect_events()
    assert isinstance(welcomed, User.Welcomed)
    assert user.welcomed
    erased = register()
    erased.erase(actor=Actor.system())
    with pytest.raises(UserErased):
        erased.mark_welcomed(actor=Actor.system())
