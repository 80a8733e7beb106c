"""Domain errors: what went wrong, in words a person can read. No HTTP here.

The edge maps the four families to a response: ``NotFound``, ``Conflict``, ``RuleBroken`` and the
``DomainError`` base. Subclasses carry the values they complain about, for logs and problem details.
"""

from __future__ import annotations

from uuid import UUID


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):  # noqa: N818 - the family names read as HTTP's do
    """Something named by id does not exist (raised by the application, which loads aggregates)."""


class Conflict(DomainError):  # noqa: N818 - the family names read as HTTP's do
    """The command raced another change (raised by the application, which saves aggregates)."""


class RuleBroken(DomainError):  # noqa: N818 - the family names read as HTTP's do
    """The command breaks a rule of the domain; repeating it unchanged fails the same way."""


class InvalidMoney(RuleBroken):
    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


class MalformedAmount(InvalidMoney):
    def __init__(self, text: str) -> None:
        super().__init__(
            "an amount is written as digits with an optional sign and decimal point", text
        )


class AmountOutOfRange(InvalidMoney):
    def __init__(self, text: str) -> None:
        super().__init__("an amount must be below 10^15 in absolute value", text)


class TooManyDecimals(InvalidMoney):
    def __init__(self, text: str, currency: str, minor_units: int) -> None:
        super().__init__(f"{currency} amounts have at most {minor_units} decimals", text)
        self.currency = currency
        self.minor_units = minor_units


class UnknownCurrency(RuleBroken):
    def __init__(self, currency: str) -> None:
        super().__init__(f"{currency!r} is not an ISO 4217 currency code")
        self.currency = currency


class CurrencyMismatch(RuleBroken):
    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"expected an amount in {expected}, got {actual}")
        self.expected = expected
        self.actual = actual


class InvalidText(RuleBroken):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidEmail(RuleBroken):
    def __init__(self, reason: str) -> None:
        super().__init__(f"e-mail address: {reason}")
        self.reason = reason


class AccountClosed(RuleBroken):
    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} is closed")
        self.account_id = account_id


class AccountAlreadyClosed(RuleBroken):
    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} is already closed")
        self.account_id = account_id


class AccountNotClosed(RuleBroken):
    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} is not closed")
        self.account_id = account_id


class TransactionDeleted(RuleBroken):
    def __init__(self, transaction_id: UUID) -> None:
        super().__init__(f"transaction {transaction_id} is deleted")
        self.transaction_id = transaction_id


class TransactionNotDeleted(RuleBroken):
    def __init__(self, transaction_id: UUID) -> None:
        super().__init__(f"transaction {transaction_id} is not deleted")
        self.transaction_id = transaction_id


class SplitDoesNotBalance(RuleBroken):
    """The split lines do not add up to the transaction's amount, in its currency."""


class CategoryOfAnotherOwner(RuleBroken):
    def __init__(self, category_id: UUID) -> None:
        super().__init__(f"category {category_id} belongs to another user")
        self.category_id = category_id


class CategoryArchived(RuleBroken):
    def __init__(self, category_id: UUID) -> None:
        super().__init__(f"category {category_id} is archived")
        self.category_id = category_id


class CategoryCycle(RuleBroken):
    def __init__(self, category_id: UUID, parent_id: UUID) -> None:
        super().__init__(f"moving category {category_id} under {parent_id} would make a cycle")
        self.category_id = category_id
        self.parent_id = parent_id


class UserErased(RuleBroken):
    def __init__(self, user_id: UUID) -> None:
        super().__init__(f"user {user_id} is erased")
        self.user_id = user_id
