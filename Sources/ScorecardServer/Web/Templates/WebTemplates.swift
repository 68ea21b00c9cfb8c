import Mustache
import ScorecardCore

/// The pages' Mustache templates, parsed once. Each template is a Swift string literal in its
/// own file (`*Template.swift`), so the binary carries them (no resource bundle); `{{name}}` is
/// HTML-escaped, `{{{name}}}` is used only for SVG the chart builders escaped themselves and for
/// the rendered page body inside the layout.
enum WebTemplates {
    static let all: [String: String] = [
        "layout": layout, "error": error, "login": login, "team": team, "scorecard": scorecard, "goals": goals,
        "calls": calls, "review": review, "feedback": feedback, "settings": settings,
    ]

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in all {
            do {
                try library.register(text, named: name)
            } catch {
                fatalError("template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// Renders `view` with the template called `name`.
    static func render(_ view: Any, _ name: String) -> String {
        library.render(view, withTemplate: name) ?? ""
    }
}
