"""The engine: rule files in, findings out for one text.

It knows nothing of files on disk, the command line or editors."""
