import Foundation

/// Whether a configured secret (the operator token, the secret key) looks like a real random value. Production
/// refuses the placeholders that example files ship and values too regular to be random, so a copied example never
/// runs as a production daemon's only protection.
enum SecretStrength {
    /// Words that example and template files use in place of a value.
    static let placeholderWords = [
        "change-me", "change_me", "changeme", "replace-me", "replace_me", "replaceme", "placeholder", "example",
        "your-", "your_", "insert", "todo", "xxxxxxxx", "secret-key", "password",
    ]

    /// The Shannon entropy of the value's own characters times its length: an estimate of its bits that a random
    /// base64 or hex string of the required length easily passes, and a repeated or keyboard pattern does not.
    static func estimatedBits(_ value: String) -> Double {
        let scalars = Array(value.unicodeScalars)
        guard !scalars.isEmpty else { return 0 }
        var counts: [Unicode.Scalar: Int] = [:]
        for s in scalars { counts[s, default: 0] += 1 }
        let n = Double(scalars.count)
        let perCharacter = counts.values.reduce(0.0) { sum, c in
            let p = Double(c) / n
            return sum - p * log2(p)
        }
        return perCharacter * n
    }

    /// Why `value` may not protect a production daemon, or nil when it may. `minimumBits` is the estimate asked.
    static func weakness(of value: String, minimumBits: Double) -> String? {
        let lower = value.lowercased()
        if let word = placeholderWords.first(where: { lower.contains($0) }) {
            return "looks like a placeholder (it contains \"\(word)\")"
        }
        if estimatedBits(value) < minimumBits {
            return "is too regular to be random (about \(Int(estimatedBits(value))) bits; \(Int(minimumBits)) needed)"
        }
        return nil
    }

    /// The advice every refusal ends with.
    static let advice = "generate one with: openssl rand -base64 32"
}
