import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    public func createTeam(_ team: Team, audit: AuditEntry?) async throws {
        try await transaction { c in
            if try await c.row("SELECT 1 FROM teams WHERE id = \(team.id)", Int.self) != nil {
                throw StoreError(.conflict, "team '\(team.id)' already exists")
            }
            if let manager = team.managerPersonID, try await PostgresStore.fetchPerson(c, id: manager) == nil {
                throw StoreError(.notFound, "manager '\(manager)' is not a known person")
            }
            try await c.query(
                """
                INSERT INTO teams(id, name, team_type, manager_person_id, active)
                VALUES (\(team.id), \(team.name), \(team.teamType?.rawValue), \(team.managerPersonID), \(team.active))
                """)
            if let manager = team.managerPersonID {
                try await PostgresStore.upsertMember(c, teamID: team.id, personID: manager, role: .manager)
            }
            if let audit { try await PostgresStore.insertAudit(c, audit) }
        }
    }

    public func addMember(teamID: String, personID: String, role: MemberRole) async throws {
        try await transaction { c in
            guard try await c.row("SELECT 1 FROM teams WHERE id = \(teamID)", Int.self) != nil else {
                throw StoreError(.notFound, "team '\(teamID)' does not exist; create it with `scorecard-server team add`")
            }
            try await PostgresStore.upsertMember(c, teamID: teamID, personID: personID, role: role)
        }
    }

    static func upsertMember(_ c: PostgresSession, teamID: String, personID: String, role: MemberRole) async throws {
        try await c.query(
            """
            INSERT INTO team_members(team_id, person_id, role, active) VALUES (\(teamID), \(personID), \(role.rawValue), true)
            ON CONFLICT (team_id, person_id) DO UPDATE SET role = excluded.role, active = true
            """)
        try await c.query("UPDATE people SET team_id = \(teamID) WHERE id = \(personID) AND team_id IS NULL")
    }

    public func createPerson(_ person: Person, passwordHash: String, audit: AuditEntry?) async throws {
        try await transaction { c in
            if try await PostgresStore.fetchPerson(c, id: person.id) != nil {
                throw StoreError(.conflict, "person '\(person.id)' already exists")
            }
            if let team = person.teamID, try await c.row("SELECT 1 FROM teams WHERE id = \(team)", Int.self) == nil {
                throw StoreError(.notFound, "team '\(team)' does not exist; create it with `scorecard-server team add`")
            }
            try await c.query(
                """
                INSERT INTO people(id, name, email, role, team_id, active, password_hash, created_at)
                VALUES (\(person.id), \(person.name), \(person.email), \(person.role.rawValue), \(person.teamID), \(person.active),
                    \(passwordHash), \(PostgresStore.now))
                """)
            try await c.query("INSERT INTO feeds(person_id) VALUES (\(person.id)) ON CONFLICT DO NOTHING")
            if let team = person.teamID {
                let role: MemberRole = person.role == .manager ? .lead : .member
                try await PostgresStore.upsertMember(c, teamID: team, personID: person.id, role: role)
            }
            if let audit { try await PostgresStore.insertAudit(c, audit) }
        }
    }

    public func setPasswordHash(personID: String, hash: String, audit: AuditEntry?) async throws {
        try await transaction { c in
            guard try await c.count("UPDATE people SET password_hash = \(hash) WHERE id = \(personID) RETURNING 1") == 1 else {
                throw StoreError(.notFound, "person '\(personID)' does not exist")
            }
            try await c.query("DELETE FROM tokens WHERE person_id = \(personID)")
            if let audit { try await PostgresStore.insertAudit(c, audit) }
        }
    }

    public func deactivatePerson(id: String, audit: AuditEntry?) async throws {
        try await transaction { c in
            guard try await c.count("UPDATE people SET active = false WHERE id = \(id) RETURNING 1") == 1 else {
                throw StoreError(.notFound, "person '\(id)' does not exist")
            }
            try await c.query("UPDATE team_members SET active = false WHERE person_id = \(id)")
            try await c.query("DELETE FROM tokens WHERE person_id = \(id)")
            if let audit { try await PostgresStore.insertAudit(c, audit) }
        }
    }

    public func person(id: String) async throws -> Person? {
        try await withConnection { c in try await PostgresStore.fetchPerson(c, id: id) }
    }

    public func passwordHash(personID: String) async throws -> String? {
        try await withConnection { c in
            try await c.row("SELECT password_hash FROM people WHERE id = \(personID)", String.self)
        }
    }

    public func people() async throws -> [Person] {
        try await withConnection { c in
            try await c.rows("SELECT \(unescaped: PostgresStore.personColumns) FROM people ORDER BY id", PersonRow.self)
                .map(PostgresStore.person)
        }
    }

    public func teams() async throws -> [Team] {
        try await withConnection { c in
            var members: [String: [TeamMember]] = [:]
            for (team, person, role, active) in try await c.rows(
                "SELECT team_id, person_id, role, active FROM team_members ORDER BY team_id, person_id", (String, String, String, Bool).self)
            {
                members[team, default: []].append(TeamMember(personID: person, role: MemberRole(rawValue: role) ?? .member, active: active))
            }
            return try await c.rows(
                "SELECT id, name, team_type, manager_person_id, active FROM teams ORDER BY id", (String, String, String?, String?, Bool).self
            ).map { id, name, type, manager, active in
                Team(id: id, name: name, teamType: type.flatMap(TeamType.init(rawValue:)), managerPersonID: manager, active: active, members: members[id] ?? [])
            }
        }
    }

    public func managedPersonIDs(of personID: String) async throws -> Set<String> {
        try await withConnection { c in
            Set(
                try await c.rows(
                    """
                    SELECT DISTINCT m.person_id FROM team_members m
                    JOIN teams t ON t.id = m.team_id
                    JOIN people p ON p.id = m.person_id
                    WHERE t.active AND m.active AND p.active
                      AND (t.manager_person_id = \(personID) OR EXISTS (
                            SELECT 1 FROM team_members me
                            WHERE me.team_id = t.id AND me.person_id = \(personID) AND me.active
                              AND me.role IN ('lead', 'manager')))
                    """, String.self))
        }
    }

    // MARK: Tokens

    public func insertToken(hash: Data, personID: String, expiresAt: Int, kind: TokenKind) async throws {
        try await transaction { c in
            let now = PostgresStore.now
            try await c.query("DELETE FROM tokens WHERE person_id = \(personID) AND expires_at <= \(now)")
            try await c.query(
                """
                INSERT INTO tokens(hash, person_id, created_at, expires_at, kind)
                VALUES (\(ByteBuffer(data: hash)), \(personID), \(now), \(expiresAt), \(kind.rawValue))
                """)
        }
    }

    /// The token lookup every authenticated request makes: one prepared statement.
    struct LookUpToken: PostgresPreparedStatement {
        static let sql = """
            SELECT t.expires_at, p.id, p.name, p.email, p.role, p.team_id, p.active
            FROM tokens t JOIN people p ON p.id = t.person_id WHERE t.hash = $1 AND t.kind = $2
            """
        typealias Row = (Int, String, String, String, String, String?, Bool)
        var hash: ByteBuffer
        var kind: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(hash)
            bindings.append(kind)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    public func lookUpToken(hash: Data, now: Int, kind: TokenKind) async throws -> TokenLookup {
        try await withConnection { c in
            var found: LookUpToken.Row?
            for try await row in try await c.execute(LookUpToken(hash: ByteBuffer(data: hash), kind: kind.rawValue)) { found = row }
            guard let (expires, id, name, email, role, team, active) = found else { return .unknown }
            guard expires > now else { return .expired }
            guard active else { return .unknown }
            return .valid(Person(id: id, name: name, email: email, role: Role(rawValue: role) ?? .agent, teamID: team, active: active))
        }
    }

    public func revokeToken(hash: Data) async throws {
        try await withConnection { c in
            try await c.query("DELETE FROM tokens WHERE hash = \(ByteBuffer(data: hash))")
        }
    }

    // MARK: Login throttling and job leases

    public func loginThrottle(personID: String) async throws -> LoginThrottle.Record? {
        try await withConnection { c in try await PostgresStore.throttleRecord(c, personID, lock: false) }
    }

    static func throttleRecord(_ c: PostgresSession, _ personID: String, lock: Bool) async throws -> LoginThrottle.Record? {
        let query: PostgresQuery =
            lock
            ? "SELECT failures, locked_until, lockouts FROM login_throttle WHERE person_id = \(personID) FOR UPDATE"
            : "SELECT failures, locked_until, lockouts FROM login_throttle WHERE person_id = \(personID)"
        guard let (failures, lockedUntil, lockouts) = try await c.row(query, (String, Int, Int).self) else { return nil }
        return LoginThrottle.Record(failures: try WireJSON.decode([Int].self, from: Data(failures.utf8)), lockedUntil: lockedUntil, lockouts: lockouts)
    }

    public func updateLoginThrottle(
        personID: String, now: Int, _ update: @Sendable (LoginThrottle.Record?) -> LoginThrottle.Record?
    ) async throws -> LoginThrottle.Record? {
        // The closure is not @escaping in the protocol; the transaction runs it before returning.
        try await withoutActuallyEscaping(update) { update in
            try await transaction { c in
                // Make sure the row exists so that concurrent first failures queue on its lock.
                if try await c.count(
                    """
                    INSERT INTO login_throttle(person_id, failures, locked_until, lockouts, updated_at)
                    VALUES (\(personID), '[]', 0, 0, \(now)) ON CONFLICT (person_id) DO NOTHING RETURNING 1
                    """) == 1
                {
                    // A new id: forget ids nobody has tried for a day.
                    try await c.query(
                        "DELETE FROM login_throttle WHERE updated_at < \(now - 86_400) AND locked_until < \(now) AND person_id <> \(personID)")
                }
                var current = try await PostgresStore.throttleRecord(c, personID, lock: true)
                if current == LoginThrottle.Record() { current = nil }  // the row just made
                guard let record = update(current) else {
                    try await c.query("DELETE FROM login_throttle WHERE person_id = \(personID)")
                    return nil
                }
                let failures = String(decoding: try WireJSON.encode(record.failures), as: UTF8.self)
                try await c.query(
                    """
                    UPDATE login_throttle SET failures = \(failures), locked_until = \(record.lockedUntil), lockouts = \(record.lockouts),
                        updated_at = \(now) WHERE person_id = \(personID)
                    """)
                return record
            }
        }
    }

    /// Job leases are session-level advisory locks: held on one pooled connection while `body`
    /// runs, and released by PostgreSQL itself if the process dies (its connection closes).
    public func withJobLease<R: Sendable>(_ name: String, _ body: @Sendable () async throws -> R) async throws -> R? {
        let key = PostgresStore.leaseKey(name)
        return try await withoutActuallyEscaping(body) { body in
            try await withConnection { c in
                guard try await c.row("SELECT pg_try_advisory_lock(\(key))", Bool.self) == true else { return nil }
                do {
                    let result = try await body()
                    _ = try? await c.query("SELECT pg_advisory_unlock(\(key))")
                    return result
                } catch {
                    _ = try? await c.query("SELECT pg_advisory_unlock(\(key))")
                    throw error
                }
            }
        }
    }

    /// A stable 63-bit key for a lease name (FNV-1a), in a range apart from the migration lock.
    static func leaseKey(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("scorecard-lease:" + name).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return Int64(bitPattern: hash & 0x7FFF_FFFF_FFFF_FFFF)
    }

    // MARK: Rows

    static let personColumns = "id, name, email, role, team_id, active"
    typealias PersonRow = (String, String, String, String, String?, Bool)

    static func person(_ r: PersonRow) -> Person {
        Person(id: r.0, name: r.1, email: r.2, role: Role(rawValue: r.3) ?? .agent, teamID: r.4, active: r.5)
    }

    static func fetchPerson(_ c: PostgresSession, id: String) async throws -> Person? {
        try await c.row("SELECT \(unescaped: personColumns) FROM people WHERE id = \(id)", PersonRow.self).map(person)
    }
}
