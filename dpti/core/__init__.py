"""Core: the generic machinery every business module stands on."""
