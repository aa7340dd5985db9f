"""The desk's panes: each owns its widgets and tells the desk what happened through typed messages."""
