-- newsroom schema 2: archive search.  `search_text` is domain/search.py's `search_text(story)`: the
-- searched fields folded in Python (NFC, joiners dropped, casefold, Bengali digits as ASCII), so a query's
-- folded terms are found with a plain LIKE and both backends find exactly the same stories.  pg_trgm's
-- trigram index makes LIKE '%term%' an index scan (its recheck keeps it exact for Bangla too).  The
-- stories already stored get their text from the migration runner (storage/postgres.py), in this
-- migration's transaction.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE stories ADD COLUMN search_text text NOT NULL DEFAULT '';
CREATE INDEX stories_search_text ON stories USING gin (search_text gin_trgm_ops);
