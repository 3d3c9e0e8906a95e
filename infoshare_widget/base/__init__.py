"""What every feature stands on: the database, the acting person and the access rules, the clock,
settings and routes. Uses no feature."""
