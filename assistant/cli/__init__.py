"""The command line (`hcpcs-assistant`): parsing, the commands, terminal output and the
terminal quiz."""
