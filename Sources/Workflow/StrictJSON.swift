/// A syntax check of RFC 8259 JSON, run on request bodies before they are decoded: Foundation's decoder accepts
/// some text that is not JSON (a trailing comma, for one), and a body must mean the same to every client.
public enum StrictJSON {
    /// Where the text stops being JSON, and why.
    public struct SyntaxError: Error, Sendable, Equatable {
        /// Byte offset of the first character that does not fit (0-based).
        public var offset: Int
        public var message: String
    }

    /// Checks that `bytes` is exactly one JSON value with optional whitespace around it.
    public static func validate(_ bytes: [UInt8]) throws(SyntaxError) {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        try scanner.value(depth: 0)
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.error("unexpected text after the JSON value") }
    }

    struct Scanner {
        let bytes: [UInt8]
        var i = 0
        /// Deeper nesting is refused rather than risk the stack.
        static let maxDepth = 64

        var atEnd: Bool { i >= bytes.count }
        var current: UInt8? { atEnd ? nil : bytes[i] }

        func error(_ message: String) -> SyntaxError { SyntaxError(offset: i, message: message) }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8, _ what: String) throws(SyntaxError) {
            guard current == c else { throw error("expected \(what)") }
            i += 1
        }

        mutating func value(depth: Int) throws(SyntaxError) {
            guard depth < Self.maxDepth else { throw error("nested more than \(Self.maxDepth) levels deep") }
            switch current {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case let c? where c == UInt8(ascii: "-") || (0x30...0x39).contains(c): try number()
            case nil: throw error("unexpected end of the body")
            default: throw error("expected a JSON value")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) {
            i += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
                try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after the member name")
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                return
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) {
            i += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                return
            }
        }

        mutating func string() throws(SyntaxError) {
            i += 1
            while let c = current {
                switch c {
                case UInt8(ascii: "\""):
                    i += 1
                    return
                case UInt8(ascii: "\\"):
                    i += 1
                    guard let e = current else { throw error("unterminated string") }
                    if e == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            i += 1
                            guard let h = current, isHexDigit(h) else { throw error("\\u needs four hex digits") }
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(e) {
                        throw error("unknown escape")
                    }
                    i += 1
                case 0x00...0x1F:
                    throw error("control character in a string (escape it)")
                default:
                    i += 1
                }
            }
            throw error("unterminated string")
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            for b in word.utf8 {
                guard current == b else { throw error("expected \(word)") }
                i += 1
            }
        }

        mutating func number() throws(SyntaxError) {
            if current == UInt8(ascii: "-") { i += 1 }
            guard let first = current, isDigit(first) else { throw error("expected a digit") }
            i += 1
            if first != UInt8(ascii: "0") { while let c = current, isDigit(c) { i += 1 } }
            if current == UInt8(ascii: ".") {
                i += 1
                guard let c = current, isDigit(c) else { throw error("expected a digit after '.'") }
                while let c = current, isDigit(c) { i += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                i += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
                guard let c = current, isDigit(c) else { throw error("expected a digit in the exponent") }
                while let c = current, isDigit(c) { i += 1 }
            }
        }

        func isDigit(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) }
        func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c) }
    }
}
