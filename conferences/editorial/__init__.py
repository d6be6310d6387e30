"""What happens to the archive after an import: the workflow (the one place a conference changes
status, and who may move it), public corrections, permalinks kept through split, merge and
deletion, and the "Reported by" list. Imports models/ and text/ only."""
