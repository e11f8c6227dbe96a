import Foundation

/// `llmscope trace`: one trace as a single self-contained HTML file.
struct TraceCommand: Command {
  let name = "trace"
  let summary = "write one trace as a single self-contained HTML file, for an incident report"
  var help: String {
    """
    Usage: llmscope trace TRACE_ID [--store PATH|URL] [-o FILE] [--content full|truncate:N|none] [--now T]
                          [--prices FILE]

    Writes the trace's page (summary, waterfall, every span's details) as one HTML file with
    its stylesheet inlined: no other file is needed and it makes no network request.

    Options:
      --store PATH|URL  the store to read: a SQLite file (default: llmscope.db) or
                     clickhouse://HOST:PORT/DB?table=otel_traces
      -o FILE        the file to write (default: trace-TRACE_ID.html)
      --content HOW  prompt and completion text: full (default), truncate:N, none
      --now T        the generation time shown (default: the current time)
      --prices FILE  the price table for costs (default: llmscope's, Assets/prices.json)

    """
  }

  func run(_ args: [String], console: Console) throws -> Int32 {
    let a = try Arguments(args, options: ["--store", "-o", "--out", "--content", "--now", "--prices"], flags: [])
    guard a.positionals.count == 1, let raw = a.positionals.first else { throw UsageError(message: "give exactly one TRACE_ID") }
    guard let id = SpanIdentifiers.traceID(raw) else { throw UsageError(message: "'\(raw)' is not a trace id of 32 hex digits") }
    var content = ContentPolicy.full
    if let c = a["--content"] {
      guard let v = ContentPolicy(c) else { throw UsageError(message: "--content: '\(c)' is not full, truncate:N or none") }
      content = v
    }
    var now = Clock.nowNanos()
    if let t = a["--now"] {
      guard let v = Timestamp.parse(t) else { throw UsageError(message: "--now: '\(t)' is not an RFC 3339 time") }
      now = v
    }
    let storeArg = a["--store"] ?? "llmscope.db"
    let store = try SpanStores.open(a["--store"] ?? "llmscope.db")
    let spans = try store.storedSpans(traceID: id)
    guard !spans.isEmpty else {
      console.err("error: no trace \(id) in \(store.name)\n  hint: `llmscope build` lists trace ids on its Traces page\n")
      return 1
    }
    let view = TraceView(traceID: id, spans: spans)
    let template = try SiteTemplate(name: "trace", source: String(decoding: PackageResources.trace_md, as: UTF8.self), file: "Templates/trace.md")
    let prices = try PriceTable.load(a["--prices"])
    // The trace page's directives read only the trace.
    let summary = Summary.build(range: TimeRange(from: view.start, to: view.end), prices: prices) { _ in }
    var context = RenderContext(summary: summary, scope: PageScope(), pages: [], appPage: { _ in nil })
    context.trace = TraceRenderer(view: view, values: ValueView(content: content), prices: prices)
    let body = try TemplateRenderer().render(template.parsed, context: context)
    let frame = PageFrame(siteTitle: "llmscope", navigation: [], range: TimeRange(from: view.start, to: view.end), generatedAt: now, stylesheet: nil)
    let file = a["-o"] ?? a["--out"] ?? "trace-\(id).html"
    try SiteWriter.writeFile(file, frame.page(file: file, title: "Trace \(id)", body: body))
    console.out("wrote \(file) (\(spans.count) spans)\n")
    return 0
  }
}
