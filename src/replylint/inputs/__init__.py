"""Inputs: finding and reading files, turning each format into prose for the engine,
and mapping the engine's findings back onto the file."""
