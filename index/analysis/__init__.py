"""Text → index terms with positions (English stems, jieba words, CJK characters): no index, no I/O.

The one definition shared by indexing, queries and highlighting; Whoosh's Porter stemmer is the only
thing it takes from Whoosh.
"""
