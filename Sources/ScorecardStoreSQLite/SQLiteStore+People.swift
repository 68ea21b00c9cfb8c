import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    public func createTeam(_ team: Team, audit: AuditEntry?) async throws {
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM teams WHERE id = ?", arguments: [team.id]) != nil {
                throw StoreError(.conflict, "team '\(team.id)' already exists")
            }
            if let manager = team.managerPersonID, try SQLiteStore.fetchPerson(db, id: manager) == nil {
                throw StoreError(.notFound, "manager '\(manager)' is not a known person")
            }
            try db.execute(
                sql: "INSERT INTO teams(id, name, team_type, manager_person_id, active) VALUES (?, ?, ?, ?, ?)",
                arguments: [team.id, team.name, team.teamType?.rawValue, team.managerPersonID, team.active])
            if let manager = team.managerPersonID {
                try SQLiteStore.upsertMember(db, teamID: team.id, personID: manager, role: .manager)
            }
            if let audit { try SQLiteStore.insertAudit(db, audit) }
        }
    }

    public func addMember(teamID: String, personID: String, role: MemberRole) async throws {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM teams WHERE id = ?", arguments: [teamID]) != nil else {
                throw StoreError(.notFound, "team '\(teamID)' does not exist; create it with `scorecard-server team add`")
            }
            try SQLiteStore.upsertMember(db, teamID: teamID, personID: personID, role: role)
        }
    }

    static func upsertMember(_ db: Database, teamID: String, personID: String, role: MemberRole) throws {
        try db.execute(
            sql: """
                INSERT INTO team_members(team_id, person_id, role, active) VALUES (?, ?, ?, 1)
                ON CONFLICT(team_id, person_id) DO UPDATE SET role = excluded.role, active = 1
                """, arguments: [teamID, personID, role.rawValue])
        try db.execute(sql: "UPDATE people SET team_id = ? WHERE id = ? AND team_id IS NULL", arguments: [teamID, personID])
    }

    public func createPerson(_ person: Person, passwordHash: String, audit: AuditEntry?) async throws {
        try await pool.write { db in
            if try SQLiteStore.fetchPerson(db, id: person.id) != nil {
                throw StoreError(.conflict, "person '\(person.id)' already exists")
            }
            if let team = person.teamID,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM teams WHERE id = ?", arguments: [team]) == nil
            {
                throw StoreError(.notFound, "team '\(team)' does not exist; create it with `scorecard-server team add`")
            }
            try db.execute(
                sql: """
                    INSERT INTO people(id, name, email, role, team_id, active, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    person.id, person.name, person.email, person.role.rawValue, person.teamID, person.active,
                    passwordHash, Int(Date().timeIntervalSince1970),
                ])
            try db.execute(sql: "INSERT OR IGNORE INTO feeds(person_id) VALUES (?)", arguments: [person.id])
            if let team = person.teamID {
                let role: MemberRole = person.role == .manager ? .lead : .member
                try SQLiteStore.upsertMember(db, teamID: team, personID: person.id, role: role)
            }
            if let audit { try SQLiteStore.insertAudit(db, audit) }
        }
    }

    public func setPasswordHash(personID: String, hash: String, audit: AuditEntry?) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE people SET password_hash = ? WHERE id = ?", arguments: [hash, personID])
            guard db.changesCount == 1 else { throw StoreError(.notFound, "person '\(personID)' does not exist") }
            try db.execute(sql: "DELETE FROM tokens WHERE person_id = ?", arguments: [personID])
            if let audit { try SQLiteStore.insertAudit(db, audit) }
        }
    }

    public func deactivatePerson(id: String, audit: AuditEntry?) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE people SET active = 0 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw StoreError(.notFound, "person '\(id)' does not exist") }
            try db.execute(sql: "UPDATE team_members SET active = 0 WHERE person_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM tokens WHERE person_id = ?", arguments: [id])
            if let audit { try SQLiteStore.insertAudit(db, audit) }
        }
    }

    public func person(id: String) async throws -> Person? {
        try await pool.read { db in try SQLiteStore.fetchPerson(db, id: id) }
    }

    public func passwordHash(personID: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM people WHERE id = ?", arguments: [personID])
        }
    }

    public func people() async throws -> [Person] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteStore.personColumns) FROM people ORDER BY id").map(SQLiteStore.person)
        }
    }

    public func teams() async throws -> [Team] {
        try await pool.read { db in
            var members: [String: [TeamMember]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT team_id, person_id, role, active FROM team_members ORDER BY team_id, person_id") {
                let member = TeamMember(personID: row[1], role: MemberRole(rawValue: row[2]) ?? .member, active: row[3])
                members[row[0], default: []].append(member)
            }
            return try Row.fetchAll(db, sql: "SELECT id, name, team_type, manager_person_id, active FROM teams ORDER BY id").map { row in
                let id: String = row[0]
                return Team(
                    id: id, name: row[1], teamType: (row[2] as String?).flatMap(TeamType.init(rawValue:)),
                    managerPersonID: row[3], active: row[4], members: members[id] ?? [])
            }
        }
    }

    public func managedPersonIDs(of personID: String) async throws -> Set<String> {
        try await pool.read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT m.person_id FROM team_members m
                        JOIN teams t ON t.id = m.team_id
                        JOIN people p ON p.id = m.person_id
                        WHERE t.active = 1 AND m.active = 1 AND p.active = 1
                          AND (t.manager_person_id = ?1 OR EXISTS (
                                SELECT 1 FROM team_members me
                                WHERE me.team_id = t.id AND me.person_id = ?1 AND me.active = 1
                                  AND me.role IN ('lead', 'manager')))
                        """, arguments: [personID]))
        }
    }

    // MARK: Tokens

    public func insertToken(hash: Data, personID: String, expiresAt: Int, kind: TokenKind) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM tokens WHERE person_id = ? AND expires_at <= ?", arguments: [personID, Int(Date().timeIntervalSince1970)])
            try db.execute(
                sql: "INSERT INTO tokens(hash, person_id, created_at, expires_at, kind) VALUES (?, ?, ?, ?, ?)",
                arguments: [hash, personID, Int(Date().timeIntervalSince1970), expiresAt, kind.rawValue])
        }
    }

    public func lookUpToken(hash: Data, now: Int, kind: TokenKind) async throws -> TokenLookup {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT person_id, expires_at FROM tokens WHERE hash = ? AND kind = ?", arguments: [hash, kind.rawValue])
            else {
                return .unknown
            }
            guard (row[1] as Int) > now else { return .expired }
            guard let person = try SQLiteStore.fetchPerson(db, id: row[0]), person.active else { return .unknown }
            return .valid(person)
        }
    }

    public func revokeToken(hash: Data) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM tokens WHERE hash = ?", arguments: [hash]) }
    }

    // MARK: Rows

    static let personColumns = "id, name, email, role, team_id, active"

    static func person(_ row: Row) -> Person {
        Person(id: row[0], name: row[1], email: row[2], role: Role(rawValue: row[3]) ?? .agent, teamID: row[4], active: row[5])
    }

    static func fetchPerson(_ db: Database, id: String) throws -> Person? {
        try Row.fetchOne(db, sql: "SELECT \(personColumns) FROM people WHERE id = ?", arguments: [id]).map(person)
    }
}
