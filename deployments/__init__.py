"""One module per Serve deployment of the writing graph."""
