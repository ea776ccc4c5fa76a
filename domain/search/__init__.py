"""Full-text search of the catalogue (issue 11): the port the engines implement."""
