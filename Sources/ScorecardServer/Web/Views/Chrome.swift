import ScorecardCore

/// What the layout shows around every page: the title, the navigation for this person, who is
/// signed in, and the CSRF token of the sign-out form.
struct Chrome {
    struct NavItem {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var css = StaticAssets.stylesheetPath
    var js = StaticAssets.scriptPath
    var signedIn: Bool
    var userName: String
    var userDetail: String
    var nav: [NavItem]
    var csrf: String

    /// The sections of the navigation; `current` marks the page's own.
    enum Section { case team, feedback, mine, calls, settings, none }

    init(title: String, session: WebSession?, section: Section) {
        self.title = title
        guard let session else {
            signedIn = false
            userName = ""
            userDetail = ""
            nav = []
            csrf = ""
            return
        }
        signedIn = true
        userName = session.person.name
        userDetail = "\(session.person.id) · \(session.person.role.rawValue)"
        csrf = session.csrf
        var items: [NavItem] = []
        if session.managesTeams {
            items.append(NavItem(label: "Team", href: "/admin/performance/team", current: section == .team))
            items.append(NavItem(label: "Feedback", href: "/admin/performance/feedback", current: section == .feedback))
        }
        items.append(NavItem(label: "My scorecard", href: "/agent/my-performance", current: section == .mine))
        items.append(NavItem(label: "My calls", href: "/agent/my-performance/calls", current: section == .calls))
        if session.person.role == .admin {
            items.append(NavItem(label: "Settings", href: "/admin/performance/settings", current: section == .settings))
        }
        nav = items
    }
}

/// The layout's context: the chrome and the rendered page body.
struct LayoutView {
    var chrome: Chrome
    var body: String
    var bodyClass: String
}
