-- NDJSON import files (issue 11): the worker reads a job's file by the format it was uploaded in.
ALTER TABLE import_jobs ADD COLUMN format varchar(8) NOT NULL DEFAULT 'csv' CHECK (format IN ('csv', 'ndjson'));
