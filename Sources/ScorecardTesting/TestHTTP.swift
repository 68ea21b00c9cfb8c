import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ScorecardCore

/// A plain HTTP response as tests see it.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The `error.code` of an API error body, if any.
    public var errorCode: String? { try? WireJSON.decode(ErrorBody.self, from: body).error.code }

    /// A header, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// Decodes the body.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try WireJSON.decode(type, from: body) }
}

/// An unexpected status in a test helper.
public struct TestHTTPError: Error, CustomStringConvertible {
    public var status: Int
    public var body: String
    public var description: String { "HTTP \(status): \(body)" }

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// Real HTTP over URLSession, for tests.
public enum TestHTTP {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration)
    }()

    /// For requests that may take minutes (a review written by a real model on a busy machine).
    static let patientSession: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 600
        return URLSession(configuration: configuration)
    }()

    /// Sends one request; `patient` waits up to 10 minutes for the answer instead of 30 s.
    public static func send(
        _ method: String, _ url: String, token: String? = nil, body: Data? = nil, headers: [String: String] = [:], patient: Bool = false
    ) async throws -> TestResponse {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await (patient ? patientSession : session).data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields["\(k)"] = "\(v)" }
        return TestResponse(status: http.statusCode, headers: fields, body: data)
    }
}

/// Builds dialer-shaped CDR JSON objects for tests.
public enum CDRFixture {
    /// One CDR object in the dialer's shape.
    public static func record(
        id: String, agent: String, start: String = "2026-11-16 10:00:00", type: String = "InBound", status: String = "Answered",
        talk: String = "00:02:00", handling: String? = "00:02:30", disposition: String? = "General Enquiry"
    ) -> [String: String?] {
        ["CallID": id, "AgentID": agent, "StartTime": start, "Type": type, "Status": status, "TalkTime": talk, "HandlingTime": handling, "Disposition": disposition]
    }

    /// JSON for an array of records.
    public static func json(_ records: [[String: String?]]) throws -> Data { try JSONEncoder().encode(records) }

    /// A year of `calls` for `agent` (ids `y0`…), evenly spread from the start of the day 364 days
    /// before `today` to a minute ago, with a mix of directions, outcomes and dispositions: the
    /// field-link benchmark's data and test's.
    public static func year(agent: String, calls: Int, endingOn today: CivilDate = DateRange.today()) -> [[String: String?]] {
        let first = today.adding(days: -364).daysSinceEpoch * 86_400
        let last = Int(Timestamp.epochSeconds(Timestamp.now()) ?? 0) - 60
        let step = Double(last - first) / Double(max(1, calls))
        return (0..<calls).map { i in
            let t = Timestamp.format(epochSeconds: first + Int(Double(i) * step))
            return record(
                id: "y\(i)", agent: agent, start: String(t.prefix(10)) + " " + String(t.dropFirst(11).prefix(8)),
                type: i % 3 == 0 ? "InBound" : "Manual", status: i % 5 == 0 ? "NotAnswered" : "Answered",
                talk: HMS.clock(i % 5 == 0 ? 0 : 30 + i % 400), handling: HMS.clock(45 + i % 420),
                disposition: i % 7 == 0 ? "Appointment Booked" : (i % 4 == 0 ? nil : "General Enquiry"))
        }
    }
}
