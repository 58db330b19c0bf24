"""The export dialog (Ctrl+S): where to write the conversation, with a default in the
current directory. It returns the path as typed (or None when cancelled); the app writes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


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
