/// Text made safe inside HTML, in an element or a quoted attribute: the one escape the console's comment markup and
/// the emails' HTML part both use (beside Storage's `ConsolePaths`, which they share the same way).
public enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities; nothing else changes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
