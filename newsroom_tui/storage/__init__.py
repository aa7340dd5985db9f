"""Where stories live: the store, its row cache, story locks, recovery drafts, atomic files."""
