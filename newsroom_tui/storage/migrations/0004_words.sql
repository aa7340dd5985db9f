-- newsroom schema 4: the spelling check's shared words in the database, where the whole desk reads them
-- whichever server it runs on.  `desk_words`: the desk dictionary (`newsroom words add`, ctrl+F7), one
-- row a word, unique in its normal form (`folded`, the checker's normalise()).  `ignored_words`: what a
-- story ignores ("ignore in this story"), kept outside the story's versions as the file beside a
-- TinyDB store keeps it.
CREATE TABLE desk_words (
    folded text PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    word text NOT NULL,
    added_by text NOT NULL DEFAULT '',
    added_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ignored_words (
    story_id text NOT NULL,
    word text NOT NULL,
    PRIMARY KEY (story_id, word)
);
