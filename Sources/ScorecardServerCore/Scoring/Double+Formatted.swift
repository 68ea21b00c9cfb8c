extension Double {
    /// Two decimals, trailing zeros dropped (`72.5`, `80`).
    public var formatted2: String {
        let r = ScoringEngine.round(self)
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
