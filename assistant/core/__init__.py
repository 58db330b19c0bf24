"""The headless core: the knowledge base (`kb`, `facts`), the domain's words (`lexicon`,
`text`), the answer engine (`understand`, `retrieve`, `compose`, `prebuilt`) and `answer`, the
one function every front end calls. It imports no front end."""
