"""Forms of the booking flows: shared building blocks (contact, schedule) and one module per flow."""
