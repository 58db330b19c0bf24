"""The training quiz's questions, made from the facts tables and the classifier; the terminal
and the chat app only ask them."""
