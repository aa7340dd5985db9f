"""The `newsroom` command line: parse, call the use cases, print."""
