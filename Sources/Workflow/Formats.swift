import Foundation

/// Calendar dates written YYYY-MM-DD.
public enum CalendarDate {
    public static func isValid(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard s.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), y >= 1900,
            y <= 9999
        else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d)
    }

    /// The year, month and day of a valid date; nil otherwise.
    public static func parts(_ s: String) -> (year: Int, month: Int, day: Int)? {
        guard isValid(s) else { return nil }
        let p = s.split(separator: "-").compactMap { Int($0) }
        return (p[0], p[1], p[2])
    }
}

/// Absolute web URLs, as delivery links and webhook endpoints need.
public enum URLCheck {
    public static func isWebURL(_ s: String) -> Bool {
        guard s.utf8.count <= Limits.url, !s.contains(where: { $0.isWhitespace }),
            let c = URLComponents(string: s), let scheme = c.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = c.host, !host.isEmpty
        else { return false }
        return true
    }
}

/// ISO 4217 active currency codes.
public enum Currency {
    static let codes: Set<String> = Set(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN \
        BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS \
        GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW \
        KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD \
        NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD \
        SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED \
        VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
        """.split(separator: " ").map(String.init))

    /// Whether `code` is an active ISO 4217 currency code (upper case).
    public static func isISO4217(_ code: String) -> Bool { codes.contains(code) }

    static let noMinorUnit: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    static let threeMinorDigits: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    /// How many digits the minor unit of `code` has (ISO 4217's exponent): 2 for most, 0 for JPY, 3 for KWD.
    /// People write amounts in major units ("1,250.50 EUR"); the API speaks minor units (`125050`).
    public static func minorDigits(_ code: String) -> Int {
        noMinorUnit.contains(code) ? 0 : threeMinorDigits.contains(code) ? 3 : 2
    }

    /// An amount in minor units written in major units: `125050` EUR is "1,250.50".
    public static func format(minor: Int64, _ code: String) -> String {
        let digits = minorDigits(code)
        let scale = Int64([1, 10, 100, 1000][digits])
        let sign = minor < 0 ? "-" : ""
        let whole = abs(minor) / scale
        var groups: [String] = []
        var rest = whole
        repeat {
            let part = rest % 1000
            rest /= 1000
            groups.insert(rest > 0 ? String(format: "%03lld", part) : String(part), at: 0)
        } while rest > 0
        let fraction = digits == 0 ? "" : "." + String(format: "%0\(digits)lld", abs(minor) % scale)
        return sign + groups.joined(separator: ",") + fraction
    }

    /// An amount written in major units ("1250.50", "1,250.5", "1250") in minor units, or nil when it is not a
    /// plain non-negative decimal with at most the currency's digits after the point.
    public static func parseMajor(_ text: String, _ code: String) -> Int64? {
        let t = text.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        let digits = minorDigits(code)
        guard (1...2).contains(parts.count), let wholeText = parts.first, !wholeText.isEmpty,
            wholeText.count <= 15, wholeText.allSatisfy(\.isASCII), let whole = Int64(wholeText), whole >= 0
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard !f.isEmpty, f.count <= digits, f.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            fraction = Int64(f.padding(toLength: digits, withPad: "0", startingAt: 0)) ?? 0
        }
        let scale = Int64([1, 10, 100, 1000][digits])
        return whole * scale + fraction
    }
}
