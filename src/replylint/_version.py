"""replylint's version, in a leaf module: every layer may read it without importing the package's API."""

__version__ = "0.1.0"
