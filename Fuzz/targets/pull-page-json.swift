// libFuzzer target: `MirrorPage.parse` (ScorecardCache/MirrorPage+Scan.swift, MirrorPage+Rows.swift)
// seeded with real pull pages in the `json` form; the checks are in common/PullPage.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkPullPage(data, size)
    return 0
}
