/// What an incident bundle records about itself (`manifest.json`, `manifest.html`): how it
/// was made, from what, and the SHA-256 of every file, so that it can be verified later.
public struct ManifestRequest: Sendable {
  /// The command line that made the bundle, program name first.
  public var commandLine: [String]
  /// The store's path as given.
  public var store: String
  /// The traces asked for by `--trace`; empty for every trace in the window.
  public var traces: [String]

  public init(commandLine: [String], store: String, traces: [String]) {
    self.commandLine = commandLine
    self.store = store
    self.traces = traces
  }
}

/// The input counts the manifest states.
struct ManifestInputs {
  var storeSpans: Int
  var window: TimeRange
  var totals: Figures
  /// Spans stored per named trace.
  var traceSpans: [(id: String, spans: Int)]
}

enum Manifest {
  static let jsonFile = "manifest.json"
  static let htmlFile = "manifest.html"
  static let format = "llmscope incident bundle 1"

  /// `manifest.json`: every file's digest, the manifest page's included; not itself.
  static func json(_ request: ManifestRequest, _ inputs: ManifestInputs, options: SiteOptions, files: [String: (sha256: String, bytes: Int)]) -> String {
    var w = JSONWriter(capacity: 4096)
    w.raw("{\"format\":")
    w.string(format)
    w.raw(",\n\"llmscope_version\":")
    w.string(CommandLineTool.version)
    w.raw(",\n\"command_line\":")
    w.array(request.commandLine) { a, w in w.string(a) }
    w.raw(",\n\"generated_at\":")
    w.string(Timestamp.format(options.now, fractionDigits: 9))
    w.raw(",\n\"store\":{\"path\":")
    w.string(request.store)
    w.raw(",\"spans\":")
    w.int(inputs.storeSpans)
    w.raw("},\n\"window\":{\"from\":")
    w.string(Timestamp.format(inputs.window.from, fractionDigits: 9))
    w.raw(",\"to\":")
    w.string(Timestamp.format(inputs.window.to, fractionDigits: 9))
    w.raw("},\n\"inputs\":{\"spans\":")
    w.int(inputs.totals.spans)
    w.raw(",\"traces\":")
    w.int(inputs.totals.traces)
    w.raw(",\"llm_calls\":")
    w.int(inputs.totals.llmCalls)
    w.raw(",\"model_calls\":")
    w.int(inputs.totals.modelCalls)
    w.raw(",\"model_errors\":")
    w.int(inputs.totals.modelErrors)
    w.raw("},\n\"traces\":[")
    for (i, t) in inputs.traceSpans.enumerated() {
      w.raw(i == 0 ? "{\"trace_id\":" : ",{\"trace_id\":")
      w.string(t.id)
      w.raw(",\"spans\":")
      w.int(t.spans)
      w.byte(UInt8(ascii: "}"))
    }
    w.raw("],\n\"prices\":{\"origin\":")
    w.string(options.prices.origin)
    w.raw(",\"taken\":")
    w.string(options.prices.taken)
    w.raw("},\n\"files\":[")
    for (i, name) in files.keys.sorted().enumerated() {
      w.raw(i == 0 ? "\n{\"name\":" : ",\n{\"name\":")
      w.string(name)
      w.raw(",\"bytes\":")
      w.int(files[name]!.bytes)
      w.raw(",\"sha256\":")
      w.string(files[name]!.sha256)
      w.byte(UInt8(ascii: "}"))
    }
    w.raw("]}\n")
    return w.string
  }

  /// The manifest page: how the bundle was made and the digest of every other file.
  static func page(_ request: ManifestRequest, _ inputs: ManifestInputs, options: SiteOptions, files: [String: (sha256: String, bytes: Int)]) -> HTML {
    func row(_ k: String, _ v: String) -> [HTML] { [.element("dt", [], text: k), .element("dd", [], text: v)] }
    let facts: [HTML] =
      row("Made by", "llmscope \(CommandLineTool.version)") + row("Command", request.commandLine.map(shellQuoted).joined(separator: " "))
      + row("Generated", Timestamp.format(options.now, fractionDigits: 0)) + row("Store", "\(request.store) (\(FigureName.grouped(Int64(inputs.storeSpans))) spans)")
      + row("Window", "\(Timestamp.format(inputs.window.from, fractionDigits: 3)) – \(Timestamp.format(inputs.window.to, fractionDigits: 3))")
      + row("Spans in the window", FigureName.grouped(Int64(inputs.totals.spans)))
      + row("Traces in the window", FigureName.grouped(Int64(inputs.totals.traces)))
      + row("LLM calls", FigureName.grouped(Int64(inputs.totals.llmCalls)))
      + row("Model calls (failed)", "\(FigureName.grouped(Int64(inputs.totals.modelCalls))) (\(FigureName.grouped(Int64(inputs.totals.modelErrors))))")
      + row("Prices", "\(options.prices.origin), taken \(options.prices.taken)")
    var parts: [HTML] = [
      .element("p", [], [
        .text("This bundle is a static site made for an incident report. "), .element("code", [], text: Manifest.jsonFile),
        .text(" beside this page lists every file with its SHA-256, this page's included; "), .element("code", [], text: "llmscope verify DIR"),
        .text(" checks them."),
      ]),
      .element("dl", [("class", "trace-summary")], facts),
    ]
    if !inputs.traceSpans.isEmpty {
      parts.append(.element("h2", [], text: "Traces"))
      parts.append(.element("ul", [], inputs.traceSpans.map { t in
        HTML.element("li", [], [.element("a", [("href", TraceRenderer.file(t.id, part: 0))], [.element("code", [], text: t.id)]), .text(" · \(t.spans) spans")])
      }))
    }
    parts.append(.element("h2", [], text: "Files"))
    let head = HTML.element("thead", [], [.element("tr", [], [
      .element("th", [("scope", "col"), ("class", "text")], text: "File"), .element("th", [("scope", "col"), ("class", "num")], text: "Bytes"),
      .element("th", [("scope", "col"), ("class", "text")], text: "SHA-256"),
    ])])
    let rows = files.keys.sorted().map { name in
      HTML.element("tr", [], [
        .element("th", [("scope", "row"), ("class", "text")], [.element("code", [], text: name)]),
        .element("td", [("class", "num")], text: FigureName.grouped(Int64(files[name]!.bytes))),
        .element("td", [("class", "text")], [.element("code", [("class", "digest")], text: files[name]!.sha256)]),
      ])
    }
    parts.append(.element("div", [("class", "table-wrap")], [.element("table", [("class", "manifest")], [head, .element("tbody", [], rows)])]))
    return HTML.element("div", [("class", "manifest")], parts)
  }

  /// An argument as a POSIX shell would need it written.
  static func shellQuoted(_ s: String) -> String {
    let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { c in
      ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || "-_./:=@%+,".unicodeScalars.contains(c)
    }
    return plain ? s : "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
  }

  /// Checks a bundle against its manifest.json: the files whose digest or size differ, the
  /// files missing, and the files present that it does not list.
  public static func verify(folder: String) throws -> (checked: Int, problems: [String]) {
    let path = folder + "/" + jsonFile
    guard let text = FileBytes.text(path) else {
      throw SiteError(message: "\(path): cannot be read", hint: "give the folder `llmscope incident` wrote")
    }
    guard let root = JSONValue.parse(text), case .string(let f)? = root["format"], f == format, case .array(let files)? = root["files"] else {
      throw SiteError(message: "\(path): not an llmscope incident manifest", hint: nil)
    }
    var problems: [String] = []
    var listed = Set<String>()
    for item in files {
      guard case .string(let name)? = item["name"], case .string(let sha)? = item["sha256"], let bytes = item["bytes"]?.double else {
        throw SiteError(message: "\(path): a file entry lacks name, bytes or sha256", hint: nil)
      }
      listed.insert(name)
      guard !name.contains("/"), let data = FileBytes.read(folder + "/" + name) else {
        problems.append("\(name): missing")
        continue
      }
      if data.count != Int(bytes) { problems.append("\(name): \(data.count) bytes, the manifest says \(Int(bytes))") }
      else if SHA256.hex(data) != sha { problems.append("\(name): SHA-256 differs from the manifest") }
    }
    for name in Directory.entries(folder) ?? [] where !listed.contains(name) && name != jsonFile && name != SiteWriter.marker {
      problems.append("\(name): not in the manifest")
    }
    return (files.count, problems.sorted())
  }
}

