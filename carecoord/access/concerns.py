"""Access rules of the zorgroute (concerns, Meldcode cases): referrals app, issue 5."""
