/// CSV per RFC 4180 (comma, CRLF, a header row, quotes doubled), safe to open in a spreadsheet: a cell that begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so it is never read as a formula.
enum CSV {
    /// The file: the header, then one line per row; every row has the header's columns.
    static func render(header: [String], rows: [[String]]) -> [UInt8] {
        var out = ""
        for line in [header] + rows {
            out += line.map(cell).joined(separator: ",") + "\r\n"
        }
        return Array(out.utf8)
    }

    static func cell(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
