import Testing

@testable import API

/// The CSV writer alone, read back by Python's `csv` module: formula-shaped text is prefixed, numbers are not.
@Suite("CSV cells")
struct CSVTests {
    @Test("formula-shaped text gets a quote; a negative number stays a number; quotes and commas are escaped")
    func cells() throws {
        let cases: [(String, String)] = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+Task", "'+Task"), ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"), ("-", "'-"), ("\tTab", "'\tTab"), ("-0.25", "-0.25"), ("-12", "-12"),
            ("-1.5e-07", "-1.5e-07"), ("-1.", "'-1."), ("-.5", "'-.5"), ("1,5", "1,5"), ("a \"b\"", "a \"b\""),
            ("line\r\nnext", "line\r\nnext"), ("", ""), ("Ünïcode ✓", "Ünïcode ✓"),
        ]
        // A second column, so the empty cell is a row and not a blank line.
        let file = CSV.render(header: ["value", "n"], rows: cases.map { [$0.0, "1"] })
        let read = try parseCSV(String(decoding: file, as: UTF8.self)).map { $0["value"] ?? "<missing>" }
        #expect(read == cases.map(\.1))
    }
}
