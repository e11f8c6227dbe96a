import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What `llmscope build` was asked for.
public struct SiteOptions: Sendable {
  public var out = "site"
  public var from: String?
  public var to: String?
  public var title = "llmscope"
  public var templates: String?
  /// The generation time shown on pages and the instant relative times count from.
  public var now: Int64
  public var allowTemplateHTML = false
  /// Replace `--out` even when it is a non-empty folder llmscope did not make.
  public var force = false
  /// Which traces get a page.
  public var tracePages = TracePageSelection.all
  /// How much prompt and completion text pages carry.
  public var content = ContentPolicy.full
  /// Span details per trace page; a larger trace's details continue on part pages.
  public var spansPerTracePage = 500
  /// The price table costs are computed with.
  public var prices = PriceTable.bundled
  /// The range figures are compared with (`--baseline-from`, `--baseline-to`); by default
  /// the period of equal length just before each page's range.
  public var baselineFrom: String?
  public var baselineTo: String?
  /// Make the site an incident bundle: a manifest page and manifest.json with the digest of
  /// every file.
  public var manifest: ManifestRequest?
  /// Threads that render trace pages (default: one per core).
  public var jobs = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

  public init(now: Int64) { self.now = now }
}

/// A site build that could not be done, in the user's words.
public struct SiteError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public var hint: String?
  public var description: String { message + (hint.map { "\n  hint: \($0)" } ?? "") }
}

/// Builds the static site: every template rendered into the page frame, written into a
/// temporary folder beside `--out` and swapped in only when everything succeeded.
public struct SiteBuilder {
  public var options: SiteOptions
  /// Called with (trace pages written, trace pages in all) as trace pages are written.
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// Held around every read of the store while trace pages render on several threads.
  private let storeLock = Lock()

  public init(options: SiteOptions) { self.options = options }

  /// Builds from `store`; returns the files written, relative to `--out`, sorted. Pages are
  /// written as they are rendered, trace pages on every core, so memory does not grow with
  /// the number of traces.
  public func build(store: any SpanStore) throws -> [String] {
    // One read transaction: every page shows the store as it was when the build began, even
    // while an ingest writes to it.
    try store.inOneSnapshot { try buildPages(store: store) }
  }

  private func buildPages(store: any SpanStore) throws -> [String] {
    let templates = try loadTemplates()
    let renderer = TemplateRenderer(allowHTML: options.allowTemplateHTML)
    for t in templates { try renderer.check(t.parsed) }

    let bounds = try store.timeBounds()
    let siteRange = try range(from: options.from, to: options.to, bounds: bounds, position: nil)
    let prices = options.prices
    let summary = try store.summary(in: siteRange, prices: prices)
    let appFiles = Dictionary(uniqueKeysWithValues: summary.apps.map { ($0.name, Self.pageFile("app", $0.name)) })
    let hasModelPages = templates.contains { $0.kind == .model }
    let hasSystemPages = templates.contains { $0.kind == .businessSystem }
    let modelFiles = hasModelPages ? Dictionary(uniqueKeysWithValues: summary.models.map { ($0.name, Self.pageFile("model", $0.name)) }) : [:]
    let systemFiles = hasSystemPages
      ? Dictionary(uniqueKeysWithValues: summary.businessSystems.compactMap(\.fingerprint).map { ($0, Self.pageFile("system", $0)) }) : [:]

    let traceTemplates = templates.filter { $0.kind == .trace }
    let traceIDs = traceTemplates.isEmpty ? [] : try store.traceIDs(in: siteRange, selection: options.tracePages)
    let traceFiles = Set(traceIDs)

    var navigation = templates.filter { $0.kind == .page && $0.inNavigation }
      .sorted { ($0.order, $0.name) < ($1.order, $1.name) }
      .map { (file: $0.name + ".html", title: $0.title) }
    if options.manifest != nil { navigation.append((file: Manifest.htmlFile, title: "Manifest")) }
    let writer = try SiteWriter(out: options.out, force: options.force, recordDigests: options.manifest != nil)
    do {
      for t in templates {
        let pageRange = try range(from: t.from ?? options.from, to: t.to ?? options.to, bounds: bounds, position: t.parsed.file)
        let rangeSummary = pageRange == siteRange ? summary : try store.summary(in: pageRange, prices: prices)
        let baselineRange = try baseline(of: pageRange)
        var frame = PageFrame(siteTitle: options.title, navigation: navigation, range: pageRange, generatedAt: options.now, stylesheet: "style.css")
        if t.comparesPeriods { frame.baseline = baselineRange }
        /// Directives see only the spans of the page's scope: an app page sees its app's.
        func context(_ scope: PageScope, _ store: any SpanStore) throws -> RenderContext {
          let filter = scope.filter
          let s = filter == SpanFilter() ? rangeSummary : try store.summary(in: pageRange, filter: filter, prices: prices)
          let series = t.usesCharts ? try store.series(in: pageRange, filter: filter, prices: prices) : nil
          var c = RenderContext(summary: s, series: series, scope: scope, pages: navigation, appPage: { appFiles[$0] })
          c.modelPage = { modelFiles[$0] }
          c.tracePage = { traceFiles.contains($0) ? "trace-\($0).html" : nil }
          c.systemPage = { systemFiles[$0] }
          if t.comparesPeriods {
            c.baseline = try store.summary(in: baselineRange, filter: filter, prices: prices)
            if options.baselineFrom != nil || options.baselineTo != nil { c.baselineLabel = "baseline" }
          }
          // Trace pages render on several threads: every store read takes the store lock.
          let lock = storeLock
          c.llmCalls = { selection, limit in
            try lock.withLock { try store.llmCalls(in: pageRange, filter: filter, selection: selection, limit: limit) }
          }
          c.forEachSpan = { onlyErrors, limit, body in
            try lock.withLock { try store.forEachSpan(in: pageRange, filter: filter, onlyErrors: onlyErrors, limit: limit, body) }
          }
          c.attach = { name, text in try writer.write(name, text) }
          if t.usesAppDetails { c.appDetails = try store.appDetails(in: pageRange, filter: filter) }
          return c
        }
        func render(_ scope: PageScope, file: String, title: String) throws {
          var c = try context(scope, store)
          c.pageName = String(file.dropLast(5))
          let body = try renderer.render(t.parsed, context: c)
          try writer.write(file, frame.page(file: file, title: title, body: body))
        }
        switch t.kind {
        case .page:
          if let app = t.scope.app, !rangeSummary.apps.contains(where: { $0.name == app }) {
            throw TemplateError(
              position: t.parsed.frontMatterPositions["app"] ?? SourcePosition(file: t.parsed.file, line: 1, column: 1), text: app,
              message: "no app `\(app)` in this range", validNames: rangeSummary.apps.map(\.name))
          }
          try render(t.scope, file: t.name + ".html", title: t.title)
        case .app:
          for app in rangeSummary.apps {
            var scope = t.scope
            scope.app = app.name
            try render(scope, file: appFiles[app.name] ?? Self.pageFile("app", app.name), title: "\(t.title): \(app.name)")
          }
        case .model:
          for model in rangeSummary.models {
            var scope = t.scope
            scope.model = model.name
            try render(scope, file: modelFiles[model.name] ?? Self.pageFile("model", model.name), title: "\(t.title): \(model.name)")
          }
        case .businessSystem:
          for system in rangeSummary.businessSystems {
            guard let fp = system.fingerprint else { continue }
            var scope = t.scope
            scope.businessSystem = fp
            try render(scope, file: systemFiles[fp] ?? Self.pageFile("system", fp), title: "\(t.title): \(fp)")
          }
        case .trace:
          let values = ValueView(content: options.content)
          let base = try context(t.scope, store)
          try renderInParallel(traceIDs, read: { id in try store.storedSpans(traceID: id) }) { id, spans in
            var c = base
            var trace = TraceRenderer(view: TraceView(traceID: id, spans: spans), values: values, prices: prices, spansPerPage: options.spansPerTracePage)
            c.trace = trace
            let file = TraceRenderer.file(id, part: 0)
            try writer.write(file, frame.page(file: file, title: "\(t.title) \(id)", body: try renderer.render(t.parsed, context: c)))
            // The details of a large trace's further spans, a page per part.
            for k in 1..<trace.partCount {
              trace.part = k
              let part = TraceRenderer.file(id, part: k)
              let body = HTML.element("p", [], [.element("a", [("href", file)], text: "← the trace's waterfall")]) + .element("h2", [], text: "Spans") + trace.details()
              try writer.write(part, frame.page(file: part, title: "\(t.title) \(id), part \(k + 1) of \(trace.partCount)", body: body))
            }
          }
        }
      }
      try writer.write("style.css", String(decoding: DefaultTemplates.stylesheet, as: UTF8.self))
      // The site range's figures, machine-readable (the nightly archive reads them).
      try writer.write("summary.json", SummaryJSON.encode(summary))
      if let request = options.manifest {
        // The spans of each trace asked for by name.
        let traceSpans = request.traces.isEmpty ? [] : try traceIDs.map { (id: $0, spans: try store.spanCount(traceID: $0)) }
        let inputs = ManifestInputs(storeSpans: try store.spanCount(), window: siteRange, totals: summary.totals, traceSpans: traceSpans)
        let frame = PageFrame(siteTitle: options.title, navigation: navigation, range: siteRange, generatedAt: options.now, stylesheet: "style.css")
        let page = Manifest.page(request, inputs, options: options, files: writer.writtenDigests)
        try writer.write(Manifest.htmlFile, frame.page(file: Manifest.htmlFile, title: "Manifest", body: page))
        try writer.write(Manifest.jsonFile, Manifest.json(request, inputs, options: options, files: writer.writtenDigests))
      }
      return try writer.commit()
    } catch {
      writer.abandon()
      throw error
    }
  }

  /// Renders every item on `options.jobs` threads. The calling thread reads each item's data
  /// (`read`, under the store lock) and hands it over through a bounded queue, so the store is
  /// read on one connection, in the build's one snapshot, and at most a few items are held at
  /// once; the first error stops the rest and is thrown.
  private func renderInParallel<T: Sendable>(
    _ items: [String], read: (String) throws -> T, _ render: @escaping (String, T) throws -> Void
  ) throws {
    let jobs = max(1, min(options.jobs, items.count))
    let queue = BatchChannel<(String, T)?>(capacity: jobs * 2)
    let state = Mutex((count: 0, error: Error?.none))
    let progress = self.progress
    let total = items.count
    let work = UnsafeSendable(render)
    let group = DispatchGroup()
    for _ in 0..<jobs {
      DispatchQueue.global().async(group: group) {
        while let (id, data) = queue.receive() {
          if state.withLock({ $0.error != nil }) { continue }  // drain, so the reader never blocks
          do {
            try work.value(id, data)
            let n = state.withLock { s in
              s.count += 1
              return s.count
            }
            if n % 100 == 0 || n == total { progress?(n, total) }
          } catch {
            state.withLock { if $0.error == nil { $0.error = error } }
          }
        }
      }
    }
    do {
      for id in items {
        if state.withLock({ $0.error != nil }) { break }
        queue.send((id, try storeLock.withLock { try read(id) }))
      }
    } catch {
      state.withLock { if $0.error == nil { $0.error = error } }
    }
    for _ in 0..<jobs { queue.send(nil) }
    group.wait()
    if let e = state.withLock({ $0.error }) { throw e }
  }

  /// `app-<name>.html`: the app's page.
  static func appFile(_ app: String) -> String { pageFile("app", app) }

  /// `<prefix>-<name>.html`, with anything but lowercase letters, digits and `-` replaced and
  /// a short hash added when the name had to change, so every name gets its own safe file.
  static func pageFile(_ prefix: String, _ name: String) -> String {
    var slug = ""
    for ch in name.lowercased().unicodeScalars {
      slug.unicodeScalars.append(("a"..."z").contains(ch) || ("0"..."9").contains(ch) || ch == "-" ? ch : "-")
    }
    if slug != name || slug.isEmpty { slug += "-" + String(Fingerprint.fnv1a64(name) & 0xFFFFFF, radix: 16) }
    return "\(prefix)-\(slug).html"
  }

  /// The baseline of a page's range (see `Baseline.window`).
  private func baseline(of range: TimeRange) throws -> TimeRange {
    let r = Baseline.window(
      of: range, from: try time(options.baselineFrom, where: "--baseline-from: "), to: try time(options.baselineTo, where: "--baseline-to: "))
    if r.from > r.to { throw SiteError(message: "the baseline starts after it ends", hint: "--baseline-from must come before --baseline-to") }
    return r
  }

  /// `text` as a time relative to `--now`; `nil` without text. `place` starts the message.
  private func time(_ text: String?, where place: String) throws -> Int64? {
    guard let text else { return nil }
    guard let v = Timestamp.parse(text, relativeTo: options.now) else {
      throw SiteError(message: "\(place)'\(text)' is not a time", hint: "use RFC 3339 (2026-12-01T00:00:00Z) or a time relative to --now (-24h, -7d)")
    }
    return v
  }

  private func range(from: String?, to: String?, bounds: TimeRange?, position file: String?) throws -> TimeRange {
    let place = file.map { $0 + ": " } ?? ""
    let r = TimeRange(from: try time(from, where: place) ?? bounds?.from ?? 0, to: try time(to, where: place) ?? bounds?.to ?? 0)
    if r.from > r.to { throw SiteError(message: "\(file.map { $0 + ": " } ?? "")the range starts after it ends", hint: nil) }
    return r
  }

  /// Default templates, overridden and extended by `--templates`.
  private func loadTemplates() throws -> [SiteTemplate] {
    var sources: [String: (String, String)] = [:]  // name → (source, file label)
    for (name, bytes) in DefaultTemplates.all { sources[name] = (String(decoding: bytes, as: UTF8.self), "Templates/\(name).md") }
    if let dir = options.templates {
      var st = stat()
      guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
        throw SiteError(message: "--templates \(dir): not a folder", hint: "pass a folder of .md templates")
      }
      for path in Ingestor.files(in: dir) where path.hasSuffix(".md") {
        let name = String(path.split(separator: "/").last!.dropLast(3))
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), name.unicodeScalars.allSatisfy(\.isASCII) else {
          throw SiteError(message: "\(path): template names use ASCII letters, digits, - and _ (it becomes \(name).html)", hint: nil)
        }
        guard let text = FileBytes.text(path) else { throw SiteError(message: "\(path): cannot be read", hint: nil) }
        sources[name] = (text, path)
      }
    }
    return try sources.keys.sorted().map { name throws(TemplateError) in
      try SiteTemplate(name: name, source: sources[name]!.0, file: sources[name]!.1)
    }
  }

}

/// A value handed to the threads of `concurrentPerform`, which run within the caller's call.
private struct UnsafeSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

/// A lock that a copyable value can hold (a `Mutex` inside a class).
final class Lock: Sendable {
  private let mutex = Mutex(())
  func withLock<T>(_ body: () throws -> T) rethrows -> T {
    try mutex.withLock { _ in try body() }
  }
}
