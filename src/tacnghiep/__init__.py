"""tacnghiep: operations platform for Vietnamese Party committees and public bodies."""

__version__ = "0.1.0"
