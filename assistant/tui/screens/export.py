"""The export dialog (Ctrl+S in the terminal): where to write the conversation, with a default in
the user's documents folder. It returns the path as typed (or None when cancelled); the app
writes. :class:`ReplaceScreen` asks before an existing file is replaced."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class ExportScreen(ModalScreen[str | None]):
    """Ask for a file path; Enter exports, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_path: str, directory: str, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.default_path = default_path
        self.directory = directory
        self.cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export conversation"
            dialog.border_subtitle = "Enter to save · Escape to cancel"
            yield Static(
                Content(
                    "Save the conversation as a Markdown file. Type a file or folder name; "
                    f"a relative one is in {self.directory}"
                ),
                markup=False,
            )
            box = Input(value=self.default_path, id="export-path", select_on_focus=False)
            box.cursor_blink = self.cursor_blink
            yield box

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReplaceScreen(ModalScreen[bool]):
    """``PATH`` exists: replace it? Y or the Replace button replace it; N, Escape or Enter on
    the focused Cancel button keep it."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Keep the file"),
        Binding("y", "answer(True)", "Replace it"),
    ]

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="replace-dialog") as dialog:
            dialog.border_title = "Replace the file?"
            dialog.border_subtitle = "Y to replace · N or Escape to keep it"
            yield Static(
                Content(f"{self.path} already exists. Replace it with this conversation?"),
                markup=False,
            )
            with Horizontal(id="replace-buttons"):
                yield Button("Cancel", id="keep", variant="primary")
                yield Button("Replace", id="replace", variant="error")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "replace")

    def action_answer(self, replace: bool) -> None:
        self.dismiss(replace)
