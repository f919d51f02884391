import Foundation
import Synchronization

/// The order response keys are written in: the order of the OpenAPI schema the object follows (the smallest
/// object schema of the document that has every key of the object), else alphabetical. So the same response
/// always reads the same way, in the order the document describes it.
enum SchemaOrder {
    /// Each object schema's property names, in document order (nested inline schemas included).
    static let schemas: [[String]] = {
        guard let bytes = OpenAPIDocument.bytes else { return [] }
        var reader = OrderedReader(bytes: bytes)
        var out: [[String]] = []
        reader.propertyLists(into: &out)
        return out
    }()

    private static let cache = Mutex<[String: [String]]>([:])
    /// The last keys asked for and their order: the rows of a list come one after another with the same keys in
    /// the same order, and comparing them is cheaper than the sort, join and hash of a cache lookup (a report of
    /// 10,000 rows spent 11 % of its time here).
    private static let last = Mutex<(keys: [String], ordered: [String])>(([], []))

    /// `keys` in the order of the schema they follow.
    @Sendable static func order(_ keys: [String]) -> [String] {
        if let hit = last.withLock({ $0.keys == keys ? $0.ordered : nil }) { return hit }
        let ordered = lookUp(keys)
        last.withLock { $0 = (keys, ordered) }
        return ordered
    }

    private static func lookUp(_ keys: [String]) -> [String] {
        let sorted = keys.sorted()
        let signature = sorted.joined(separator: "\u{1}")
        if let hit = cache.withLock({ $0[signature] }) { return hit }
        let keySet = Set(keys)
        let schema = schemas.filter { $0.count >= keySet.count && keySet.isSubset(of: $0) }.min { $0.count < $1.count }
        let ordered = schema.map { $0.filter(keySet.contains) } ?? sorted
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }  // free-form keys (KPI results) must not grow it forever
            cache[signature] = ordered
        }
        return ordered
    }
}

/// Reads the (trusted, valid) OpenAPI document keeping member order, which `JSONSerialization` forgets, and
/// collects the member names of every `properties` object.
struct OrderedReader {
    let bytes: [UInt8]
    var i = 0

    mutating func skipWhitespace() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    mutating func string() -> String {
        i += 1
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
        defer { i += 1 }
        return String(decoding: bytes[start..<min(i, bytes.count)], as: UTF8.self)
    }

    /// Skips or reads one value; for an object that is the value of `properties`, records its member names.
    mutating func propertyLists(into out: inout [[String]], isProperties: Bool = false) {
        skipWhitespace()
        guard i < bytes.count else { return }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var names: [String] = []
            while true {
                skipWhitespace()
                if i >= bytes.count || bytes[i] == UInt8(ascii: "}") { break }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                let name = string()
                names.append(name)
                skipWhitespace()
                i += 1  // ':'
                propertyLists(into: &out, isProperties: name == "properties" && !isProperties)
            }
            i += 1
            if isProperties { out.append(names) }
        case UInt8(ascii: "["):
            i += 1
            while true {
                skipWhitespace()
                if i >= bytes.count || bytes[i] == UInt8(ascii: "]") { break }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                propertyLists(into: &out)
            }
            i += 1
        case UInt8(ascii: "\""):
            _ = string()
        default:
            while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[i]) {
                i += 1
            }
        }
    }
}
