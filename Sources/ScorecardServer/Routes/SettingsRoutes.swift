import Foundation
import Hummingbird
import ScorecardCore

extension Routes {
    /// The body of `PUT /api/v1/admin/settings/{key}`.
    struct SettingValue: Decodable {
        var value: JSONValue
    }

    mutating func addSettingsRoutes() {
        let services = services
        on(.get, "/api/v1/admin/settings") { request, _ in
            _ = try await services.requireAdmin(request)
            let settings = try await services.store.settings()
            return try .json(["settings": SettingSpec.all.map { SettingView(spec: $0, settings: settings) }])
        }
        on(.get, "/api/v1/admin/settings/{key}") { request, context in
            _ = try await services.requireAdmin(request)
            let spec = try Routes.settingSpec(context)
            return try .json(SettingView(spec: spec, settings: try await services.store.settings()))
        }
        on(.put, "/api/v1/admin/settings/{key}") { request, context in
            let admin = try await services.requireAdmin(request)
            let key = try context.parameters.require("key")
            // A retired key (the LLM API key) is refused before its value is even read.
            if SettingSpec.retired[key] != nil { _ = try SettingsService.spec(named: key) }
            let spec = try Routes.settingSpec(context)
            let body = try await request.decode(SettingValue.self, limit: 64 << 10)
            return try .json(try await SettingsService.set(spec, to: body.value, by: .api(admin.id), store: services.store))
        }
    }

    static func settingSpec(_ context: ScorecardContext) throws -> SettingSpec {
        let key = try context.parameters.require("key")
        guard let spec = SettingSpec.named(key) else {
            throw APIError(.notFound, "not_found", "No setting '\(key)'; GET /api/v1/admin/settings lists them.")
        }
        return spec
    }
}
