-- An import job is written by several connections at once (contacts.imports.writers), each owning the rows
-- whose phone hashes to its partition (rows without a valid phone: by row number), so one phone is always
-- written by one partition, in file order. Each partition commits its own position with its batches:
-- partition_rows[p] is the number of data rows of the file up to which every row of partition p is
-- committed. A resumed job skips, per partition, the rows up to that position; committed_rows stays the
-- number of rows committed in all, for progress. Fixed when the job is first claimed (the length of the
-- array is the job's number of partitions, whatever a later replica is configured with); NULL until then.
ALTER TABLE import_jobs ADD COLUMN partition_rows integer[];
