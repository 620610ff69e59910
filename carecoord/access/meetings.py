"""Access rules of the meetings app (registered through carecoord.access.core and .students)."""
