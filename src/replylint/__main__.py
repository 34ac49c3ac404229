"""`python -m replylint` runs the command line."""
from .cli import run

run()
