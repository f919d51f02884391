import Foundation
import Testing

@testable import Workflow

@Suite("Writing JSON without Foundation's encoder")
struct JSONValueTests {
    static let tricky: [String] = [
        "", "plain", "quote \" and backslash \\", "slash / stays", "new\nline\ttab\rreturn", "\u{0}\u{1}\u{1F}\u{7F}",
        "émoji 🚲 and 中文", "</script>", "\u{2028}\u{2029}", String(repeating: "x", count: 10_000),
    ]

    @Test("an id is written as Foundation writes it, lowercased, and orders as its uppercase form")
    func ids() {
        var ids = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))]
        ids.append(UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))
        ids.append(UUID(uuidString: "0A1B2C3D-4E5F-6A7B-8C9D-AEBFC0D1E2F3")!)
        for _ in 0..<10_000 { ids.append(UUID()) }
        for id in ids { #expect(id.lowercased == id.uuidString.lowercased(), "\(id)") }
        #expect(ids.sorted { $0.lowercased < $1.lowercased } == ids.sorted { $0.uuidString < $1.uuidString })
    }

    @Test("every string survives a round trip through a standard parser", arguments: tricky)
    func strings(_ s: String) throws {
        let text = JSONValue.array([.string(s)]).serialized()
        let parsed = try JSONSerialization.jsonObject(with: Data(text)) as? [String]
        #expect(parsed == [s])
    }

    @Test("nested values parse back to the same value; integers keep no fraction; keys sort on request")
    func values() throws {
        let value: JSONValue = .object([
            "b": .array([.null, .bool(true), .bool(false), .number(0), .number(-12), .number(1.5), .number(5_000_000)]),
            "a": .object(["z": .string("1"), "y": .object([:]), "x": .array([])]),
            "big": .number(9_007_199_254_740_993), "small": .number(1e-7),
        ])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(value.serialized()))
        #expect(decoded == value)
        let sorted = value.serializedString(sortedKeys: true)
        #expect(sorted.hasPrefix(#"{"a":{"x":[],"y":{},"z":"1"},"b":[null,true,false,0,-12,1.5,5000000],"big":"#))
        #expect(!sorted.contains("5000000.0"))
    }

    @Test("non-finite numbers, which JSON cannot carry, are written as null rather than broken text")
    func nonFinite() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity)]).serializedString() == "[null,null]")
    }
}
