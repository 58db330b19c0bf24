"""The chat app (Textual): ``make_app()`` and ``run()`` in :mod:`assistant.tui.app`."""
