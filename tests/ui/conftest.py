"""Qt test fixtures: no dialog ever blocks; every unexpected error dialog fails the test."""

import pytest

from ui import errors


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch):
    """Record what would have been shown instead of opening modal dialogs."""
    shown = {"messages": [], "errors": []}
    monkeypatch.setattr(errors, "show_message", lambda parent, message, title="": shown["messages"].append(message))
    monkeypatch.setattr(errors.ErrorDialog, "ask",
                        classmethod(lambda cls, parent, message, details: shown["errors"].append(details)))
    return shown
