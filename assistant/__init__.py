"""hcpcs-assistant: answers medical billing questions about CPT and HCPCS codes, offline."""

__version__ = "0.1.0"
PROG = "hcpcs-assistant"  # the program's name: its command, its package, its messages
