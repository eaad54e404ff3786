"""The app's screens: library, reader, outline, bookmarks, help."""
