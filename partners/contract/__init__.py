"""The contract check: the real partner's answers against the shapes the adapters read."""
