"""HTTP resources of the import pipeline: uploads, import status and revert, CSV mappings, rules."""

from adapters.http.imports.handlers import import_handlers

__all__ = ["import_handlers"]
