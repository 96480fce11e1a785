"""Directory: people, organisation units, teams and companies."""
