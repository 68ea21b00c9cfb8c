"""Schemathesis hooks for Scorecard's contract test (Tests/ScorecardServerTests/SchemathesisTests.swift).

JSON Schema cannot state rules that tie two values together or depend on today's date. docs/openapi.yaml
states them in words; these hooks apply the same rules to the requests schemathesis generates as
*valid*, so that a valid request is one the document calls valid. Each rule names where the document
says it. They only ever move a generated value to the nearest value the rule allows (or drop the
case); they never make an invalid request valid on purpose: values that are not even well-formed
dates, weeks or metric keys are left alone. They run in `before_call`, so they see the requests of
every phase (examples, coverage, fuzzing, stateful), and schemathesis re-reads what they changed.
"""

import datetime

import schemathesis

# `GET /performance/kpis`: "at most 366 days"; `GET /performance/feedback-summary`: "at most 184 days".
MAX_RANGE_DAYS = {"/api/v1/performance/kpis": 366, "/api/v1/performance/feedback-summary": 184}
# `feedback-summary`: "default the 28 days ending today".
DEFAULT_SPAN_DAYS = {"/api/v1/performance/feedback-summary": 28}

# The metric catalogue (docs/scoring.md): each key's domain; None for keys any domain may use.
DOMAINS = {"support", "operations", "field_service", "communication", "sales", "data_quality"}
METRIC_DOMAIN = {
    "composite_score": None, "domain_score": None,
    "sla_compliance_rate": "support", "avg_resolution_minutes": "support", "escalation_rate": "support", "csat_avg": "support",
    "task_completion_rate": "operations", "on_time_rate": "operations", "effort_accuracy": "operations", "blocked_rate": "operations",
    "work_order_completion_rate": "field_service", "avg_schedule_delay_minutes": "field_service",
    "duration_accuracy": "field_service", "documentation_rate": "field_service",
    "avg_first_response_minutes": "communication", "avg_conversation_resolution_minutes": "communication",
    "conversations_resolved": "communication", "channel_coverage": "communication",
    "win_rate": "sales", "pipeline_value": "sales", "quote_acceptance_rate": "sales", "lead_messages": "sales",
    "contact_completeness": "data_quality", "org_completeness": "data_quality", "tagging_rate": "data_quality",
    "avg_note_length": "data_quality",
}


def _member(value, names):
    return isinstance(value, str) and value in names


def _today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def _date(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _path(ctx):
    return ctx.operation.path if ctx is not None and ctx.operation is not None else ""


def _week(value):
    """An ISO week the year really has ("2026-W53" exists only in long years): the week as given, or
    week 52 of that year when the year has no week 53."""
    if not isinstance(value, str) or len(value) != 8 or value[4:6] != "-W":
        return value
    try:
        year, week = int(value[:4]), int(value[6:])
        datetime.date.fromisocalendar(year, week, 1)
        return value
    except ValueError:
        if value[6:] == "53":
            return value[:6] + "52"
        return value


def _query(ctx, query):
    path = _path(ctx)
    # Ranges: `from` not after `to` (documented on each range's 422), and at most N days.
    start, end = _date(query.get("from")), _date(query.get("to"))
    if path in MAX_RANGE_DAYS and (start is not None or end is not None):
        if start is not None and end is None and "to" not in query:
            end = _today()
            if start > end:
                start = end
        if end is not None and start is None and "from" not in query:
            start = end - datetime.timedelta(days=DEFAULT_SPAN_DAYS.get(path, 1) - 1)
        if start is not None and end is not None:
            if start > end:
                start, end = end, start
            limit = MAX_RANGE_DAYS[path]
            if (end - start).days + 1 > limit:
                start = end - datetime.timedelta(days=limit - 1)
            if "from" in query or _date(query.get("from")) is not None:
                query["from"] = start.isoformat()
            if "to" in query:
                query["to"] = end.isoformat()
            elif path in DEFAULT_SPAN_DAYS:
                query["to"] = end.isoformat()
    # The long-poll: any `wait` up to 60 s is valid; a short one keeps the run short.
    wait = query.get("wait")
    if path == "/api/v1/sync/pull" and isinstance(wait, (int, str)) and str(wait).isdigit() and 1 < int(wait) <= 60:
        query["wait"] = 1
    # Team reports: "may be left out by a caller who manages exactly one team"; the demo admin
    # manages two, so a report without `team_id` names the demo's first team.
    # (An empty `team_id` counts as left out.)
    if path in ("/api/v1/performance/team-summary", "/api/v1/performance/feedback-summary") and query.get("team_id") in (None, ""):
        query["team_id"] = "team-1"
    if path == "/api/v1/performance/score-history" and query.get("team_id") == "":
        query["team_id"] = "team-1"
    # ISO weeks: "only weeks the year has".
    for key in ("period", "to"):
        if key in query:
            query[key] = _week(query[key])
    return query


def _goal(body, today):
    """A goal body: `metric_key` in `domain` (GoalCreate, GoalPatch) and a deadline of today or later (GoalCreate)."""
    if not isinstance(body, dict):
        return body
    metric = body.get("metric_key")
    if _member(metric, METRIC_DOMAIN) and METRIC_DOMAIN[metric] is not None:
        if _member(body.get("domain"), DOMAINS):
            body["domain"] = METRIC_DOMAIN[metric]
    deadline = _date(body.get("deadline"))
    if today is not None and deadline is not None and deadline < today:
        body["deadline"] = (today + datetime.timedelta(days=30)).isoformat()
    return body


def _body(ctx, body):
    path = _path(ctx)
    method = (ctx.operation.method.lower() if ctx is not None and ctx.operation is not None else "")
    if path == "/api/v1/performance/goals" and method == "post":
        return _goal(body, _today())
    if path == "/api/v1/performance/goals/{id}" and method == "patch":
        # A patch is checked against the goal as a whole: a metric with its own domain.
        if isinstance(body, dict) and _member(body.get("metric_key"), METRIC_DOMAIN) and _member(body.get("domain", "support"), DOMAINS):
            body["domain"] = METRIC_DOMAIN[body["metric_key"]] or body.get("domain", "support")
        elif isinstance(body, dict) and _member(body.get("domain"), DOMAINS) and "metric_key" not in body:
            body.pop("domain")
        return body
    if path == "/api/v1/sync/push" and isinstance(body, dict) and isinstance(body.get("mutations"), list):
        for mutation in body["mutations"]:
            if isinstance(mutation, dict) and isinstance(mutation.get("goal"), dict):
                _goal(mutation["goal"], _today())
        return body
    if path == "/api/v1/performance/reviews/generate" and isinstance(body, dict) and "period" in body:
        body["period"] = _week(body["period"])
    return body


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.query is None and _path(ctx) in ("/api/v1/performance/team-summary", "/api/v1/performance/feedback-summary"):
        case.query = {}
    if isinstance(case.query, dict):
        _query(ctx, case.query)
    if isinstance(case.body, dict):
        _body(ctx, case.body)
