"""Writes the pgbench scripts of the create statement, taken from contact/ContactInsert.java itself (its SQL text
block), so the statement measured is the one the service sends and cannot drift from it:

  <dir>/create-with-event.sql   the statement as it is (the contact's INSERT and its outbox CTE)
  <dir>/create-plain.sql        the same statement without the outbox CTE, removed exactly as
                                bench/events/create-without-event.patch removes it for the HTTP bench

pgbench cannot send a NULL parameter: so each parameter becomes the constant an API create of the HTTP bench sends (bench/events-overhead-http.sh: name, full name, phone, email,
no group, branch or attributes), the workspace and the phone pgbench variables (sent as parameters).

  python3 bench/events/create_statements.py <dir>
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
JAVA = ROOT / 'src/main/java/dev/awal/contacts/contact/ContactInsert.java'
# $1..$14 as ContactInsert#parameters orders them.
VALUES = {
    1: ':workspace', 2: "'Bench ' || :phone", 3: "'Bench Contact ' || :phone", 4: "'+966' || :phone",
    5: "'bench.' || :phone || '@example.com'", 6: 'NULL', 7: 'NULL', 8: 'NULL', 9: 'NULL', 10: 'false', 11: 'NULL',
    12: "'109876543210'", 13: "'{}'", 14: 'now()',
}
EVENT_CTE = re.compile(r',\s*event AS \(\s*INSERT INTO events .*?FROM c\)', re.S)


def main(out):
    source = JAVA.read_text()
    match = re.search(r'static final String SQL = """\n(.*?)""";', source, re.S)
    if not match:
        sys.exit('create_statements.py: no SQL text block in ' + str(JAVA))
    sql = re.sub(r'\$(\d+)', lambda m: VALUES[int(m.group(1))], match.group(1).rstrip())
    if 'INSERT INTO events' not in sql:
        sys.exit('create_statements.py: the create statement writes no event')
    plain = EVENT_CTE.sub('', sql)
    if 'INSERT INTO events' in plain:
        sys.exit('create_statements.py: could not remove the outbox CTE from the create statement')
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    head = '\\set phone random(1000000000, 9999999999999)\n'
    (out / 'create-with-event.sql').write_text('-- generated from ContactInsert.java by bench/events/create_statements.py\n'
                                               + head + sql + ';\n')
    (out / 'create-plain.sql').write_text('-- generated from ContactInsert.java, outbox CTE removed\n' + head + plain + ';\n')


if __name__ == '__main__':
    main(sys.argv[1])
