"""Full-text search over a library's rows in English and Chinese (Whoosh + jieba)."""
