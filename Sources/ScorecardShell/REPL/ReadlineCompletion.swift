import CReadline
import Foundation
import ScorecardCache
import ScorecardCore
import Synchronization

/// Connects readline's completion callbacks (plain C function pointers) to a ``Completer``.
/// Only the REPL thread runs readline; the state sits behind a mutex for Swift 6's sake.
final class ReadlineCompletion: Sendable {
    static let shared = ReadlineCompletion()

    private struct State {
        var completer: Completer?
        var candidates: [String] = []
        var labels: [String: String] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    /// Installs `completer` as readline's attempted-completion function, with a listing that
    /// shows each candidate's label.
    func install(_ completer: Completer) {
        state.withLock { $0.completer = completer }
        sc_rl_set_completer_word_break_characters(strdup(" \t"))  // readline keeps the pointer
        sc_rl_set_attempted_completion_function { text, start, _ in
            sc_rl_set_attempted_completion_over(1)  // never fall back to file names
            let word = text.map { String(cString: $0) } ?? ""
            let before = String(decoding: Array(String(cString: sc_rl_line_buffer()).utf8.prefix(Int(start))), as: UTF8.self)
            guard ReadlineCompletion.shared.prepare(previous: Tokenizer.lenient(before), word: word) else { return nil }
            if ReadlineCompletion.shared.valueFollows { sc_rl_set_completion_append_character(0) }  // `key=` then the value
            return rl_completion_matches(text) { _, state in ReadlineCompletion.shared.candidate(restart: state == 0) }
        }
        sc_rl_set_completion_display_matches_hook { matches, count, longest in
            ReadlineCompletion.shared.display(matches, count: Int(count), longest: Int(longest))
        }
    }

    /// Computes the candidates; false when there are none.
    func prepare(previous: [String], word: String) -> Bool {
        guard let completer = state.withLock({ $0.completer }) else { return false }
        let found = completer.complete(previous: previous, word: word)
        state.withLock { s in
            s.candidates = found.map(\.value)
            s.labels = Dictionary(found.compactMap { c in c.label.map { (c.value, $0) } }, uniquingKeysWith: { a, _ in a })
            s.next = 0
        }
        return !found.isEmpty
    }

    /// True when every candidate ends in `=` (a metric key before its value): no space after it.
    var valueFollows: Bool { state.withLock { s in !s.candidates.isEmpty && s.candidates.allSatisfy { $0.hasSuffix("=") } } }

    /// readline's generator: the next candidate, malloc'd, or nil at the end.
    func candidate(restart: Bool) -> UnsafeMutablePointer<CChar>? {
        state.withLock { s in
            if restart { s.next = 0 }
            guard s.next < s.candidates.count else { return nil }
            defer { s.next += 1 }
            return strdup(s.candidates[s.next])
        }
    }

    /// Lists the matches, one per line with its label when they have labels (review and goal
    /// ids), else in readline's columns; then redraws the prompt and the line.
    func display(_ matches: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, count: Int, longest: Int) {
        guard let matches else { return }
        let values = (1...max(1, count)).compactMap { matches[$0].map { String(cString: $0) } }
        let labels = state.withLock { $0.labels }
        if labels.isEmpty {
            rl_display_match_list(matches, Int32(count), Int32(longest))
        } else {
            let width = values.map { Text.width($0) }.max() ?? 0
            var text = "\n"
            for value in values { text += Text.pad(value, width) + (labels[value].map { "  " + $0 } ?? "") + "\n" }
            Output.standard(text)
        }
        rl_forced_update_display()
    }
}

/// Review and goal ids (with labels) and accounts, read from the session's mirror at each Tab.
struct MirrorCompletionSource: CompletionSource {
    let session: ShellSession

    private func mirror() -> Mirror? {
        let context = CommandContext(terminal: TerminalInfo(isTTY: false, color: false, width: 80, height: 24), accounts: session.accounts, session: session.state)
        return try? context.mirror()
    }

    func reviews() -> [Completion] {
        ((try? mirror()?.reviews()) ?? []).map { r in
            let week = CivilDate(r.periodStart).map { ISOWeek(containing: $0).description } ?? r.periodStart
            return Completion(r.id, label: "\(week) · \(Text.decimal(r.compositeScore, 1)) · \(r.isAcknowledged ? "acknowledged" : "not acknowledged")")
        }
    }

    func goals() -> [Completion] {
        ((try? mirror()?.goals()) ?? []).map { Completion($0.id, label: "\($0.label) · \($0.status.rawValue)") }
    }

    func accounts() -> [String] { ((try? session.accounts.accounts()) ?? []).map(\.key) }
}
