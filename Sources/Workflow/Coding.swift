import Foundation

/// The JSON conventions shared by storage and the API: ISO 8601 dates with milliseconds, so that
/// order and precision survive a round trip.
public enum JSONCoding {
    /// Formats a date as ISO 8601 UTC with milliseconds.
    public static func format(_ date: Date) -> String {
        date.formatted(withFraction)
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Parses an ISO 8601 date with or without fractional seconds.
    public static func parse(_ s: String) -> Date? {
        (try? withFraction.parse(s)) ?? (try? withoutFraction.parse(s))
    }

    /// An encoder using the shared date format.
    public static func encoder(sorted: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(format(date))
        }
        e.outputFormatting = sorted ? [.sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
        return e
    }

    /// A decoder using the shared date format.
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 date")
            }
            return date
        }
        return d
    }
}

extension UUID {
    /// A time-ordered UUID (version 7), so ids sort by creation time and make stable cursors.
    public static func v7(now: Date = Date()) -> UUID {
        let ms = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var rng = SystemRandomNumberGenerator()
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8((ms >> (40 - 8 * UInt64(i))) & 0xFF) }
        for i in 6..<16 { b[i] = UInt8.random(in: 0...255, using: &rng) }
        b[6] = (b[6] & 0x0F) | 0x70
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }
}
