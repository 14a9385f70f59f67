"""Storage ports, one module per aggregate, and the unit of work that makes one use case one
transaction.

Every adapter (memory, SQLite, PostgreSQL) implements these and passes the same contract suite
(tests/adapters/storage). Adapters translate; filters, scopes and keyset positions arrive here
already decided by the application.
"""
