"""A local stand-in for the three partner APIs, serving CONTRACT.md over real HTTP."""
