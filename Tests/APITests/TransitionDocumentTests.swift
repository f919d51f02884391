import Foundation
import PostgresNIO
import Testing
import Workflow

@testable import Storage

/// The transition's document is built from `TransitionDocument`'s keys; the functions that read it (migrations 0015,
/// 0016) name the same keys. A key renamed on either side fails here, where it would otherwise write NULL.
@Suite("The transition's document and the functions that read it")
struct TransitionDocumentTests {
    @Test("every key the daemon sends is read, and every key read is sent, object by object")
    func keysAgree() async throws {
        let source = try await withMigratedDatabase { _, db in
            try await db.rows(
                """
                SELECT string_agg(pg_get_functiondef(p.oid), E'\\n') FROM pg_proc p
                WHERE p.proname IN ('briefd_write_transition', 'briefd_write_transition_unchecked',
                                    'briefd_append_events', 'briefd_notify')
                """
            ).first.map { try $0.decode(String.self) } ?? ""
        }
        #expect(source.contains("briefd_append_events"), "the functions were read")
        let read = Self.keysRead(source)
        for (name, keys) in TransitionDocument.objects {
            let got = read[name, default: []]
            #expect(Set(keys) == got, "\(name): sent \(keys.sorted()), read \(got.sorted())")
        }
        #expect(Set(read.keys) == Set(TransitionDocument.objects.map(\.name)), "no object is read that is not sent")
    }

    /// The keys the functions read, by the object they read them from: the variable (`w` the document, `p` its
    /// project, `e` an event, `h` its history row), a path (`w#>>'{comment,id}'`), or a record set's columns
    /// (`jsonb_to_recordset(w->'added_tasks') AS a(id uuid, …)`).
    static func keysRead(_ sql: String) -> [String: Set<String>] {
        let objects = [
            "project": "project", "comment": "comment", "idempotency": "idempotency", "decisions": "decision",
            "changed_tasks": "changed task", "added_tasks": "added task", "cancelled_timers": "timer",
            "armed_timers": "timer", "notices": "notice",
        ]
        let variables = ["w": "document", "p": "project", "e": "event", "h": "history"]
        var read: [String: Set<String>] = [:]
        func matches(_ pattern: String) -> [[String]] {
            let regex = try! NSRegularExpression(pattern: pattern)
            let text = sql as NSString
            return regex.matches(in: sql, range: NSRange(location: 0, length: text.length)).map { m in
                (1..<m.numberOfRanges).map { text.substring(with: m.range(at: $0)) }
            }
        }
        for m in matches(#"\b([wpeh])\s*->>?\s*'([a-z_]+)'"#) { read[variables[m[0]]!, default: []].insert(m[1]) }
        for m in matches(#"\b([wpeh])\s*\?\s*'([a-z_]+)'"#) { read[variables[m[0]]!, default: []].insert(m[1]) }
        for m in matches(#"\bw\s*#>>?\s*'\{([a-z_]+),([a-z_]+)\}'"#) {
            read["document", default: []].insert(m[0])
            read[objects[m[0]] ?? m[0], default: []].insert(m[1])
        }
        for m in matches(#"jsonb_to_record(?:set)?\(\s*w\s*->\s*'([a-z_]+)'\s*\)\s+AS\s+\w+\(([^)]*)\)"#) {
            let columns = m[1].split(separator: ",").compactMap {
                $0.split(whereSeparator: \.isWhitespace).first.map(String.init)
            }
            read[objects[m[0]] ?? m[0], default: []].formUnion(columns)
        }
        return read
    }
}

/// The SQL generated from the machine's definitions (`DomainSQL`) is what the schema says.
@Suite("Rules defined once, in Swift, and the SQL generated from them")
struct DomainSQLTests {
    @Test("an agency's tasks are selected by tasks_agency's own predicate, and terminal states match the schema")
    func generatedSQL() async throws {
        try await withMigratedDatabase { _, db in
            _ = try await db.write(
                "CREATE INDEX generated_predicate ON tasks (agency_id) WHERE \(unescaped: DomainSQL.agencySeesTask())")
            let predicates = try await db.rows(
                """
                SELECT c.relname, pg_get_expr(i.indpred, i.indrelid)
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('tasks_agency',
                    'generated_predicate') ORDER BY 1
                """
            ).map { try $0.decode((String, String).self) }
            #expect(predicates.count == 2)
            #expect(predicates.first?.1 == predicates.last?.1, "\(predicates)")
            // The list is valid SQL and leaves exactly the states the machine can still move.
            let states = ProjectState.allCases.map(\.rawValue)
            let open = try await db.rows(
                "SELECT s FROM unnest(\(states)::text[]) s WHERE s NOT IN \(unescaped: DomainSQL.terminalStates)"
            ).map { try $0.decode(String.self) }
            #expect(Set(open) == Set(ProjectState.allCases.filter { !$0.isTerminal }.map(\.rawValue)))
        }
    }
}
