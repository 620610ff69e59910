"""Access rules of the absence app (registered through carecoord.access.core and .students)."""
