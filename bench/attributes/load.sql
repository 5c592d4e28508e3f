-- 1,000,000 contacts (:contacts) in workspace bench plus 10% in bench-other, created in time order,
-- 70% in one of 50 groups, each with the same 10 custom attributes the definitions below describe.
-- Ids 1-50 in bench, 51-100 in bench-other (a fresh database).
INSERT INTO contact_groups (workspace, name, status, created_at, updated_at)
SELECT CASE WHEN g <= 50 THEN 'bench' ELSE 'bench-other' END, 'Group ' || g, 1, now(), now()
  FROM generate_series(1, 100) g ORDER BY g;

INSERT INTO contact_attributes (workspace, key, label, type, max_length, options, created_at, updated_at)
SELECT w, key, label, type, max_length, options, now(), now()
  FROM (VALUES ('city', 'City', 'text', 255, NULL),
               ('loyalty', 'Loyalty code', 'text', 32, NULL),
               ('orders', 'Orders', 'number', NULL, NULL),
               ('spend', 'Spend', 'number', NULL, NULL),
               ('score', 'Score', 'number', NULL, NULL),
               ('tier', 'Tier', 'enum', NULL, E'gold\nsilver\nbronze\nnone'),
               ('source', 'Source', 'enum', NULL, E'web\nwhatsapp\nstore\nreferral\nads'),
               ('vip', 'VIP', 'boolean', NULL, NULL),
               ('birthday', 'Birthday', 'date', NULL, NULL),
               ('last_seen', 'Last seen', 'datetime', NULL, NULL)) d(key, label, type, max_length, options),
       (VALUES ('bench'), ('bench-other')) ws(w);

-- A bulk load of a million rows through the row trigger takes most of an hour on this busy 2-core
-- machine, so the load writes the typed rows set-based afterwards with the trigger's own SELECT
-- (V13__custom_attributes.sql); the service's writes always go through the trigger.
ALTER TABLE contacts DISABLE TRIGGER contacts_attribute_values_insert;
-- The trigram search indexes (no pending list, V7) make each inserted row pay a GIN update; no
-- measured query uses them, so the load leaves them out.
DROP INDEX contacts_search_trgm;
DROP INDEX contacts_phone_trgm;
INSERT INTO contacts (workspace, name, phone, contact_group_id, phone_number_id, created_at, updated_at, custom_attributes)
SELECT ws, name, phone, grp, '109876543210', created, created,
       jsonb_build_object(
         'city', 'City ' || (h % 50),
         'loyalty', 'L' || lpad(((h / 50) % 1000)::text, 4, '0'),
         'orders', (h / 7) % 1000,
         'spend', round(((h / 13) % 100000) / 100.0, 2),
         'score', (h / 3) % 101,
         'tier', (ARRAY['gold', 'silver', 'bronze', 'none'])[1 + (h / 11) % 4],
         'source', (ARRAY['web', 'whatsapp', 'store', 'referral', 'ads'])[1 + (h / 17) % 5],
         'vip', (h % 10) = 0,
         'birthday', to_char(date '1950-01-01' + (h % 20000), 'YYYY-MM-DD'),
         'last_seen', to_char((timestamptz '2024-01-01' + (h % 31536000) * interval '1 second') AT TIME ZONE 'UTC',
                              'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
FROM (
  SELECT i,
         CASE WHEN i % 11 = 0 THEN 'bench-other' ELSE 'bench' END AS ws,
         (ARRAY['أحمد', 'محمد', 'فاطمة', 'Sara', 'John', 'ليلى', 'Omar', 'Aisha', 'يوسف', 'Maria'])[1 + (i * 7) % 10]
           || ' ' || md5(i::text) AS name,
         '9665' || lpad(i::text, 8, '0') AS phone,
         abs(hashint8(i::bigint)) AS h,
         timestamptz '2023-01-01' + i * interval '90 seconds' AS created,
         i
  FROM generate_series(1, (:contacts * 11) / 10) i) s
CROSS JOIN LATERAL (
  SELECT CASE WHEN (s.h % 10) < 7 THEN (CASE WHEN s.ws = 'bench' THEN 1 ELSE 51 END) + (s.h / 10) % 50 END AS grp) g;

ALTER TABLE contacts ENABLE TRIGGER contacts_attribute_values_insert;

-- Eleven million typed rows: the value indexes (all but the key) are built once afterwards from their own
-- definitions, which is several times faster than maintaining them row by row.
SET maintenance_work_mem = '512MB';
CREATE TEMP TABLE value_indexes AS
  SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
    FROM pg_index WHERE indrelid = 'contact_attribute_values'::regclass AND NOT indisprimary;
DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT name FROM value_indexes LOOP EXECUTE 'DROP INDEX ' || i.name; END LOOP;
END $$;

INSERT INTO contact_attribute_values (contact_id, attribute_id, created_at, text_value, num_value, ts_value)
SELECT c.id, d.id, c.created_at,
       CASE WHEN d.type IN ('text', 'enum', 'boolean') THEN n.value #>> '{}' END,
       CASE WHEN d.type = 'number' THEN (n.value #>> '{}')::numeric END,
       CASE WHEN d.type = 'date' THEN ((n.value #>> '{}')::date)::timestamp AT TIME ZONE 'UTC'
            WHEN d.type = 'datetime' THEN (n.value #>> '{}')::timestamptz END
  FROM contacts c
 CROSS JOIN LATERAL jsonb_each(c.custom_attributes) n
  JOIN contact_attributes d ON d.workspace = c.workspace AND d.key = n.key;

DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT definition FROM value_indexes LOOP EXECUTE i.definition; END LOOP;
END $$;

VACUUM ANALYZE contacts;
VACUUM ANALYZE contact_attribute_values;
