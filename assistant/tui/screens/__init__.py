"""The chat app's modal screens: help and export."""
