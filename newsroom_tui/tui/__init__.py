"""The desk: the Textual front end. Only this package imports Textual."""
