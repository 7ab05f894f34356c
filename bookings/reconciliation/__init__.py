"""Settlement files: ``parsing`` reads and validates a partner's CSV, ``matching`` compares it
with the portal's bookings. Neither writes; ``bookings.services.reconciliation`` does."""
