/// `llmscope summary`: the performance overview figures of a store.
struct SummaryCommand: Command {
  let name = "summary"
  let summary = "print LLM calls, latency, model calls, errors, TTFT and tokens, overall and per app and model"
  var help: String {
    """
    Usage: llmscope summary [--store PATH|URL] [--from T] [--to T] [--now T]
                            [--app NAME] [--system FINGERPRINT] [--model NAME] [--prices FILE]
                            [--baseline-from T --baseline-to T] [--json]

    Prints the figures of the performance overview for a time range: overall, per business
    system, per app and per model. Spans count when they start within the range.

    Options:
      --store PATH|URL  the store to read: a SQLite file (default: llmscope.db) or
                     clickhouse://HOST:PORT/DB?table=otel_traces
      --from T       start of the range (default: the first span's start)
      --to T         end of the range (default: the last span's end)
      --now T        the instant relative times count from (default: the current time)
      --app NAME     only this app's spans
      --system FP    only this business system's spans (its fingerprint, bs-…)
      --model NAME   only this model's calls and the LLM calls of traces that call it
      --prices FILE  the price table for costs (default: llmscope's, Assets/prices.json)
      --baseline-from T, --baseline-to T
                     also give the figures of this baseline range (JSON: "baseline");
                     one of them alone sets a baseline of the range's length
      --json         print the stable JSON form documented in the README

    A page's figures carry data-scope and data-within-* attributes naming these filters, so
    any number on a page can be checked with this command.

    Times are RFC 3339 (2026-12-01T00:00:00Z, 2026-12-01) or relative to --now: -24h, -7d,
    -30m, now.

    """
  }

  func run(_ args: [String], console: Console) throws -> Int32 {
    let a = try Arguments(args, options: ["--store", "--from", "--to", "--now", "--app", "--system", "--model", "--prices", "--baseline-from", "--baseline-to"], flags: ["--json"])
    guard a.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(a.positionals[0])'") }
    let now = try a["--now"].map { t throws(UsageError) in
      guard let v = Timestamp.parse(t) else { throw UsageError(message: "--now: '\(t)' is not an RFC 3339 time") }
      return v
    } ?? Clock.nowNanos()
    func time(_ name: String) throws(UsageError) -> Int64? {
      guard let t = a[name] else { return nil }
      guard let v = Timestamp.parse(t, relativeTo: now) else {
        throw UsageError(message: "\(name): '\(t)' is not a time (use RFC 3339 like 2026-12-01T00:00:00Z, or -24h, -7d, now)")
      }
      return v
    }
    let from = try time("--from")
    let to = try time("--to")
    let store = try SpanStores.open(a["--store"] ?? "llmscope.db")
    let bounds = try store.timeBounds()
    let range = TimeRange(from: from ?? bounds?.from ?? 0, to: to ?? bounds?.to ?? 0)
    if range.from > range.to { throw UsageError(message: "--from is after --to") }
    let prices = try PriceTable.load(a["--prices"])
    let filter = SpanFilter(app: a["--app"], businessSystem: a["--system"], model: a["--model"])
    let summary = try store.summary(in: range, filter: filter, prices: prices)
    var baseline: Summary?
    if a["--baseline-from"] != nil || a["--baseline-to"] != nil {
      let window = Baseline.window(of: range, from: try time("--baseline-from"), to: try time("--baseline-to"))
      if window.from > window.to { throw UsageError(message: "--baseline-from is after --baseline-to") }
      baseline = try store.summary(in: window, filter: filter, prices: prices)
    }
    if a.has("--json") {
      console.out(SummaryJSON.encode(summary, baseline: baseline))
    } else {
      console.out(SummaryTable.render(summary) + (baseline.map { "\nBaseline\n" + SummaryTable.render($0) } ?? ""))
    }
    return 0
  }
}
