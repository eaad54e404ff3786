"""Whoosh's W3 index format, written and read faster than Whoosh does: a declared partial fork.

Everything in the project that knows Whoosh's file formats or private names lives here, and only
here; `compat` lists each private name relied on and checks it when the engine is imported (pinned
to whoosh-reloaded 2.7.5). The files keep the W3 layout, except that the terms of the fields with
frequencies or positions (text, keywords) are in a term file of our own and their long positional
lists in an array file, and the rows' text in a column of its own, none of which stock Whoosh
reads; the tests compare against Whoosh's own matchers over the same records written by Whoosh's
own field writer. What each module replaces, and why:

    schema     the fields and the format stamp of an index (public Whoosh API only)
    fields     Whoosh fields fed precomputed terms instead of the Token pipeline
    codec      the segment writer: text terms to the term file, short posting lists of the other
               fields inlined in the term table (Whoosh's own inlining is dead code), a term table
               in typed arrays with CRC-32, term info encoded directly (3.4 µs a term instead of
               7.7), postings pickled more tightly
    lexicon    the term file: terms sorted, their postings as varints, about 2 bytes a term of
               tables (Whoosh's term table: 50-70 bytes a term before its postings; the sample
               library's index 1.38 MB with it, 0.70 MB so)
    pool       the postings sort buffer: marshal runs instead of pickling each posting (a worker
               indexing 811 files: 44 s instead of 58 s)
    arrayfile  each segment's long positional posting lists as flat arrays of id deltas and
               positions, each in the narrowest integer type, found from the term file (Whoosh
               unpickles 128 postings for about 50 µs; two copies made a third of the index)
    rowtext    the rows' text, each group of rows Zstandard-compressed in a column of its own
               (in Whoosh's stored fields: zlib, 32 µs a group read instead of 13, and a length
               entry on every record)
    postings   whole posting lists and field lengths as numpy arrays, term lookups in the mapped
               term files in place (15-20 µs a lookup through Whoosh's seeks and reads)
    kept       term files and records' documents read once per segment and kept across commits
               (20,000 documents: the first search after a commit ~220 ms instead of ~440)
    merging    tiered merges reading term tables and files in order (Whoosh's add_reader: 0.6 s
               for six one-document segments)
    segments   fast writers, and worker segments committed together (Whoosh's procs>1 forks)

Any new use of a private Whoosh name goes into `compat` with a benchmark that justifies it.
"""
