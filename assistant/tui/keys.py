"""Every key binding of the chat app, written down once.

The app builds its ``BINDINGS`` from :data:`APP_KEYS`, and the help screen lists :data:`ALL_KEYS`,
so the help can never disagree with what the keys do. Keys that a widget handles itself (Enter,
Up and Down in the input, Tab between lists) are in :data:`WIDGET_KEYS`, for the help only.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One binding: Textual key names, how people write them, and what the key does."""

    keys: str  # Textual key names, comma-separated
    shown: str  # as printed in the help and the README
    description: str
    action: str | None = None  # app action; None when a widget handles the key
    footer: str | None = None  # short label for the footer, or None to leave it out
    priority: bool = False


APP_KEYS: tuple[Key, ...] = (
    Key("f1", "F1", "Show this help", "help", "Help"),
    Key("f2,ctrl+t", "F2 or Ctrl+T", "Show or hide the topics panel", "toggle_topics", "Topics"),
    Key(
        "f4",
        "F4",
        "Start a training quiz: 10 questions, A-D to answer, Escape back to the chat",
        "start_quiz",
        "Quiz",
    ),
    Key(
        "ctrl+y",
        "Ctrl+Y",
        "Copy the last answer to the clipboard as plain text (for an email or a claim note)",
        "copy_last",
        "Copy",
    ),
    Key("ctrl+s", "Ctrl+S", "Export the conversation to a Markdown file", "export", "Export"),
    Key("ctrl+l", "Ctrl+L", "Clear the conversation (after asking)", "clear", "Clear"),
    Key("f3", "F3", "Switch between the light and dark theme", "toggle_theme", "Theme"),
    Key("pageup", "Page Up", "Scroll the conversation up", "scroll_transcript(-1)"),
    Key("pagedown", "Page Down", "Scroll the conversation down", "scroll_transcript(1)"),
    Key(
        "escape",
        "Escape",
        "Clear the question box; from a list or the topics, go back to the box",
        "focus_input",
    ),
    Key("ctrl+q", "Ctrl+Q", "Quit", "quit", "Quit", priority=True),
)
# Left out of the footer: in a terminal F3 (80 columns hold no more), in a browser tab Ctrl+Q
# (the browser may take it to quit itself), which leaves room for F3.
TERMINAL_HIDDEN = frozenset({"f3"})
BROWSER_HIDDEN = frozenset({"ctrl+q"})

WIDGET_KEYS: tuple[Key, ...] = (
    Key("enter", "Enter", "Ask the question, or choose the highlighted suggestion or topic"),
    Key(
        "up,down", "Up / Down", "Earlier and later questions (in the question box); move in a list"
    ),
    Key(
        "tab,shift+tab", "Tab / Shift+Tab", "Move between the question box, suggestions and topics"
    ),
    Key("ctrl+p", "Ctrl+P", "Command palette: clear, export, topics, theme, quiz, help, copy"),
)

ALL_KEYS: tuple[Key, ...] = WIDGET_KEYS[:3] + APP_KEYS[:-1] + WIDGET_KEYS[3:] + APP_KEYS[-1:]


def bindings(browser: bool = False) -> list[Binding]:
    """The app's bindings, shown in the footer when they have a footer label and are not
    left out there in the terminal (or, with ``browser``, in a browser tab)."""
    hidden = BROWSER_HIDDEN if browser else TERMINAL_HIDDEN
    return [
        Binding(
            k.keys,
            k.action or "",
            k.footer or k.description,
            show=k.footer is not None and k.keys not in hidden,
            priority=k.priority,
        )
        for k in APP_KEYS
    ]
