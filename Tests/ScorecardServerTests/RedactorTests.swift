import ScorecardServer
import Testing

@Suite("Redactor")
struct RedactorTests {
    /// Text holding personal data, the part that must go, and the placeholder it becomes.
    static let personal: [(text: String, secret: String, placeholder: String)] = [
        // Emails
        ("Customer wrote from jane.doe@example.com about the outage", "jane.doe@example.com", "[email]"),
        ("cc john_smith+billing@mail.co.uk on the reply", "john_smith+billing@mail.co.uk", "[email]"),
        ("Reply to SUPPORT@ACME-CORP.IO please", "SUPPORT@ACME-CORP.IO", "[email]"),
        // Phone numbers
        ("Call me on +44 20 7946 0958 after 5pm", "7946 0958", "[phone]"),
        ("US line +1 (555) 123-4567 works", "123-4567", "[phone]"),
        ("Her number is (555) 987-6543.", "987-6543", "[phone]"),
        ("mobile: 07700 900123", "900123", "[phone]"),
        ("reach me at 555-321-7788 anytime", "555-321-7788", "[phone]"),
        ("tel. 020 7946 0018", "7946 0018", "[phone]"),
        ("phone +49-30-1234567 (office)", "1234567", "[phone]"),
        ("Paris office +33 1 23 45 67 89", "23 45 67 89", "[phone]"),
        ("WhatsApp 0612345678 for photos", "0612345678", "[phone]"),
        ("old number 555.867.5309", "867.5309", "[phone]"),
        // Tokens and secrets
        (
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "eyJhbGciOiJIUzI1NiJ9", "[token]"
        ),
        ("use key sk-proj-abc123DEF456ghi789JKL for the test", "abc123DEF456", "[token]"),
        ("header was Bearer abcdef123456", "abcdef123456", "[token]"),
        ("config api_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a", "[token]"),
        ("the deploy secret 3f2a9c0d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f leaked", "3f2a9c0d8e7b6a5f", "[token]"),
        ("GitHub token ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "ghp_AbCdEf", "[token]"),
        ("AWS key AKIAIOSFODNN7EXAMPLE in the log", "AKIAIOSFODNN7EXAMPLE", "[token]"),
        ("password: hunter2! was shared", "hunter2", "[token]"),
        ("session dGhpc2lzYXZlcnlsb25nc2VjcmV0dG9rZW4xMjM0NTY3 expired", "dGhpc2lzYXZlcnls", "[token]"),
        // Account ids
        ("account 12345678 was charged twice", "12345678", "[account]"),
        ("see acct #998877-12", "998877", "[account]"),
        ("IBAN GB82 WEST 1234 5698 7654 32 on file", "GB82 WEST", "[account]"),
        ("refund to DE89370400440532013000", "DE89370400440532013000", "[account]"),
        ("Customer ID C-88812 called back", "C-88812", "[account]"),
        ("routing number 021000021", "021000021", "[account]"),
        // Street addresses
        ("Tech visited 221B Baker Street, London", "Baker Street", "[address]"),
        ("Ship to 1600 Pennsylvania Ave NW, Washington", "Pennsylvania", "[address]"),
        ("meet at 42 Wallaby Way, Sydney", "Wallaby", "[address]"),
        ("lives at 10 Downing St.", "Downing", "[address]"),
        ("parcel left at 12 Oak Tree Road Apt 4B", "Oak Tree", "[address]"),
        ("send it to PO Box 4411", "4411", "[address]"),
        ("postcode SW1A 1AA", "SW1A 1AA", "[address]"),
        // Payment references
        ("card 4111 1111 1111 1111 declined", "4111 1111", "[payment]"),
        ("card 4111-1111-1111-1111 declined", "4111-1111", "[payment]"),
        ("Mastercard 5500005555555559 on file", "5500005555555559", "[payment]"),
        ("Amex 3782 822463 10005 expired", "822463", "[payment]"),
        ("invoice INV-2026-0042 is overdue", "INV-2026-0042", "[payment]"),
        ("payment ref: PAY-778812 pending", "PAY-778812", "[payment]"),
        ("txn 8f3a2b1c9d failed", "8f3a2b1c9d", "[payment]"),
    ]

    @Test(arguments: personal)
    func personalDataIsRemoved(text: String, secret: String, placeholder: String) {
        let redacted = Redactor.redact(text)
        #expect(!redacted.contains(secret), "\(text) → \(redacted)")
        #expect(redacted.contains(placeholder), "\(text) → \(redacted)")
    }

    static let innocent = [
        "Resolved in 45 minutes after the customer replied.",
        "Escalated ticket T-1042 to tier 2 on 2026-11-16.",
        "Customer rated the call 3 of 5 stars.",
        "SLA met: 95% of tickets closed within 4 hours.",
        "Work order WO-5521 finished at 14:30, 20 minutes late.",
        "Conversation C-881 reopened twice; 2 follow-ups sent.",
        "Week 2026-W47 had 128 tickets and 37 conversations.",
        "Version 2.4.1 fixed the login bug reported on 16/11/2026.",
        "Waited 10-15 minutes for parts; the job took 1.5 hours.",
        "Priority P1 incident INC 4 closed at 09:05.",
        "The account was updated after the call.",
        "Scored 88.5 points, up 3.2 from last week.",
        "Call lasted 00:02:30 and was answered on ring 3.",
    ]

    @Test(arguments: innocent)
    func ordinaryNumbersSurvive(text: String) {
        #expect(Redactor.redact(text) == text)
    }

    @Test func excerptRedactsBeforeCutting() {
        let text = "Hello   from\n\njane.doe@example.com, " + String(repeating: "details ", count: 50)
        let excerpt = Redactor.excerpt(text, maxChars: 40)
        #expect(excerpt.count <= 40)
        #expect(excerpt.hasPrefix("Hello from [email], details"))
        #expect(excerpt.hasSuffix("…"))
        #expect(!excerpt.contains("jane"))
    }

    @Test func addressKeepsTheSentenceEnd() {
        #expect(
            Redactor.redact("Replaced the router at 221B Baker Street. Customer happy.")
                == "Replaced the router at [address]. Customer happy.")
    }

    @Test func excerptKeepsShortTextAndNeverCutsAPlaceholder() {
        #expect(Redactor.excerpt("Short note.", maxChars: 600) == "Short note.")
        #expect(Redactor.excerpt("anything", maxChars: 0) == "")
        // The cut would fall inside "[email]": it moves before it.
        let cut = Redactor.excerpt("Mail sent to jane@example.com today", maxChars: 17)
        #expect(cut == "Mail sent to…")
    }

    @Test func excerptCountsCharactersNotBytes() {
        let text = String(repeating: "👩‍👩‍👧é", count: 20)
        let excerpt = Redactor.excerpt(text, maxChars: 9)
        #expect(excerpt.count == 9)
        #expect(excerpt == String(repeating: "👩‍👩‍👧é", count: 4) + "…")
    }
}
