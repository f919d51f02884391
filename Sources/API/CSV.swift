/// CSV per RFC 4180 (comma, CRLF, a header row, quotes doubled), safe to open in a spreadsheet: a cell that begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so it is never read as a formula —
/// except a plain number (`-0.25`, a negative ROI), which a spreadsheet reads as the number it is, never a formula.
enum CSV {
    /// The file: the header, then one line per row; every row has the header's columns.
    static func render(header: [String], rows: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((rows.first?.reduce(0) { $0 + $1.utf8.count + 1 } ?? 0) * (rows.count + 1) + 64)
        for line in CollectionOfOne(header) + rows {
            for (i, value) in line.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(value, into: &out)
            }
            out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        }
        return out
    }

    static func write(_ value: String, into out: inout [UInt8]) {
        let bytes = value.utf8
        let formula = bytes.first.map { "=+-@\t\r".utf8.contains($0) } == true && !isNumber(bytes)
        let quoted = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if quoted { out.append(UInt8(ascii: "\"")) }
        if formula { out.append(UInt8(ascii: "'")) }
        if quoted {
            for b in bytes {
                out.append(b)
                if b == UInt8(ascii: "\"") { out.append(b) }
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: bytes)
        }
    }

    /// A number as JSON writes one (`-12`, `-0.25`, `-1.5e-07`): digits after an optional minus, an optional
    /// fraction and exponent, nothing else.
    static func isNumber(_ bytes: String.UTF8View) -> Bool {
        var it = bytes.makeIterator()
        var c = it.next()
        func digits() -> Int {
            var n = 0
            while let d = c, d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") {
                n += 1
                c = it.next()
            }
            return n
        }
        if c == UInt8(ascii: "-") { c = it.next() }
        guard digits() > 0 else { return false }
        if c == UInt8(ascii: ".") {
            c = it.next()
            guard digits() > 0 else { return false }
        }
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            c = it.next()
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { c = it.next() }
            guard digits() > 0 else { return false }
        }
        return c == nil
    }
}
