// libFuzzer target: how `POST /api/v1/sync/push` reads its body: `WireJSON.decoder()` into
// `JSONValue` (ScorecardCore/Wire/JSONValue.swift), the route's shape checks
// (ScorecardServer/Routes/SyncRoutes.swift: an object with a `mutations` array of at most 500),
// then `PushMutation.init` and its field readers (ScorecardServerCore/Push/PushMutation.swift).
//
// Checks, beyond "never crashes": a body that decodes encodes with `WireJSON` and decodes back to
// the same value; every mutation accepted has an id of 1 to 100 characters and its `type`.
import Foundation
import ScorecardCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    guard !body.isEmpty, let value = try? WireJSON.decoder().decode(JSONValue.self, from: body) else { return 0 }
    guard let encoded = try? WireJSON.encode(value) else { preconditionFailure("a decoded JSONValue does not encode") }
    guard let back = try? WireJSON.decoder().decode(JSONValue.self, from: encoded) else {
        preconditionFailure("WireJSON's own output does not decode: \(String(decoding: encoded, as: UTF8.self))")
    }
    precondition(back == value, "the value changes through WireJSON: \(String(decoding: encoded, as: UTF8.self))")

    guard case .object(let object) = value, case .array(let items)? = object["mutations"], items.count <= 500 else { return 0 }
    for item in items {
        guard let mutation = PushMutation(item) else { continue }
        precondition(!mutation.id.isEmpty && mutation.id.count <= 100, "mutation id '\(mutation.id)'")
        guard case .object(let fields) = item else { preconditionFailure("a mutation that is not an object") }
        precondition(mutation.type == (mutation.string("type") ?? ""), "type")
        for key in fields.keys {
            _ = mutation.string(key)
            if let n = mutation.int(key), case .number(let d)? = fields[key] { precondition(Double(n) == d, "int(\(key))") }
            if let o = mutation.object(key) { _ = o.count }
        }
    }
    return 0
}
