-- newsroom schema 6: what the desk's list reads without each story's body.  `words` is the body's word
-- count (domain.model.count_words, worked out in Python at every save); NULL for a story saved before
-- this schema, whose count the list works out from its body instead.  The list's rows are read as the
-- document less its body and history: at 50,000 stories the whole documents were 10 s and most of a
-- desk's memory.
ALTER TABLE stories ADD COLUMN words integer;
