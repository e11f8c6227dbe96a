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
  /// Which traces get a page.
  public var tracePages = TracePageSelection.all
  /// How much prompt and completion text pages carry.
  public var content = ContentPolicy.full

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

  public init(options: SiteOptions) { self.options = options }

  /// The name of the marker file that says a folder is a site llmscope made.
  static let marker = ".llmscope-site"

  /// Builds from `store`; returns the files written, relative to `--out`, sorted.
  public func build(store: SQLiteSpanStore) throws -> [String] {
    let templates = try loadTemplates()
    let renderer = TemplateRenderer(allowHTML: options.allowTemplateHTML)
    for t in templates { try renderer.check(t.parsed) }

    let bounds = try store.timeBounds()
    let siteRange = try range(from: options.from, to: options.to, bounds: bounds, position: nil)
    let summary = try store.summary(in: siteRange)
    let appFiles = Dictionary(uniqueKeysWithValues: summary.apps.map { ($0.name, Self.pageFile("app", $0.name)) })
    let hasModelPages = templates.contains { $0.kind == .model }
    let hasSystemPages = templates.contains { $0.kind == .businessSystem }
    let modelFiles = hasModelPages ? Dictionary(uniqueKeysWithValues: summary.models.map { ($0.name, Self.pageFile("model", $0.name)) }) : [:]
    let systemFiles = hasSystemPages
      ? Dictionary(uniqueKeysWithValues: summary.businessSystems.compactMap(\.fingerprint).map { ($0, Self.pageFile("system", $0)) }) : [:]

    let traceTemplates = templates.filter { $0.kind == .trace }
    let traceIDs = traceTemplates.isEmpty ? [] : try store.traceIDs(in: siteRange, selection: options.tracePages)
    let traceFiles = Set(traceIDs)

    let navigation = templates.filter { $0.kind == .page && $0.inNavigation }
      .sorted { ($0.order, $0.name) < ($1.order, $1.name) }
      .map { (file: $0.name + ".html", title: $0.title) }
    var files: [(String, String)] = []
    for t in templates {
      let pageRange = try range(from: t.from ?? options.from, to: t.to ?? options.to, bounds: bounds, position: t.parsed.file)
      let rangeSummary = pageRange == siteRange ? summary : try store.summary(in: pageRange)
      let frame = PageFrame(siteTitle: options.title, navigation: navigation, range: pageRange, generatedAt: options.now, stylesheet: "style.css")
      /// Directives see only the spans of the page's scope: an app page sees its app's.
      func context(_ scope: PageScope) throws -> RenderContext {
        let filter = scope.filter
        let s = filter == SpanFilter() ? rangeSummary : try store.summary(in: pageRange, filter: filter)
        let series = t.usesCharts ? try store.series(in: pageRange, filter: filter) : nil
        var c = RenderContext(summary: s, series: series, scope: scope, pages: navigation, appPage: { appFiles[$0] })
        c.modelPage = { modelFiles[$0] }
        c.tracePage = { traceFiles.contains($0) ? "trace-\($0).html" : nil }
        c.systemPage = { systemFiles[$0] }
        if t.comparesPeriods {
          let length = pageRange.to - pageRange.from
          let before = TimeRange(from: pageRange.from - length - 1, to: pageRange.from - 1)
          c.previous = try store.summary(in: before, filter: filter)
        }
        c.llmCalls = { selection, limit in try store.llmCalls(in: pageRange, filter: filter, selection: selection, limit: limit) }
        if t.usesAppDetails { c.appDetails = try store.appDetails(in: pageRange, filter: filter) }
        return c
      }
      func render(_ scope: PageScope, file: String, title: String) throws {
        let body = try renderer.render(t.parsed, context: try context(scope))
        files.append((file, frame.page(file: file, title: title, body: body)))
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
        for id in traceIDs {
          var c = try context(t.scope)
          c.trace = TraceRenderer(view: TraceView(traceID: id, spans: try store.storedSpans(traceID: id)), values: values)
          let file = "trace-\(id).html"
          files.append((file, frame.page(file: file, title: "\(t.title) \(id)", body: try renderer.render(t.parsed, context: c))))
        }
      }
    }
    files.append(("style.css", String(decoding: DefaultTemplates.stylesheet, as: UTF8.self)))
    files.append((Self.marker, "This folder was written by llmscope build; it replaces it whole on the next build.\n"))
    files.sort { $0.0 < $1.0 }
    try write(files)
    return files.map(\.0).filter { $0 != Self.marker }
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

  private func range(from: String?, to: String?, bounds: TimeRange?, position file: String?) throws -> TimeRange {
    func parse(_ text: String?, _ fallback: Int64) throws -> Int64 {
      guard let text else { return fallback }
      guard let v = Timestamp.parse(text, relativeTo: options.now) else {
        throw SiteError(message: "\(file.map { $0 + ": " } ?? "")'\(text)' is not a time", hint: "use RFC 3339 (2026-12-01T00:00:00Z) or a time relative to --now (-24h, -7d)")
      }
      return v
    }
    let r = TimeRange(from: try parse(from, bounds?.from ?? 0), to: try parse(to, bounds?.to ?? 0))
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
        guard let text = readFile(path) else { throw SiteError(message: "\(path): cannot be read", hint: nil) }
        sources[name] = (text, path)
      }
    }
    return try sources.keys.sorted().map { name throws(TemplateError) in
      try SiteTemplate(name: name, source: sources[name]!.0, file: sources[name]!.1)
    }
  }

  // MARK: - Writing

  /// Writes into a fresh folder beside `--out`, then swaps it in; the previous site stays
  /// untouched until the new one is complete.
  private func write(_ files: [(String, String)]) throws {
    let out = options.out.hasSuffix("/") ? String(options.out.dropLast()) : options.out
    let parent = out.contains("/") ? String(out[..<out.lastIndex(of: "/")!]) : "."
    let base = String(out.split(separator: "/").last ?? "site")
    let tmp = "\(parent)/.\(base).tmp-\(getpid())"
    let old = "\(parent)/.\(base).old-\(getpid())"
    var st = stat()
    if stat(out, &st) == 0 {
      guard (st.st_mode & S_IFMT) == S_IFDIR else { throw SiteError(message: "--out \(out) is a file", hint: "choose a folder") }
      if !Self.isEmptyFolder(out) && access("\(out)/\(Self.marker)", F_OK) != 0 {
        throw SiteError(message: "--out \(out) is a folder llmscope did not make", hint: "choose an empty or new folder; llmscope replaces --out whole")
      }
    }
    try Self.removeTree(tmp)
    guard mkdir(tmp, 0o755) == 0 else { throw SiteError(message: "cannot create \(tmp): \(String(cString: strerror(errno)))", hint: nil) }
    do {
      for (name, text) in files {
        try Self.writeFile("\(tmp)/\(name)", text)
      }
      if stat(out, &st) == 0 {
        guard rename(out, old) == 0 else { throw SiteError(message: "cannot move the previous site aside: \(String(cString: strerror(errno)))", hint: nil) }
      }
      guard rename(tmp, out) == 0 else {
        _ = rename(old, out)
        throw SiteError(message: "cannot move the new site into place: \(String(cString: strerror(errno)))", hint: nil)
      }
      try Self.removeTree(old)
    } catch {
      try? Self.removeTree(tmp)
      throw error
    }
  }

  static func writeFile(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "wb") else { throw SiteError(message: "cannot write \(path): \(String(cString: strerror(errno)))", hint: nil) }
    var copy = text
    let ok = copy.withUTF8 { fwrite($0.baseAddress, 1, $0.count, f) == $0.count }
    fclose(f)
    if !ok { throw SiteError(message: "cannot write \(path)", hint: nil) }
  }

  private func readFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&chunk, 1, chunk.count, f)
      if n <= 0 { break }
      bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func isEmptyFolder(_ path: String) -> Bool {
    guard let dir = opendir(path) else { return false }
    defer { closedir(dir) }
    while let e = readdir(dir) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
      if name != "." && name != ".." { return false }
    }
    return true
  }

  /// Removes a folder llmscope made (its own temporary or previous site folders only).
  static func removeTree(_ path: String) throws {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      if let dir = opendir(path) {
        var names: [String] = []
        while let e = readdir(dir) {
          let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
          if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        for n in names { try removeTree(path + "/" + n) }
      }
      guard rmdir(path) == 0 else { throw SiteError(message: "cannot remove \(path): \(String(cString: strerror(errno)))", hint: nil) }
    } else {
      guard unlink(path) == 0 else { throw SiteError(message: "cannot remove \(path): \(String(cString: strerror(errno)))", hint: nil) }
    }
  }
}
