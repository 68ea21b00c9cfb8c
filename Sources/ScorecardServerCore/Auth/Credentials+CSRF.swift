import Crypto
import Foundation

extension Credentials {
    /// The CSRF token of a web session: HMAC-SHA256 keyed by the session's secret over a fixed
    /// label, as unpadded base64url. It needs no storage, changes with every session, and cannot
    /// be computed without the session cookie's value (which scripts cannot read: HttpOnly).
    public static func csrfToken(forSession session: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("scorecard-csrf-v1".utf8), using: SymmetricKey(data: Data(session.utf8)))
        return base64url(Data(mac))
    }

    /// Compares two tokens in time independent of where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
