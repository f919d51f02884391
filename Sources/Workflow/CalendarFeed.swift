import Foundation

/// One event of a calendar feed: a due date that an organization must act on (RFC 5545 `VEVENT`, all day).
public struct CalendarEntry: Sendable, Hashable {
    /// Stable across reads: `task-<id>@host` or `project-<id>@host`.
    public var uid: String
    public var summary: String
    /// The due day in the organization's time zone: year, month, day.
    public var day: (year: Int, month: Int, day: Int)
    /// Raised whenever the task (or project) changes: every change is a transition, so the count of its
    /// transitions only grows.
    public var sequence: Int
    /// The wait ended (approved, declined, the other side's turn, closed): `STATUS:CANCELLED`.
    public var cancelled: Bool
    /// The console page where the person acts.
    public var url: String

    public static func == (a: CalendarEntry, b: CalendarEntry) -> Bool {
        a.uid == b.uid && a.summary == b.summary && a.day == b.day && a.sequence == b.sequence
            && a.cancelled == b.cancelled && a.url == b.url
    }
    public func hash(into h: inout Hasher) { h.combine(uid) }
}

/// A person's calendar feed (pure): the due dates of the tasks and projects their organization must act on, from the
/// machine's own inbox, so an event is confirmed exactly while the wait is the organization's, and cancelled once it
/// is not. A task's due date is an agency's to meet while the task is offered, accepted or sent back, and the
/// brand's while its delivery waits for review; a project's (its strategy's `due_date`) is the brand's while the
/// project is live.
public enum CalendarFeed {
    /// The entries of `projects` for `organization`; `sequences` counts each task's (or, under the project's id,
    /// the project's own) transitions; `link` makes a console URL of a project and a task.
    public static func entries(
        projects: [ProjectRecord], organization: UUID, kind: OrganizationKind, zone: TimeZone, now: Date,
        sequences: [UUID: Int], host: String, link: (UUID, UUID?) -> String
    ) -> [CalendarEntry] {
        var out: [CalendarEntry] = []
        let waiting = Set(
            Inbox.items(organization: organization, kind: kind, projects: projects, now: now).compactMap(\.task?.id))
        for project in projects {
            for task in project.tasks {
                guard let due = task.dueAt, kind == .brand || (task.agencyID == organization && task.state != .draft)
                else { continue }
                out.append(
                    CalendarEntry(
                        uid: "task-\(task.id.uuidString.lowercased())@\(host)",
                        summary: "\(task.title) · \(project.title)", day: day(of: due, in: zone),
                        sequence: sequences[task.id] ?? 0, cancelled: !waiting.contains(task.id),
                        url: link(project.id, task.id)))
            }
            if kind == .brand, project.brandID == organization, let date = project.strategy.dueDate,
                let parts = CalendarDate.parts(date)
            {
                out.append(
                    CalendarEntry(
                        uid: "project-\(project.id.uuidString.lowercased())@\(host)", summary: project.title,
                        day: parts, sequence: sequences[project.id] ?? 0, cancelled: project.state.isTerminal,
                        url: link(project.id, nil)))
            }
        }
        return out
    }

    /// The day a deadline falls on: one at midnight is the end of the day before (`due_date` is stored as the next
    /// midnight in the brand's time zone).
    static func day(of date: Date, in zone: TimeZone) -> (year: Int, month: Int, day: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let clock = calendar.dateComponents([.hour, .minute, .second], from: date)
        let at = clock.hour == 0 && clock.minute == 0 && clock.second == 0 ? date - 1 : date
        let d = calendar.dateComponents([.year, .month, .day], from: at)
        return (d.year ?? 1970, d.month ?? 1, d.day ?? 1)
    }

    /// The feed as an iCalendar document (RFC 5545): CRLF lines folded at 75 octets, text escaped, all-day events.
    public static func render(name: String, entries: [CalendarEntry], now: Date) -> String {
        let stamp = utc(now)
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//briefd//calendar//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(escape(name))",
        ]
        for e in entries {
            let start = String(format: "%04d%02d%02d", e.day.year, e.day.month, e.day.day)
            let end = nextDay(e.day)
            lines += [
                "BEGIN:VEVENT", "UID:\(e.uid)", "DTSTAMP:\(stamp)", "DTSTART;VALUE=DATE:\(start)",
                "DTEND;VALUE=DATE:\(end)", "SUMMARY:\(escape(e.summary))", "SEQUENCE:\(e.sequence)",
                "STATUS:\(e.cancelled ? "CANCELLED" : "CONFIRMED")", "TRANSP:TRANSPARENT", "URL:\(e.url)",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func nextDay(_ d: (year: Int, month: Int, day: Int)) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let date = calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day + 1)) ?? Date()
        let n = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", n.year ?? 1970, n.month ?? 1, n.day ?? 1)
    }

    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0)
    }

    /// TEXT as RFC 5545 writes it: backslash, semicolon, comma and newline escaped; other control characters
    /// dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case _ where ch.value < 0x20 || ch.value == 0x7F: continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A content line folded so that no line is longer than 75 octets, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var out = ""
        var width = 0
        for ch in line.unicodeScalars {
            let octets = String(ch).utf8.count
            if width + octets > 75 {
                out += "\r\n "
                width = 1
            }
            out.unicodeScalars.append(ch)
            width += octets
        }
        return out
    }
}
