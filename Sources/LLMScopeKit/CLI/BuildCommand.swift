/// `llmscope build`: the static site.
struct BuildCommand: Command {
  let name = "build"
  let summary = "render the Markdown templates into a self-contained static HTML site"
  var help: String {
    """
    Usage: llmscope build [--store PATH|URL] [--out DIR] [--from T] [--to T] [--title TEXT]
                          [--templates DIR] [--now T] [--allow-template-html]
                          [--trace-pages all|errors|slowest:N|sample:N] [--content full|truncate:N|none]
                          [--trace-page-spans N] [--jobs N] [--force] [--prices FILE]
                          [--baseline-from T] [--baseline-to T] [--archive DIR]

    Renders every page template (Templates/ of llmscope, overridden and extended by
    --templates) into a static site that opens from file:// with no server and makes no
    network request. The site is written beside --out and swapped in when complete, so a
    failed build leaves the previous site untouched.

    Options:
      --store PATH|URL        the store to read: a SQLite file (default: llmscope.db) or
                              clickhouse://HOST:PORT/DB?table=otel_traces
      --out DIR               the site folder (default: site)
      --from T, --to T        the report's range (default: the whole store)
      --title TEXT            the site's title (default: llmscope)
      --templates DIR         .md templates: same name overrides a default page, a new name
                              adds a page (nightly.md becomes nightly.html)
      --now T                 the generation time shown on pages and the instant relative
                              times count from (default: the current time); fix it for
                              byte-identical builds
      --allow-template-html   let templates contain raw HTML (trusted authors only)
      --trace-pages WHICH     which traces get a page: all (default), errors, slowest:N,
                              sample:N (the same N every build); lists link only to pages
                              that exist
      --content HOW           prompt and completion text on pages: full (default),
                              truncate:N characters, or none (for sites published widely);
                              secrets such as API keys and the token are never shown
      --trace-page-spans N    span details per trace page (default 500); a larger trace's
                              details continue on part pages trace-<id>-2.html, …
      --jobs N                threads that write trace pages (default: one per core)
      --force                 replace --out even if it is a non-empty folder llmscope did
                              not make (it is replaced whole)
      --prices FILE           the price table for costs (default: llmscope's own,
                              Assets/prices.json); see README, "Cost"
      --baseline-from T, --baseline-to T
                              the range figures are compared with (default: the period of
                              equal length just before each page's range; one end alone
                              gives a baseline of the page's length)
      --archive DIR           write the site into DIR/YYYY-MM-DD (the day of --now, UTC)
                              and update DIR/index.html, the list of every night with its
                              headline figures and trends; --out is not used

    Times are RFC 3339 or relative to --now: -24h, -7d, now.

    """
  }

  /// The options of `a` that every site-making command reads.
  static func siteOptions(_ a: Arguments) throws -> SiteOptions {
    var now = Clock.nowNanos()
    if let t = a["--now"] {
      guard let v = Timestamp.parse(t) else { throw UsageError(message: "--now: '\(t)' is not an RFC 3339 time") }
      now = v
    }
    for key in ["--from", "--to", "--baseline-from", "--baseline-to"] {
      if let t = a[key], Timestamp.parse(t, relativeTo: now) == nil {
        throw UsageError(message: "\(key): '\(t)' is not a time (use RFC 3339 like 2026-12-01T00:00:00Z, or -24h, -7d, now)")
      }
    }
    var options = SiteOptions(now: now)
    options.from = a["--from"]
    options.to = a["--to"]
    options.title = a["--title"] ?? "llmscope"
    options.templates = a["--templates"]
    options.allowTemplateHTML = a.has("--allow-template-html")
    options.force = a.has("--force")
    options.prices = try PriceTable.load(a["--prices"])
    options.baselineFrom = a["--baseline-from"]
    options.baselineTo = a["--baseline-to"]
    if let c = a["--content"] {
      guard let v = ContentPolicy(c) else { throw UsageError(message: "--content: '\(c)' is not full, truncate:N or none") }
      options.content = v
    }
    if let n = a["--trace-page-spans"] {
      guard let v = Int(n), v > 0 else { throw UsageError(message: "--trace-page-spans: '\(n)' is not a number of spans") }
      options.spansPerTracePage = v
    }
    if let j = a["--jobs"] {
      guard let v = Int(j), v > 0 else { throw UsageError(message: "--jobs: '\(j)' is not a number of threads") }
      options.jobs = v
    }
    return options
  }

  /// Options every site-making command shares (`build`, `incident`).
  static let siteOptionNames: Set<String> = [
    "--store", "--from", "--to", "--title", "--templates", "--now", "--content", "--jobs", "--trace-page-spans", "--prices",
    "--baseline-from", "--baseline-to",
  ]
  static let siteFlagNames: Set<String> = ["--allow-template-html", "--force"]

  func run(_ args: [String], console: Console) throws -> Int32 {
    let a = try Arguments(
      args, options: Self.siteOptionNames.union(["--out", "--trace-pages", "--archive"]), flags: Self.siteFlagNames)
    guard a.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(a.positionals[0])'") }
    var options = try Self.siteOptions(a)
    options.out = a["--out"] ?? "site"
    if let t = a["--trace-pages"] {
      guard let v = TracePageSelection(t) else { throw UsageError(message: "--trace-pages: '\(t)' is not all, errors, slowest:N or sample:N") }
      options.tracePages = v
    }
    let store = try SpanStores.open(a["--store"] ?? "llmscope.db")
    var builder = SiteBuilder(options: options)
    if console.showsProgress {
      builder.progress = { done, total in console.err("\r\u{1B}[Kbuild: \(done) of \(total) trace pages" + (done == total ? "\n" : "")) }
    }
    if let archive = a["--archive"] {
      try Archive.prepare(archive)
      builder.options.out = "\(archive)/\(Archive.folder(for: options.now))"
      let files = try builder.build(store: store)
      try Archive.writeIndex(archive, title: options.title, generatedAt: options.now)
      console.out("wrote \(files.count) files to \(builder.options.out)/ and the archive index \(archive)/index.html\n")
      return 0
    }
    let files = try builder.build(store: store)
    console.out("wrote \(files.count) files to \(options.out)/ — open \(options.out)/index.html\n")
    return 0
  }
}
