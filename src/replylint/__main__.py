"""`python -m replylint` runs the command line."""
from replylint.cli.main import run

run()
