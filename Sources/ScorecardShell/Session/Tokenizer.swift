/// Splits a shell line into words: whitespace separates; `'…'` and `"…"` quote (inside double
/// quotes `\"` and `\\` escape); a backslash elsewhere is literal, so `\format` is one word.
public enum Tokenizer {
    public struct Unterminated: Error, Sendable {}

    /// The words of `line`; throws when a quote is left open.
    public static func split(_ line: String) throws -> [String] {
        let (words, open) = scan(line)
        if open { throw Unterminated() }
        return words
    }

    /// The words of a partly typed line (an open quote just ends the last word), for completion.
    public static func lenient(_ line: String) -> [String] { scan(line).words }

    static func scan(_ line: String) -> (words: [String], open: Bool) {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for ch in line {
            if let q = quote {
                if escaped {
                    if ch != "\"" && ch != "\\" { current.append("\\") }
                    current.append(ch)
                    escaped = false
                } else if q == "\"" && ch == "\\" {
                    escaped = true
                } else if ch == q {
                    quote = nil
                } else {
                    current.append(ch)
                }
            } else if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else if ch == "'" || ch == "\"" {
                quote = ch
                inWord = true
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return (words, quote != nil)
    }
}
