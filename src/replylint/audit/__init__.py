"""`replylint audit`: a support archive's sent replies checked in bulk, summarised by group and month
(docs/audit.md). Streams its inputs, writes findings as Parquet, summarises with DuckDB."""
