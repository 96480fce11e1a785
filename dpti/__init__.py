"""DPTI: management system of a Direction du Patrimoine et des Technologies de l'Information."""
