"""The chat app's two themes: a high-contrast light one for projectors, and a dark one.

The light theme is black on white with dark accents, because a projected image loses contrast
(pale greys and yellow all but vanish on a bright wall). The dark one is for all-day use in a
terminal. ``--theme light|dark`` chooses at start; F3 switches.
"""

from __future__ import annotations

from textual.theme import Theme

LIGHT = Theme(
    name="hcpcs-light",
    primary="#0b3d91",  # deep blue
    secondary="#4a148c",
    accent="#8a3b00",  # dark orange
    warning="#8a4b00",
    error="#a50021",
    success="#1b5e20",
    foreground="#000000",
    background="#ffffff",
    surface="#f2f4f7",
    panel="#e3e8ef",
    dark=False,
    variables={
        "text-muted": "#3f4650",
        "footer-key-foreground": "#0b3d91",
        "footer-description-foreground": "#000000",
        "block-cursor-background": "#0b3d91",
        "block-cursor-foreground": "#ffffff",
        "block-cursor-blurred-background": "#0b3d91 20%",
        "block-cursor-blurred-foreground": "#000000",
        "input-selection-background": "#0b3d91 30%",
        "markdown-h1-color": "#0b3d91",
        "markdown-h2-color": "#0b3d91",
        "markdown-h3-color": "#0b3d91",
        "markdown-h4-color": "#000000",
    },
)

DARK = Theme(
    name="hcpcs-dark",
    primary="#3d9be9",
    secondary="#7e57c2",
    accent="#ffb74d",
    warning="#ffb74d",
    error="#ef5350",
    success="#66bb6a",
    foreground="#e6e6e6",
    background="#161a1f",
    surface="#1e242b",
    panel="#28303a",
    dark=True,
    variables={
        "text-muted": "#a4adb8",
        "footer-key-foreground": "#6cb6ff",
        "block-cursor-background": "#3d9be9",
        "block-cursor-foreground": "#000000",
        "input-selection-background": "#3d9be9 35%",
    },
)

THEMES = {"light": LIGHT, "dark": DARK}
DEFAULT = "dark"


def theme_name(choice: str | None) -> str:
    """The registered theme for ``light``, ``dark`` or None (the terminal default, dark)."""
    return THEMES.get(choice or DEFAULT, THEMES[DEFAULT]).name


def switched(dark: bool) -> str:
    """The theme to switch to: the light one from any dark theme, the dark one from a light one."""
    return LIGHT.name if dark else DARK.name
