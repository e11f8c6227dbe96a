/// `llmscope incident`: a site scoped to an incident's window and traces, with a manifest.
struct IncidentCommand: Command {
  let name = "incident"
  let summary = "build a verifiable incident bundle: the site of a window and its traces, with manifest.json"
  var help: String {
    """
    Usage: llmscope incident --from T --to T [--trace ID]... -o DIR [--store PATH|URL] [--now T]
                             [--title TEXT] [--templates DIR] [--content full|truncate:N|none]
                             [--prices FILE] [--baseline-from T] [--baseline-to T]
                             [--trace-page-spans N] [--jobs N] [--force]

    Builds the site of the window --from … --to: its figures, charts and tables, and a trace
    page for each --trace (default: every trace with a span in the window). A manifest page
    and manifest.json record the llmscope version, the command line, the store, the window,
    the input counts and the SHA-256 of every file written, so the bundle can be verified
    later with `llmscope verify DIR`. Pages print cleanly, so the bundle can become a PDF.

    Options:
      --from T, --to T   the incident's window (required)
      --trace ID         a trace to include (repeat for more); it may start outside the window
      -o DIR, --out DIR  the bundle's folder (required)
      --store PATH|URL   the store to read: a SQLite file (default: llmscope.db) or
                         clickhouse://HOST:PORT/DB?table=otel_traces
      --now T            the generation time (default: now); fix it for byte-identical bundles
      --title TEXT       the bundle's title (default: llmscope incident)
      The other options are those of `llmscope build`.

    """
  }

  func run(_ args: [String], console: Console) throws -> Int32 {
    let a = try Arguments(args, options: BuildCommand.siteOptionNames.union(["-o", "--out", "--trace"]), flags: BuildCommand.siteFlagNames)
    guard a.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(a.positionals[0])'") }
    guard a["--from"] != nil, a["--to"] != nil else { throw UsageError(message: "give the incident's window with --from and --to") }
    guard let out = a["-o"] ?? a["--out"] else { throw UsageError(message: "give the bundle's folder with -o DIR") }
    var traces: [String] = []
    for raw in a.values("--trace") {
      guard let id = SpanIdentifiers.traceID(raw) else { throw UsageError(message: "--trace: '\(raw)' is not a trace id of 32 hex digits") }
      traces.append(id)
    }
    var options = try BuildCommand.siteOptions(a)
    options.out = out
    if a["--title"] == nil { options.title = "llmscope incident" }
    let storePath = a["--store"] ?? "llmscope.db"
    let store = try SpanStores.open(storePath)
    if !traces.isEmpty {
      let found = Set(try store.traceIDs(in: TimeRange(from: 0, to: 0), selection: .ids(traces)))
      if let missing = traces.first(where: { !found.contains($0) }) {
        console.err("error: no trace \(missing) in \(store.name)\n  hint: the Traces page of `llmscope build` lists trace ids\n")
        return 1
      }
      options.tracePages = .ids(traces)
    }
    options.manifest = ManifestRequest(commandLine: ["llmscope", name] + args, store: store.name, traces: traces)
    var builder = SiteBuilder(options: options)
    if console.showsProgress {
      builder.progress = { done, total in console.err("\r\u{1B}[Kincident: \(done) of \(total) trace pages" + (done == total ? "\n" : "")) }
    }
    let files = try builder.build(store: store)
    console.out("wrote \(files.count) files to \(out)/ — open \(out)/index.html; check them later with `llmscope verify \(out)`\n")
    return 0
  }
}

/// `llmscope verify`: checks an incident bundle against its manifest.json.
struct VerifyCommand: Command {
  let name = "verify"
  let summary = "check an incident bundle's files against the SHA-256 digests of its manifest.json"
  var help: String {
    """
    Usage: llmscope verify DIR

    Reads DIR/manifest.json, written by `llmscope incident`, and checks that every file it
    lists is there with the same size and SHA-256, and that no other file was added. Exits 0
    when the bundle is intact, 1 when something differs (each difference is printed).

    """
  }

  func run(_ args: [String], console: Console) throws -> Int32 {
    let a = try Arguments(args, options: [], flags: [])
    guard a.positionals.count == 1 else { throw UsageError(message: "give exactly one bundle folder") }
    let (checked, problems) = try Manifest.verify(folder: a.positionals[0])
    if problems.isEmpty {
      console.out("\(a.positionals[0]): \(checked) files match manifest.json\n")
      return 0
    }
    for p in problems { console.err("\(a.positionals[0])/\(p)\n") }
    console.err("error: \(problems.count) of the bundle's files differ from its manifest\n")
    return 1
  }
}
