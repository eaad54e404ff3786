"""Widgets of the app, one per file; the reader's side-by-side view is `bilingual_view`."""
