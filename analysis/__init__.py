"""From results to findings: replicate summaries, sensitivity indices, charts and briefs."""
