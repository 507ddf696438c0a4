"""One small state machine for every status field (referral, prescription, delivery stop):
the states a record can be in, where each may go next, and one way to move."""

from collections.abc import Callable, Iterable, Mapping
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)


class StateMachine(Generic[M]):
    """The declared moves of one status field.

    `moves` names, for every state of `states`, the states it may go to next (an empty
    set for a final state); a state left out is a mistake caught when the module loads.
    `refusal(record, to)` words the message a person sees when a move is not allowed.
    """

    def __init__(
        self,
        states: type[models.TextChoices],
        moves: Mapping[str, Iterable[str]],
        *,
        refusal: Callable[[M, str], str],
        field: str = "status",
    ) -> None:
        missing = set(states.values) - set(moves)
        unknown = {to for targets in moves.values() for to in targets} - set(states.values)
        if missing or unknown:
            raise ValueError(f"State machine of {states.__name__}: undeclared {missing | unknown}")
        self.states = states
        self.moves = {state: frozenset(targets) for state, targets in moves.items()}
        self.refusal = refusal
        self.field = field

    def final_states(self) -> frozenset[str]:
        return frozenset(state for state, targets in self.moves.items() if not targets)

    def can_move(self, record: M, to: str) -> bool:
        return to in self.moves[getattr(record, self.field)]

    def move(self, record: M, to: str, *, save: bool = True) -> None:
        """Set the record's status to `to`, or refuse with a ValidationError. With `save`,
        only the status field is written (the caller holds the row lock it needs)."""
        if not self.can_move(record, to):
            raise ValidationError(self.refusal(record, to))
        setattr(record, self.field, to)
        if save:
            record.save(update_fields=[self.field])
