import Foundation

/// Parses request bodies into JSON objects with the errors the API promises.
public enum JSONBody {
    /// Parses `body` as a JSON object; an empty body is `{}`.
    public static func object(_ body: [UInt8]) throws(InputError) -> [String: JSONValue] {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        do { try StrictJSON.validate(body) } catch {
            throw .malformed("the body is not valid JSON (RFC 8259): \(error.message) at byte \(error.offset)")
        }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(body)) } catch {
            throw .malformed("the body is not valid JSON")
        }
        guard case .object(let object) = value else { throw .malformed("the body must be a JSON object") }
        return object
    }
}

/// Reads typed fields from a JSON object, collecting every validation error (422 `validation_failed` lists them all)
/// and keeping the first type error (400 `malformed_request`). The one reader of request bodies: action inputs and
/// the bodies of every other route alike.
public struct FieldReader {
    let object: [String: JSONValue]
    let path: String
    private(set) var seen: Set<String> = []
    private(set) var errors: [FieldError] = []
    private(set) var typeError: String?

    init(object: [String: JSONValue], path: String) {
        self.object = object
        self.path = path
    }

    /// A reader of a request body, which must be a JSON object (an empty body is `{}`).
    public init(body: [UInt8]) throws(InputError) {
        self.init(object: try JSONBody.object(body), path: "")
    }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    /// Records a validation error of `key` (a rule of the caller's, beyond the field's type and size).
    public mutating func fail(_ key: String, _ message: String) {
        errors.append(FieldError(field: qualified(key), message: message))
    }
    mutating func malformed(_ message: String) {
        if typeError == nil { typeError = path.isEmpty ? message : "\(path).\(message)" }
    }

    mutating func absorb(_ other: inout FieldReader) {
        other.rejectUnknown()
        errors += other.errors
        if typeError == nil { typeError = other.typeError }
    }

    private mutating func value(_ key: String, required: Bool) -> JSONValue? {
        seen.insert(key)
        guard let v = object[key], v != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        return v
    }

    public mutating func string(_ key: String, max: Int, allowEmpty: Bool = false, required: Bool = true) -> String? {
        guard let v = value(key, required: required) else { return nil }
        guard case .string(let s) = v else {
            malformed("\(key) must be a string")
            return nil
        }
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.unicodeScalars.contains(where: { $0.value == 0 }) {
            fail(key, "must not contain NUL characters")
            return nil
        }
        if !allowEmpty && trimmed.isEmpty { fail(key, "must not be empty") }
        if !Limits.fits(s, max) { fail(key, "must be at most \(max) characters") }
        return s
    }

    /// Whether the object has `key` with a value other than null.
    public mutating func has(_ key: String) -> Bool {
        seen.insert(key)
        return object[key].map { $0 != .null } ?? false
    }

    /// An optional boolean.
    public mutating func bool(_ key: String) -> Bool? {
        guard let v = value(key, required: false) else { return nil }
        guard case .bool(let b) = v else {
            malformed("\(key) must be true or false")
            return nil
        }
        return b
    }

    mutating func positiveInteger(_ key: String) -> Int? {
        guard let v = value(key, required: true) else { return nil }
        guard case .number(let n) = v, n.isFinite, n.rounded() == n else {
            malformed("\(key) must be an integer")
            return nil
        }
        guard n >= 1, n <= 1_000_000 else {
            fail(key, "must be a positive integer")
            return nil
        }
        return Int(n)
    }

    mutating func array(_ key: String, max: Int, required: Bool = true) -> [JSONValue]? {
        guard let v = value(key, required: required) else { return nil }
        guard case .array(let a) = v else {
            malformed("\(key) must be an array")
            return nil
        }
        if a.count > max {
            fail(key, "must have at most \(max) items")
            return nil
        }
        return a
    }

    public mutating func stringArray(
        _ key: String, max: Int, itemMax: Int, minCount: Int, required: Bool = true
    ) -> [String]? {
        guard let items = array(key, max: max, required: required) else { return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                malformed("\(key)[\(i)] must be a string")
                return nil
            }
            if s.unicodeScalars.contains(where: { $0.value == 0 }) {
                fail("\(key)[\(i)]", "must not contain NUL characters")
            }
            if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fail("\(key)[\(i)]", "must not be empty") }
            if !Limits.fits(s, itemMax) { fail("\(key)[\(i)]", "must be at most \(itemMax) characters") }
            out.append(s)
        }
        if out.count < minCount { fail(key, "must have at least \(minCount) item\(minCount == 1 ? "" : "s")") }
        return out
    }

    mutating func object(_ key: String) -> [String: JSONValue]? {
        guard let v = value(key, required: true) else { return nil }
        guard case .object(let o) = v else {
            malformed("\(key) must be an object")
            return nil
        }
        return o
    }

    public mutating func nested<T>(_ key: String, _ read: (inout FieldReader) -> T) -> T? {
        guard let o = object(key) else { return nil }
        var inner = FieldReader(object: o, path: qualified(key))
        let result = read(&inner)
        absorb(&inner)
        return result
    }

    mutating func number(_ key: String) -> Double? {
        guard let v = value(key, required: true) else { return nil }
        guard case .number(let n) = v else {
            malformed("\(key) must be a number")
            return nil
        }
        if !n.isFinite || abs(n) > Limits.maxMagnitude {
            fail(key, "must be a finite number within ±1e15")
            return nil
        }
        return n
    }

    mutating func minorAmount(_ key: String, required: Bool) -> Int64? {
        guard let v = value(key, required: required) else { return nil }
        guard case .number(let n) = v else {
            malformed("\(key) must be an integer")
            return nil
        }
        guard n.isFinite, n.rounded() == n else {
            malformed("\(key) must be an integer")
            return nil
        }
        guard n >= 0, n <= Limits.maxInteger else {
            fail(key, "must be between 0 and 9007199254740991")
            return nil
        }
        return Int64(n)
    }

    mutating func uuid(_ key: String) -> UUID? {
        guard let s = string(key, max: 36) else { return nil }
        guard let id = UUID(uuidString: s) else {
            fail(key, "must be a UUID")
            return nil
        }
        return id
    }

    mutating func date(_ key: String, required: Bool) -> String? {
        guard let s = string(key, max: 10, required: required) else { return nil }
        if !CalendarDate.isValid(s) { fail(key, "must be a date written YYYY-MM-DD") }
        return s
    }

    /// An RFC 3339 timestamp with a time zone (`2026-12-01T17:00:00Z`, `…+01:00`, fractions allowed).
    public mutating func timestamp(_ key: String, required: Bool) -> Date? {
        guard let s = string(key, max: 40, required: required) else { return nil }
        guard let date = JSONCoding.parse(s) else {
            fail(key, "must be an RFC 3339 timestamp such as 2026-12-01T17:00:00Z")
            return nil
        }
        return date
    }

    public mutating func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) -> E?
    where E.RawValue == String {
        guard let s = string(key, max: 32) else { return nil }
        guard let e = E(rawValue: s) else {
            fail(key, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return e
    }

    mutating func rejectUnknown() {
        for key in object.keys.sorted() where !seen.contains(key) { fail(key, "is not a known field") }
        seen.formUnion(object.keys)
    }

    /// Ends the reading: an unknown field is an error, and the errors found are thrown, the type error first.
    public mutating func finish() throws(InputError) {
        rejectUnknown()
        if let typeError { throw .malformed(typeError) }
        if !errors.isEmpty { throw .invalid(errors) }
    }

    /// ``finish()``, then the required values read, each present once no error was found.
    public mutating func finish<each T>(_ values: repeat (each T)?) throws(InputError) -> (repeat each T) {
        try finish()
        return (repeat try Self.present(each values))
    }

    /// A required value that was not read is an error ``finish()`` has already thrown.
    static func present<T>(_ value: T?) throws(InputError) -> T {
        guard let value else { throw .malformed("a required field is missing") }
        return value
    }
}
