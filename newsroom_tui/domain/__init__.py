"""The newsroom's rules: stories, the workflow, checks, history, the copy desk, settings.

No I/O beyond reading the config file, and no UI.
"""
