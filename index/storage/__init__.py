"""Where an index lives on disk: generations, locks, and the small files beside each commit.

No Whoosh: `store` swaps, locks and cleans generations, `catalog` keeps the document list the first
frame shows, `file_stamps` keeps the stamps an update compares the library with.
"""
