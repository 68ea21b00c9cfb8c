// libFuzzer target: the client's accounts file, `$XDG_CONFIG_HOME/scorecard/accounts.json`, read
// by the real `AccountStore` (ScorecardSync/Accounts.swift) from a file in a scratch directory.
//
// Checks, beyond "never crashes": when the file reads, making each of its accounts current
// (`use`, which rewrites the file) leaves that account current and listed once, and switching
// to it by key finds it (when the key names it alone).
import Foundation
import ScorecardCore

let scratch: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let dir = base + "/scorecard-fuzz-accounts-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: "/dev/shm/scorecard-fuzz-accounts-\(getpid())") }
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let store = AccountStore(configDirectory: scratch, dataDirectory: scratch + "/data")
    guard FileManager.default.createFile(atPath: store.accountsPath, contents: Data(bytes: data, count: size)) else {
        preconditionFailure("cannot write \(store.accountsPath)")
    }
    guard let accounts = try? store.accounts() else { return 0 }
    _ = try? store.current()
    for account in accounts.prefix(4) {
        _ = Account.hostKey(for: account.server)
        _ = store.tokenPath(account)
        _ = store.mirrorPath(account)
        guard (try? store.use(account)) != nil else { preconditionFailure("use() failed on a readable file") }
        guard let now = try? store.current(), let listed = try? store.accounts() else { preconditionFailure("the rewritten file does not read") }
        precondition(now.key == account.key, "current is \(now.key) after use(\(account.key))")
        precondition(listed.filter { $0.key == account.key }.count == 1, "\(account.key) listed other than once")
        if listed.filter({ $0.key == account.key || $0.person == account.key }).count == 1 {
            precondition((try? store.switchTo(account.key))??.key == account.key, "switchTo(\(account.key))")
        }
    }
    return 0
}
