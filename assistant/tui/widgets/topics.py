"""The topics panel: the knowledge base as an outline, by group, to browse and ask from.

Choosing an entry posts :class:`TopicsPanel.TopicChosen` with the entry's canonical question;
the app asks it. Labels are ``rich.text.Text`` objects, so a title is shown literally.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from assistant.core.kb import Entry


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
        self.load(groups)

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        """A label cut to the panel's width with an ellipsis: no line is wider than the panel,
        so it never scrolls sideways."""
        label = super().render_label(node, base_style, style)
        depth = len(_ancestors(node)) - 2  # 0 for a group, 1 for its entries (no root shown)
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:  # keep room for it: opening a group may add it
            width -= self.styles.scrollbar_size_vertical
        room = width - max(0, depth) * self.guide_depth
        if room > 0 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    def load(self, groups: dict[str, list[Entry]]) -> None:
        """Fill the panel with the knowledge base's groups (when it is loaded after start)."""
        self.clear()
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


def _ancestors(node: TreeNode) -> list[TreeNode]:
    """The node and its parents up to the root (included)."""
    chain = [node]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return chain
