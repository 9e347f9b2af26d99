"""Results to tables: replicate summaries with uncertainty (charts come later, here too)."""
