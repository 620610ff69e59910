"""Views of the referrals app, one module per topic (facilities, referrals, placements,
the coach's board): thin; access through `visible_to` (404) and `can` (403)."""
