"""Access rules of referrals, facilities and placements (the coach follows the placement): referrals app, issue 6."""
