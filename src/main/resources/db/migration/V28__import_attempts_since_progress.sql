-- import_jobs.attempts now counts the claims since the last one that committed a batch (a committed batch sets it
-- to 0; contacts.imports.max-attempts ends a job past it). Builds before counted every claim and never reset it, so
-- a job resumed often in the past would fail at its next claim: start the count again for the jobs still to run.
UPDATE import_jobs SET attempts = 0 WHERE status IN ('queued', 'running');
