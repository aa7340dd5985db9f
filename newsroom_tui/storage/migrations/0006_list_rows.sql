-- newsroom schema 6: what the desk's list reads, apart from each story's document.  `row_doc` is the
-- document without its body and history (small, stored inline: the list's read no longer unpacks every
-- compressed 4 KB body on the server); `words` is the body's word count (domain.model.count_words, worked
-- out in Python at every save).  The upgrade fills both for the stories stored before it (postgres.py's
-- _fill_list_rows); a row still without them (made by hand) is read from the whole document.  At 50,000
-- stories the whole documents were 10 s of the desk's start and most of its memory.
ALTER TABLE stories ADD COLUMN words integer;
ALTER TABLE stories ADD COLUMN row_doc jsonb;
