-- newsroom schema 8: slugs looked up by their start and by their end, for a command given a start of a slug
-- or a mistyped one ("did you mean …?") and for the shell's TAB completion.  Before it each of those read
-- every slug in the archive: minutes at a million stories.  Both indexes are in byte order, so a LIKE on a
-- start is answered in code-point order whatever the database's collation.  One typo leaves a clean start
-- or a clean end at least half the slug long: the two indexes find the slugs sharing the longer of them
-- (PostgresStore.slugs_like).  A trigram index was tried: at a million slugs made of a few common words it
-- took 0.7-5.7 s to rank them, and a GiST one 0.5-1.5 s.
CREATE INDEX stories_slug_bytes ON stories ((slug COLLATE "C"));
CREATE INDEX stories_slug_ends ON stories ((reverse(slug) COLLATE "C"));
