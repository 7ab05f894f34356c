"""A local stand-in for the three partner APIs, serving CONTRACT.md over real HTTP.

A tool beside the portal: installed only when ``PARTNER_SIMULATOR_ENABLED`` is on (development,
tests, benchmarks), never imported by the portal's own apps.
"""
