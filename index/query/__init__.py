"""The search box's language → compiled queries → scored hits, facets and snippets; never writes.

`language` parses leniently (no Whoosh), `compile` turns the tree into Whoosh query objects,
`evaluate` scores them over whole posting lists, `search` runs one query against an open
searcher and `snippets` marks the matched words.
"""
