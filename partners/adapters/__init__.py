"""One module per partner product: its paths, payload shapes and answer parsing.

Every [assumed] shape of CONTRACT.md lives in the module of its partner, so a corrected
sample is one edit. Adapters translate; they never change a booking.
"""
