-- newsroom schema 5: live desks.  Every change to a story, and every lock taken, taken over or given
-- back, tells the desks listening on the channel `newsroom_changes` which story it was: a small JSON
-- object of kind ("story" or "lock") and id, never the story itself (a payload holds at most 8,000
-- bytes; an id is cut to 500 characters, and a desk that cannot find it re-reads the whole list).
-- pg_notify runs inside the writing transaction, so the server sends it at commit and a rolled-back
-- save tells nobody; the same payload twice in one transaction is sent once.  A lock's heartbeat (an
-- update by the same session) is not news and sends nothing.
CREATE FUNCTION newsroom_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    story text;
BEGIN
    IF TG_TABLE_NAME = 'stories' THEN
        story := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    ELSE
        story := CASE WHEN TG_OP = 'DELETE' THEN OLD.story_id ELSE NEW.story_id END;
    END IF;
    PERFORM pg_notify(
        'newsroom_changes',
        json_build_object('kind', CASE WHEN TG_TABLE_NAME = 'stories' THEN 'story' ELSE 'lock' END,
                          'id', left(story, 500))::text
    );
    RETURN NULL;
END
$$;

CREATE TRIGGER stories_notify AFTER INSERT OR UPDATE OR DELETE ON stories
    FOR EACH ROW EXECUTE FUNCTION newsroom_notify_change();
CREATE TRIGGER locks_notify AFTER INSERT OR DELETE ON locks
    FOR EACH ROW EXECUTE FUNCTION newsroom_notify_change();
CREATE TRIGGER locks_notify_holder AFTER UPDATE ON locks
    FOR EACH ROW WHEN (OLD.session IS DISTINCT FROM NEW.session) EXECUTE FUNCTION newsroom_notify_change();
