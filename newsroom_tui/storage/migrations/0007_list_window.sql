-- newsroom schema 7: the desk's list as a window on a query, so a desk never holds the archive.
-- `haystack` is what the list's filter searches (domain/listing.py's haystack_of: headline, slug, byline,
-- sign-off, desk and tags, folded in Python, in sections), so `desk:sports flood` is answered by the
-- database with the same rule the TinyDB desk applies in memory; pg_trgm's index makes its LIKE
-- '%word%' an index scan.  The upgrade fills it for the stories stored before (postgres.py's
-- _fill_haystacks), a thousand at a time.
ALTER TABLE stories ADD COLUMN haystack text NOT NULL DEFAULT '';
CREATE INDEX stories_haystack ON stories USING gin (haystack gin_trgm_ops);

-- How many stories each status has, for the list's count line and the status filter, without counting a
-- million rows: every statement that adds, removes or re-files stories appends what it changed (one row
-- per status it touched, never an update of a shared row, so concurrent saves never wait on each other or
-- deadlock); a reader sums the rows, and folds them into one per status now and then (postgres.py's
-- status_counts).  A statement-level trigger with transition tables: a COPY of 2,000 stories adds a few
-- rows, not 2,000.
CREATE TABLE story_counts (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL,
    delta bigint NOT NULL
);
INSERT INTO story_counts (status, delta) SELECT status, count(*) FROM stories GROUP BY status;

CREATE FUNCTION newsroom_count_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO story_counts (status, delta) SELECT status, count(*) FROM added GROUP BY status;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO story_counts (status, delta) SELECT status, -count(*) FROM removed GROUP BY status;
    ELSE
        INSERT INTO story_counts (status, delta)
        SELECT status, sum(change) FROM (
            SELECT status, -1 AS change FROM removed UNION ALL SELECT status, 1 FROM added
        ) AS moved GROUP BY status HAVING sum(change) <> 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stories_count_added AFTER INSERT ON stories REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_count_statuses();
CREATE TRIGGER stories_count_removed AFTER DELETE ON stories REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_count_statuses();
CREATE TRIGGER stories_count_moved AFTER UPDATE ON stories REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_count_statuses();
