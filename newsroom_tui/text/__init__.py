"""Text rules that know nothing of stories: Bangla digits and dates, slugs, terminal safety, search."""
