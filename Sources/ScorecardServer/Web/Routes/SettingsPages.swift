import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    mutating func addSettingsPages() {
        let services = services
        page(.get, "/admin/performance/settings") { request, _ in
            let session = try Routes.requireAdmin(try await services.requireSession(request))
            let saved = request.uri.queryParameters.get("saved").map { "Saved \($0)." }
            let view = SettingsView.make(settings: try await services.store.settings(), session: session, notice: saved)
            return WebPage.render("settings", view, chrome: Chrome(title: "Settings", session: session, section: .settings))
        }
        page(.post, "/admin/performance/settings") { request, _ in
            let (session, form) = try await services.requirePost(request)
            _ = try Routes.requireAdmin(session)
            let chrome = Chrome(title: "Settings", session: session, section: .settings)
            if let key = form["key"], let advice = SettingSpec.retired[key] {
                // The LLM key is no longer stored: say where it goes instead, keep nothing of what was typed.
                let view = SettingsView.make(settings: try await services.store.settings(), session: session, notice: nil, refusal: advice)
                return WebPage.render("settings", view, chrome: chrome, status: .badRequest)
            }
            guard let key = form["key"], let spec = SettingSpec.named(key) else { throw PageError.notFound("There is no such setting.") }
            let text = form["value"] ?? ""
            let value: JSONValue? = form["action"] == "reset" ? JSONValue.null : SettingsView.parse(text, for: spec)
            do {
                guard let value else { throw StoreError(.invalid, "\(spec.key) has the wrong type: \(spec.expected)") }
                _ = try await SettingsService.set(spec, to: value, by: .web(session.person.id), store: services.store)
            } catch let error as StoreError where error.code == .invalid {
                let view = SettingsView.make(settings: try await services.store.settings(), session: session, notice: nil, failed: (spec.key, text, error.message))
                return WebPage.render("settings", view, chrome: chrome, status: .unprocessableContent)
            }
            return PageRedirect("/admin/performance/settings?saved=\(PageRedirect.escape(spec.key))#setting-\(spec.key)").response
        }
    }

    static func requireAdmin(_ session: WebSession) throws -> WebSession {
        guard session.person.role == .admin else { throw PageError.forbidden("Only an admin may see and change the settings.") }
        return session
    }
}
