"""Errors a user can act on; the CLI prints their message without a traceback."""


class LibraryError(Exception):
    """The library (or a document in it) named by the user cannot be used as asked."""
