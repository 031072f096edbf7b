"""Stage 5, publication: the inputs fingerprint (`fingerprint.py`), the unchanged-inputs
decision (`decision.py`), the atomic publication and its ledger entries (`publication.py`),
the names of every asset key and check (`keys.py`), and on PostgreSQL the committees'
`published` schema (`postgres.py`)."""
