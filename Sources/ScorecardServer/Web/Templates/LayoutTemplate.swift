import ScorecardCore

extension WebTemplates {
    /// Every page: head, top bar with the navigation and the sign-out form, then the page body.
    static let layout = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{{chrome.title}} · Scorecard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{{chrome.css}}">
<script src="{{chrome.js}}" defer></script>
</head>
<body class="{{bodyClass}}">
<a class="skip" href="#main">Skip to content</a>
{{#chrome.signedIn}}
<header class="topbar">
  <div class="topbar-inner">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>Scorecard</a>
    <nav class="nav" aria-label="Main">
      {{#chrome.nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/chrome.nav}}
    </nav>
    <div class="who">
      <span title="{{chrome.userDetail}}">{{chrome.userName}}</span>
      <form method="post" action="/logout">
        <input type="hidden" name="csrf_token" value="{{chrome.csrf}}">
        <button class="btn small" type="submit">Sign out</button>
      </form>
    </div>
  </div>
</header>
{{/chrome.signedIn}}
<main id="main" class="page">
{{{body}}}
</main>
</body>
</html>
"""#
}
