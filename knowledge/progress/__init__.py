"""Progress: members and the report log, reading report lines, the write path, views."""
