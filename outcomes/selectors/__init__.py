"""Reads of the outcome figures: one module per view (leader dashboard, a pupil's before /
during / after, the school-year funnel, the region, group funding)."""
