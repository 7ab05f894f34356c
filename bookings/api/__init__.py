"""The REST API: the same reads and services as the pages, with the same role rules."""
