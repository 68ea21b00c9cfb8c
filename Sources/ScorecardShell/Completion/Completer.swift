import ScorecardCore

/// Tab completion for a line: command names first, then the command's options, option values
/// and positional arguments from its ``CompletionSpec``, with ids from a ``CompletionSource``.
public struct Completer: Sendable {
    public var source: any CompletionSource
    /// Today in UTC, for date candidates.
    public var today: CivilDate

    public init(source: any CompletionSource, today: CivilDate) {
        self.source = source
        self.today = today
    }

    /// Candidates for `word`, the word under the cursor, after the complete words `previous`.
    public func complete(previous: [String], word: String) -> [Completion] {
        guard let name = previous.first else { return filter(CommandRegistry.names.map { Completion($0) }, word) }
        if let session = SessionCommand.completion(name) {
            return previous.count == 1 ? filter(values(session, word: word), word) : []
        }
        guard let command = CommandRegistry.command(named: name) else { return [] }
        let spec = command.completion
        let rest = Array(previous.dropFirst())
        if let last = rest.last, let kind = spec.options[last], kind != .none {
            return filter(values(kind, word: word), word)
        }
        if word.hasPrefix("-") {
            let used = Set(rest)
            return filter(spec.options.keys.sorted().filter { !used.contains($0) }.map { Completion($0) }, word)
        }
        var position = 0
        var i = 0
        while i < rest.count {
            if let kind = spec.options[rest[i]] {
                i += kind == .none ? 1 : 2
                continue
            }
            position += 1
            i += 1
        }
        if spec.repeatsLast, !spec.arguments.isEmpty { position = min(position, spec.arguments.count - 1) }
        guard position < spec.arguments.count else { return [] }
        let kind = spec.arguments[position]
        if kind == .metricAssignment {  // a key once: those already on the line are left out
            let used = Set(rest.compactMap { $0.split(separator: "=", maxSplits: 1).first.map { String($0) + "=" } })
            return filter(values(kind, word: word).filter { !used.contains($0.value) }, word)
        }
        return filter(values(kind, word: word), word)
    }

    func values(_ kind: CompletionSpec.Value, word: String) -> [Completion] {
        switch kind {
        case .none, .free: return []
        case .words(let words): return words.map { Completion($0) }
        case .command: return CommandRegistry.commands.map { Completion($0._commandName) }
        case .reviewID: return source.reviews()
        case .goalID: return source.goals()
        case .account: return source.accounts().map { Completion($0) }
        case .metricAssignment:
            guard !word.contains("=") else { return [] }  // the value is free
            return MetricCatalogue.scored.map { Completion($0.key + "=", label: "\($0.domain?.rawValue ?? "") · \($0.summary)") }
        case .day: return (["today", "yesterday"] + recentDays(word)).map { Completion($0) }
        case .period:
            if let range = word.range(of: "..") {
                let from = String(word[..<range.lowerBound])
                return recentDays(String(word[range.upperBound...])).map { Completion(from + ".." + $0) }
            }
            return (DateRange.words + recentDays(word)).map { Completion($0) }
        }
    }

    /// Dates for a partly typed date: the last 35 days, or the days of the month typed so far
    /// (up to today).
    func recentDays(_ prefix: String) -> [String] {
        if prefix.count >= 7, let month = CivilDate(String(prefix.prefix(7)) + "-01") {
            var days: [String] = []
            var d = month
            while d.components.month == month.components.month && d <= today {
                days.append(d.description)
                d = d.adding(days: 1)
            }
            return days
        }
        guard prefix.first?.isNumber ?? false else { return [] }
        return (0..<35).map { today.adding(days: -$0).description }
    }

    func filter(_ candidates: [Completion], _ word: String) -> [Completion] {
        candidates.filter { $0.value.hasPrefix(word) }
    }
}
