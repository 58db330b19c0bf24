"""The topics panel: the knowledge base as an outline, by group, to browse and ask from.

Choosing an entry posts :class:`TopicsPanel.TopicChosen` with the entry's canonical question;
the app asks it. Labels are ``rich.text.Text`` objects, so a title is shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from ...kb import Entry


class TopicsPanel(Tree[Entry]):
    """Groups of the knowledge base with their entries' canonical questions."""

    class TopicChosen(Message):
        """An entry was chosen in the panel."""

        def __init__(self, entry_id: str, question: str) -> None:
            super().__init__()
            self.entry_id = entry_id
            self.question = question

    def __init__(self, groups: dict[str, list[Entry]], *, id: str | None = None) -> None:
        super().__init__(Text("Topics"), id=id)
        self.show_root = False
        self.guide_depth = 2
        for group, entries in groups.items():
            node = self.root.add(Text(f"{group} ({len(entries)})"), expand=False)
            for entry in entries:
                node.add_leaf(Text(entry.title), data=entry)
        self.root.expand()

    def on_focus(self) -> None:
        # Start on the first group, so Enter works at once.
        if self.cursor_line < 0 and self.root.children:
            self.cursor_line = 0

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        event.stop()
        entry = event.node.data
        if entry is not None:
            self.post_message(self.TopicChosen(entry.id, entry.title))
