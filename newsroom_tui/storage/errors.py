"""What a store can fail with, apart from the store: the desk and the command line catch these before they
need a store at all (the first screen is drawn before `storage.store`, TinyDB and the archive search load)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsroom_tui.domain.model import Story

__all__ = [
    "ConflictError",
    "SlugTakenError",
    "StoreBusyError",
    "StoreCorruptError",
    "StoreError",
    "StoreLostCommitsError",
    "StoreReadOnlyError",
    "StoryNotFoundError",
]


class StoreError(Exception):
    """A store problem; str() is one sentence a desk editor can act on."""


class StoreCorruptError(StoreError):
    """The store file is damaged or not a story store; it was left untouched."""


class StoreLostCommitsError(StoreCorruptError):
    """The journal lost commits that were acknowledged (the revisions file holds them); nothing was cut."""


class StoreReadOnlyError(StoreError):
    """The store file may not be written: no write permission for this user, or no write bits at all."""


class StoreBusyError(StoreError):
    """Another process held the store's lock for longer than `lock_timeout`."""


class ConflictError(StoreError):
    """The story was saved by someone else since the caller loaded it; nothing was overwritten."""

    def __init__(self, story_id: str, expected_version: int, found_version: int, theirs: Story) -> None:
        self.story_id = story_id
        self.expected_version = expected_version
        self.found_version = found_version
        self.theirs = theirs
        who = theirs.updated_by or "another editor"
        super().__init__(
            f"“{theirs.headline or story_id}” was saved by {who} as version {found_version} "
            f"after you opened version {expected_version}, so nothing was overwritten."
        )


class SlugTakenError(StoreError):
    """Another story holds the slug; slugs are never suffixed silently."""

    def __init__(self, slug: str, owner_id: str, owner_headline: str) -> None:
        self.slug = slug
        self.owner_id = owner_id
        self.owner_headline = owner_headline
        super().__init__(f"The slug “{slug}” is already used by “{owner_headline or owner_id}”.")


class StoryNotFoundError(StoreError):
    """No such story (or no such version of it) in the store."""

    def __init__(self, story_id: str, version: int | None = None) -> None:
        self.story_id = story_id
        self.version = version
        if version is None:
            message = f"There is no story with id {story_id} in the store."
        else:
            message = f"The story {story_id} has no saved version {version}."
        super().__init__(message)
