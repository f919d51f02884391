import Foundation
import Storage

/// A comment's text as HTML: the small subset people type in review threads — `**bold**`, `*italics*` or
/// `_italics_`, `[a link](https://…)`, lists of `- ` or `1. ` lines, paragraphs — and nothing else. The text is
/// escaped first, so whatever else it holds (tags, entities, quotes) shows as typed and can never become markup; a
/// link is made only of an `http` or `https` address.
enum CommentMarkup {
    static func html(_ text: String) -> String {
        var blocks: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        func flush() {
            if !paragraph.isEmpty { blocks.append("<p>" + paragraph.joined(separator: "<br>") + "</p>") }
            paragraph = []
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                blocks.append("<\(tag)>" + l.items.map { "<li>\($0)</li>" }.joined() + "</\(tag)>")
            }
            list = nil
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flush()
                continue
            }
            if let item = listItem(line) {
                if !paragraph.isEmpty || (list != nil && list?.ordered != item.ordered) { flush() }
                list = (item.ordered, (list?.items ?? []) + [inline(escape(item.text))])
                continue
            }
            if list != nil { flush() }
            paragraph.append(inline(escape(line)))
        }
        flush()
        return blocks.joined(separator: "\n")
    }

    /// `- x`, `* x` or `1. x`.
    static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix(while: \.isASCIIDigit)
        if !digits.isEmpty, digits.count <= 3, line.dropFirst(digits.count).hasPrefix(". ") {
            return (true, String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    static func escape(_ s: String) -> String { HTMLText.escape(s) }

    // On escaped text: no `<`, `>` or `"` is left in it, so what these wrap cannot open a tag or leave an attribute.
    nonisolated(unsafe) static let link = try! Regex(#"\[([^\]\n]{1,200})\]\((https?://[^\s)]{1,2000})\)"#)
    /// Links first, then emphasis on the text around and inside them (never inside an address).
    static func inline(_ escaped: String) -> String {
        var out = ""
        var rest = escaped[...]
        while let m = rest.firstMatch(of: link) {
            out += emphasis(String(rest[..<m.range.lowerBound]))
            let text = m.output[1].substring.map(String.init) ?? ""
            let href = m.output[2].substring.map(String.init) ?? ""
            out += "<a href=\"\(href)\" rel=\"noopener noreferrer nofollow\">\(emphasis(text))</a>"
            rest = rest[m.range.upperBound...]
        }
        return out + emphasis(String(rest))
    }

    /// `**bold**`, then `*italics*` and `_italics_` whose markers stand outside a word (`snake_case` and `2*3*4`
    /// stay as typed). A scan, not a regular expression: Swift's `Regex` has no lookbehind.
    static func emphasis(_ s: String) -> String {
        let c = Array(s)
        func isWord(_ k: Int) -> Bool { k >= 0 && k < c.count && (c[k].isLetter || c[k].isNumber || c[k] == "_") }
        func first(_ marker: Character, from start: Int) -> Int? {
            var j = start
            while j < c.count, c[j] != marker { j += 1 }
            return j < c.count ? j : nil
        }
        var out = ""
        var i = 0
        while i < c.count {
            let m = c[i]
            if m == "*", i + 1 < c.count, c[i + 1] == "*", let end = first("*", from: i + 2), end > i + 2,
                end + 1 < c.count, c[end + 1] == "*"
            {
                out += "<strong>" + emphasis(String(c[(i + 2)..<end])) + "</strong>"
                i = end + 2
                continue
            }
            if m == "*" || m == "_", !isWord(i - 1), i == 0 || c[i - 1] != "*", i + 1 < c.count, c[i + 1] != " ",
                c[i + 1] != m, let end = first(m, from: i + 1), !isWord(end + 1),
                end + 1 >= c.count || c[end + 1] != "*",
                c[end - 1] != " "
            {
                out += "<em>" + String(c[(i + 1)..<end]) + "</em>"
                i = end + 1
                continue
            }
            out.append(m)
            i += 1
        }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
