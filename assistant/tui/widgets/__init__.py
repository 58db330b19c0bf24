"""The chat app's widgets. Each posts messages up to the app; the app calls their methods down."""
