"""Why a store cannot be opened or used; each message says what to change and never holds a password."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The configured store cannot be used."""


class StoreChoiceError(StoreError):
    """The store setting names something this installation cannot open."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or answers with an error."""
