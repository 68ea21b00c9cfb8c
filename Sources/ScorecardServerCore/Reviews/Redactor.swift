import Foundation

/// Removes personal data and secrets from free text before it goes anywhere near a prompt
/// (seed 002, "Data Minimization & Privacy Controls").
///
/// Each kind of match becomes a placeholder: `[email]`, `[phone]`, `[token]`, `[account]`,
/// `[address]` or `[payment]`. The rules lean towards redacting too much: a placeholder where an
/// innocent number stood costs a little evidence, a leaked phone number costs trust. Dates, times,
/// durations, percentages, ratings and ticket references such as `T-1042` survive.
///
/// ```swift
/// Redactor.redact("Call me on +44 20 7946 0958")   // "Call me on [phone]"
/// Redactor.excerpt(ticket.text, maxChars: 600)
/// ```
public enum Redactor {
    /// Returns `text` with every match of every rule replaced by its placeholder.
    public static func redact(_ text: String) -> String {
        var result = text
        for rule in rules {
            let range = NSRange(result.startIndex..., in: result)
            result = rule.regex.stringByReplacingMatches(in: result, range: range, withTemplate: rule.template)
        }
        return result
    }

    /// The redacted text with runs of whitespace folded into one space, cut to at most `maxChars`
    /// characters (the trailing "…" included) on a character boundary, never inside a placeholder.
    public static func excerpt(_ text: String, maxChars: Int) -> String {
        guard maxChars > 0 else { return "" }
        let folded = redact(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard folded.count > maxChars else { return folded }
        var cut = folded.prefix(maxChars - 1)
        // Do not leave half a placeholder such as "[acc…".
        if let open = cut.lastIndex(of: "["), !cut[open...].contains("]") { cut = cut[..<open] }
        while cut.last?.isWhitespace == true { cut = cut.dropLast() }
        return cut + "…"
    }

    /// One pattern and what its matches become (`$1` refers to a capture group).
    struct Rule: Sendable {
        let regex: NSRegularExpression
        let template: String

        init(_ pattern: String, _ template: String) {
            // The patterns are constants: a bad one is a programming error caught by the tests.
            regex = try! NSRegularExpression(pattern: pattern)
            self.template = template
        }
    }

    /// The rules in the order they run: specific shapes first, so a card number is not taken for
    /// a phone number nor an IBAN for a token.
    static let rules: [Rule] = [
        // Emails.
        Rule(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#, "[email]"),
        // JSON web tokens, bearer tokens, well-known API key shapes.
        Rule(#"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"#, "[token]"),
        Rule(#"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{6,}"#, "[token]"),
        Rule(
            #"\b(?:(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_])?[A-Za-z0-9_-]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,})"#,
            "[token]"),
        // `api_key=…`, `password: …`, `token=…`: keep the name, drop the value.
        Rule(
            #"(?i)\b(api[_ -]?key|access[_ -]?key|secret|client[_ -]?secret|token|password|passwd|pwd|pin)(\s*[:=]\s*)["']?[^\s"',;]{4,}["']?"#,
            "$1$2[token]"),
        // IBANs, before the long-token rule and the digit rules below.
        Rule(#"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"#, "[account]"),
        // Long hex or base64(url) secrets: 32+ characters mixing letters and digits.
        Rule(#"(?<![A-Za-z0-9_+-])(?=[A-Za-z0-9_+-]*\d)(?=[A-Za-z0-9_+-]*[A-Za-z])[A-Za-z0-9_+-]{32,}={0,2}"#, "[token]"),
        // Account, customer and bank numbers introduced by a keyword.
        Rule(
            #"(?i)\b(?:account|acct|a/c|customer|client|member|subscriber)(?:\s*(?:no\.?|number|num|id|#))?\s*(?:is\s+)?[:#]?\s*(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}\b"#,
            "[account]"),
        Rule(
            #"(?i)\b(?:routing|sort\s+code|bsb|swift|bic)(?:\s*(?:no\.?|number|code))?\s*[:#]?\s*(?=[A-Z0-9 -]*\d)[A-Z0-9][A-Z0-9-]{3,}(?:\s?-?\d{2,})*\b"#,
            "[account]"),
        // Payment references: invoices, transactions, receipts.
        Rule(
            #"(?i)\b(?:invoice|inv|payment\s+(?:ref(?:erence)?|id|no\.?)|pmt\s+ref|transaction(?:\s+id)?|txn|receipt|refund\s+ref)\s*(?:no\.?|number|#|id)?\s*[:#]?\s*(?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{3,}\b"#,
            "[payment]"),
        Rule(#"\bINV-?\d{3,}[A-Za-z0-9-]*"#, "[payment]"),
        // International phone numbers: before card numbers, which they can be as long as.
        Rule(#"\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{1,4}){1,5}\b"#, "[phone]"),
        // Card numbers: 13 to 19 digits with optional single spaces or dashes.
        Rule(#"(?<![\d+])(?:\d[ -]?){12,18}\d(?!\d)"#, "[payment]"),
        // Local phone numbers: (555) 123-4567, 555.123.4567, 020 7946 0958, 07700 900123,
        // and any number after "tel", "phone", "mobile"….
        Rule(
            #"(?i)\b(tel|phone|mobile|cell|fax|whatsapp|sms|call me (?:on|at))(\.?\s*(?:number\s*)?(?:is\s+)?[:#]?\s*)\+?\(?\d[\d ().-]{5,}\d"#,
            "$1$2[phone]"),
        Rule(#"\(\d{2,5}\)[ .-]?\d{3,4}[ .-]?\d{3,4}\b"#, "[phone]"),
        Rule(#"\b\d{3}[ .-]\d{3}[ .-]\d{4}\b"#, "[phone]"),
        Rule(#"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b"#, "[phone]"),
        // Street addresses: number, capitalised name, street suffix, optional unit.
        Rule(
            #"\b\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:[A-Z][A-Za-z'.-]*\s+){1,4}(?:(?i:Street|Avenue|Road|Lane|Boulevard|Drive|Court|Place|Square|Terrace|Way|Parkway|Highway|Crescent|Close|Circle|Row|Gardens|Grove|Walk|Mews)\b|(?i:St|Ave|Rd|Ln|Blvd|Dr|Ct|Pl|Sq|Pkwy|Hwy|Cir)\b\.?)(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?(?:,?\s*(?i:Apt|Apartment|Suite|Ste|Unit|Flat|Floor)\.?\s*#?\s*[A-Za-z0-9-]+)?"#,
            "[address]"),
        Rule(#"(?i)\bP\.?\s?O\.?\s+Box\s+\d+"#, "[address]"),
        // UK postcodes and US state + ZIP.
        Rule(#"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"#, "[address]"),
        Rule(#"\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"#, "[address]"),
    ]
}
