"""Writes to bookings. Views, admin actions, API views and tasks call these, nothing else."""
