"""`hcpcs-assistant serve`: the chat app in web browsers, with textual-serve."""
