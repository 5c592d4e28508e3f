-- Import files move from PostgreSQL chunks to object storage (issue 11: the file in object storage, the job
-- in PostgreSQL). file_key names the object until the job ends and the object is deleted.
ALTER TABLE import_jobs ADD COLUMN file_key varchar(64);

-- Open jobs' files exist only as chunks, which cannot be copied to the store from SQL: such jobs end as
-- failed (with a reason the job shows) rather than queue without a file.
UPDATE import_jobs SET status = 'failed', failure = 'The file was lost when import files moved to object storage; upload it again',
    finished_at = now(), lease_owner = NULL, lease_until = NULL
WHERE status IN ('queued', 'running');

DROP TABLE import_job_files;

-- Ended jobs whose object is not deleted yet: what the worker's clean-up looks for.
CREATE INDEX import_jobs_file_left ON import_jobs (id) WHERE file_key IS NOT NULL AND status IN ('completed', 'failed', 'cancelled');
