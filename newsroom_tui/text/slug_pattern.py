"""What a slug may look like, apart from how slugs are made (text.slugs): the story model checks every slug
against it, and loading the slug maker for that cost the first screen milliseconds."""

from __future__ import annotations

import re

__all__ = ["SLUG_PATTERN"]

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # a-z, 0-9, single inner hyphens
