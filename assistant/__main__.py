"""`python -m assistant`: the same as the `hcpcs-assistant` command."""

from assistant.cli.main import entry

entry()
