import Foundation
import Hummingbird
import ScorecardCore

/// A submitted `application/x-www-form-urlencoded` form: the first value of each field.
struct FormBody: Sendable {
    var fields: [String: String]

    /// The most a form body may carry.
    static let limit = 64 << 10

    /// Reads and decodes the request's body (413 beyond ``limit``).
    static func read(_ request: Request) async throws -> FormBody {
        let buffer = try await request.collectDecodedBody(upTo: limit)
        return FormBody(decoding: String(buffer: buffer))
    }

    init(fields: [String: String]) { self.fields = fields }

    /// Decodes `a=1&b=x+y` (plus as space, percent escapes as UTF-8); later duplicates are ignored.
    init(decoding text: String) {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = FormBody.unescape(parts[0])
            guard !key.isEmpty, fields[key] == nil else { continue }
            fields[key] = parts.count > 1 ? FormBody.unescape(parts[1]) : ""
        }
        self.fields = fields
    }

    static func unescape(_ part: Substring) -> String {
        let plus = part.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// The field trimmed, nil when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
