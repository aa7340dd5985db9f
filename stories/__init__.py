"""Sample stories in the portal's wire format, shipped as `newsroom_tui.sample_stories`."""
