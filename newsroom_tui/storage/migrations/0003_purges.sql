-- newsroom schema 3: purging spiked stories (`newsroom purge --spiked-before DATE`).
-- A purge removes a story's current row but keeps every revision and its delivery log, as the TinyDB
-- store keeps its append-only revisions file: so those rows may outlive their story (the references
-- are dropped; no row is deleted here).  Each purge is recorded in `purges`: who, when, why, and what
-- it removed.
ALTER TABLE revisions DROP CONSTRAINT IF EXISTS revisions_story_id_fkey;
ALTER TABLE delivery_log DROP CONSTRAINT IF EXISTS delivery_log_story_id_fkey;
CREATE TABLE purges (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    record json NOT NULL
);
