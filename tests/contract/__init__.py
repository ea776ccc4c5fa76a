"""Contract tests: each repository's rules, written once, run against the in-memory fake
the unit tests use and against the real PynamoDB repository on moto (in-process), so a
fake cannot drift from the table it stands in for."""
