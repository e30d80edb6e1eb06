"""The PySide6 desktop window: a thin layer over esg_author.core (the only place Qt is used)."""
