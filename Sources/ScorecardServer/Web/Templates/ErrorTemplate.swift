import ScorecardCore

extension WebTemplates {
    /// An error page: the status, what happened, and a way on.
    static let error = #"""
<div class="login">
  <div class="card">
    <p class="muted small">Error {{code}}</p>
    <h1>{{title}}</h1>
    <p>{{message}}</p>
    <p><a class="btn" href="/">Go to your start page</a></p>
  </div>
</div>
"""#
}
