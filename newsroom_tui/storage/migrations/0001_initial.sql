-- newsroom schema 1: everything a desk shares.  Applied by storage/postgres.py's `upgrade` in one
-- transaction under an advisory lock; the runner records it in schema_version.

-- The current version of every story.  The columns are what the list sorts and filters by; `doc` is the
-- whole story (Story.to_dict), which is what is read back.  `seq` is the insertion order: the tie-break
-- among stories saved in one batch, as the journal's order is for TinyDB.
CREATE TABLE stories (
    id text PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    slug text,  -- NULL when the story has none: slugs are unique, "none" is not a slug
    status text NOT NULL,
    desk text NOT NULL DEFAULT '',
    language text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    doc jsonb NOT NULL
);
CREATE UNIQUE INDEX stories_slug_key ON stories (slug);
CREATE INDEX stories_newest ON stories (updated_at DESC, seq);
CREATE INDEX stories_status_newest ON stories (status, updated_at DESC, seq);
CREATE INDEX stories_desk_newest ON stories (desk, updated_at DESC, seq);
-- The import dedup record: an import of the same wire file finds the story it made (headline + stamp).
CREATE INDEX stories_imported ON stories ((doc ->> 'headline'), (doc ->> 'created_at'));

-- Every saved version, the current one included (written in the save's own transaction).
CREATE TABLE revisions (
    story_id text NOT NULL REFERENCES stories (id),
    version integer NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now(),
    doc jsonb NOT NULL,
    PRIMARY KEY (story_id, version)
);

-- What went where; never a story version.  `json`, not `jsonb`: entries keep their keys' order.
CREATE TABLE delivery_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    story_id text NOT NULL REFERENCES stories (id),
    entry json NOT NULL
);
CREATE INDEX delivery_log_story ON delivery_log (story_id, seq);

-- Failed deliveries waiting for a retry, one per story and target.
CREATE TABLE pending_deliveries (
    story_id text NOT NULL,
    target text NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    entry json NOT NULL,
    PRIMARY KEY (story_id, target)
);

-- Who has which story open.  Judged by the database: a lock is live while its heartbeat is younger than
-- the expiry and the server connection that took it is still open (pg_stat_activity), whichever machine
-- its desk runs on.
CREATE TABLE locks (
    story_id text PRIMARY KEY,
    session text NOT NULL,
    user_name text NOT NULL,
    host text NOT NULL,
    pid integer NOT NULL,
    backend_pid integer NOT NULL,
    since timestamptz NOT NULL,
    heartbeat timestamptz NOT NULL,
    taken_from text NOT NULL DEFAULT ''
);

-- Bumped by every save: what `refresh` compares (a read of one sequence, not of the table).
CREATE SEQUENCE story_changes;
