"""Turns the statements one transition sent (from PostgreSQL's log with log_statement=all) into a
pgbench script that replays them, so the daemon's throughput can be compared with PostgreSQL's
own ceiling for the very same SQL.

Usage: pgbench_from_log.py SERVER_LOG START_MARKER > script.sql

What is replayed: the API key lookup, then the transaction that locked the project row
(BEGIN … COMMIT on that backend): its own statements, or since migration 0015 the lock and one call of
briefd_write_transition with the transition's JSON document (its expected_last_sequence from the row locked). Parameters are written back as literals, except the values
that must change on every run: the project id (each pgbench client takes its own project from
bench_pick), the new version / sequence (computed from the locked row, as the daemon does), the
event id (a new UUID per transaction) and timestamps (now()).
"""
import json
import re
import sys

log_path, marker = sys.argv[1], sys.argv[2]
text = open(log_path, encoding="utf-8", errors="replace").read()
text = text[text.rfind(marker):]
entry_re = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[(\d+)\] (\w+):  ", re.M)
entries = []
starts = list(entry_re.finditer(text))
for i, m in enumerate(starts):
    body = text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)].rstrip("\n")
    entries.append((int(m.group(1)), m.group(2), body))

# Pair each execute with its DETAIL parameters.
statements = []  # (pid, sql, params)
for i, (pid, kind, body) in enumerate(entries):
    if kind != "LOG":
        continue
    m = re.match(r"(?:execute [^:]*|statement): (.*)", body, re.S)
    if not m:
        continue
    sql = m.group(1)
    params = {}
    if i + 1 < len(entries) and entries[i + 1][0] == pid and entries[i + 1][1] == "DETAIL":
        detail = entries[i + 1][2]
        for pm in re.finditer(r"\$(\d+) = (NULL|'(?:[^']|'')*')", detail):
            params[int(pm.group(1))] = pm.group(2)
    statements.append((pid, sql, params))

auth = next(s for s in statements if "FROM api_keys k JOIN organizations" in s[1])


def reads_project(sql):
    """The transition's first statement: the project row locked, with its tasks."""
    return "FROM projects" in sql and "FOR UPDATE" in sql


lock_i = next(i for i, s in enumerate(statements) if reads_project(s[1]))
tx_pid = statements[lock_i][0]
begin_i = max(i for i in range(lock_i) if statements[i][0] == tx_pid and statements[i][1].strip().rstrip(";").upper() == "BEGIN")
commit_i = next(i for i in range(lock_i, len(statements)) if statements[i][0] == tx_pid and statements[i][1].strip().rstrip(";").upper() == "COMMIT")
tx = [s for s in statements[begin_i:commit_i + 1] if s[0] == tx_pid]

project_id = next(s for s in tx if reads_project(s[1]))[2][1].strip("'")

# Values that change per transaction, found by what the daemon wrote: in its own statements, or (since migration 0015)
# in the JSON document of `SELECT briefd_write_transition($1)`.
writes = next((s for s in tx if "briefd_write_transition" in s[1]), None)
if writes:
    doc = json.loads(writes[2][1][1:-1].replace("''", "'"))
    event_id = doc["events"][0]["id"]
    new_version = str(doc["project"]["version"])
    new_sequence = str(doc["project"]["last_sequence"])
else:
    update = next(s for s in tx if s[1].lstrip().startswith("UPDATE projects SET"))
    insert_event = next(s for s in tx if "INSERT INTO events" in s[1])
    event_param = int(re.search(r"INSERT INTO events \([^)]*\)\s*(?:VALUES \(|SELECT )\$(\d+)", insert_event[1]).group(1))
    event_id = insert_event[2][event_param].strip("'")
    # The parameter numbers of the new version and sequence, read from the UPDATE's own text.
    new_version = update[2][int(re.search(r"version = \$(\d+)", update[1]).group(1))].strip("'")
    new_sequence = update[2][int(re.search(r"last_sequence = \$(\d+)", update[1]).group(1))].strip("'")


def render_document(sql, params):
    """The write function's call with its document rebuilt per run: the project, event id, version and sequence as
    pgbench variables spliced into the JSON text, timestamps as now()."""
    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if value == project_id:
            return "@@PID@@"
        if value == event_id:
            return "@@EID@@"
        if key == "version" and str(value) == new_version:
            return "@@VERSION@@"
        if key in ("sequence", "last_sequence") and str(value) == new_sequence:
            return "@@SEQUENCE@@"
        if key == "expected_last_sequence":
            return "@@EXPECTED@@"
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", value):
            return "@@NOW@@"
        return value
    text = json.dumps(walk(json.loads(params[1][1:-1].replace("''", "'")))).replace("'", "''")
    for placeholder, expression in (("@@PID@@", ":pid"), ("@@EID@@", ":eid"), ("@@NOW@@", "now()::text")):
        text = text.replace(placeholder, "' || " + expression + " || '")
    text = text.replace('"@@VERSION@@"', "' || (:version + 1) || '")
    text = text.replace('"@@SEQUENCE@@"', "' || (:last_sequence + 1) || '")
    text = text.replace('"@@EXPECTED@@"', "' || :last_sequence || '")
    return sql.replace("$1", "('" + text + "')")


def render(sql, params):
    def sub(m):
        n = int(m.group(1))
        v = params.get(n, "NULL")
        raw = v.strip("'")
        if raw == project_id:
            return ":pid"
        if raw == event_id:
            return ":eid"
        uuid_array = re.fullmatch(r"'\{[0-9a-f-]{36}(,[0-9a-f-]{36})*\}'", v)
        if uuid_array and event_id in v:
            return "ARRAY[:eid]::uuid[]"
        if uuid_array and project_id in v:
            return "ARRAY[:pid]::uuid[]"
        if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00(:00)?", raw):
            return "now()"
        return v
    out = re.sub(r"\$(\d+)(?!\d)", sub, sql)
    return out

lines = ["-- generated by scripts/pgbench_from_log.py from the daemon's own statements",
         "SELECT quote_literal(id) AS pid FROM bench_pick WHERE n = :client_id \\gset",
         "SELECT quote_literal(gen_random_uuid()) AS eid \\gset",
         render(auth[1], auth[2]).replace("\n", " ") + ";"]
for pid_, sql, params in tx:
    if "briefd_write_transition" in sql:
        lines.append(render_document(sql, params).replace("\n", " ").rstrip().rstrip(";") + ";")
        continue
    r = render(sql, params).replace("\n", " ")
    if reads_project(sql):
        # \gset the row's version and last_sequence, as the daemon reads them.
        r = "SELECT version, last_sequence FROM (" + r.rstrip("; ") + ") locked LIMIT 1 \\gset"
        lines.append(r)
        continue
    r = re.sub(r"(?<![\w.])" + re.escape("'" + new_version + "'") + r"(?!\w)", "(:version + 1)", r) if sql.lstrip().startswith("UPDATE projects") else r
    # The new sequence number appears in the project update and the history and event inserts.
    for needle in ("'" + new_sequence + "'",):
        r = r.replace(needle, "(:last_sequence + 1)")
    lines.append(r.rstrip().rstrip(";") + ";")
print("\n".join(lines))
