import Foundation
import Hummingbird
import ScorecardCore

/// A redirect a page answers instead of itself (303 See Other, so a form post becomes a GET).
struct PageRedirect: Error, Sendable {
    var location: String

    init(_ location: String) { self.location = location }

    /// To the sign-in page, coming back to `next` afterwards.
    static func login(next: String?, expired: Bool) -> PageRedirect {
        var query: [String] = []
        if expired { query.append("expired=1") }
        if let next, next != "/" { query.append("next=" + PageRedirect.escape(next)) }
        return PageRedirect("/login" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
    }

    /// The path and query of a GET request (nil for other methods: a post is not repeated after sign-in).
    static func here(_ request: Request) -> String? {
        request.method == .get ? request.uri.description : nil
    }

    /// A local path to return to after sign-in: only `/…` paths of this site (not `//host`).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count <= 512 else { return nil }
        return next
    }

    /// Percent-escapes a query value.
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    var response: Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
