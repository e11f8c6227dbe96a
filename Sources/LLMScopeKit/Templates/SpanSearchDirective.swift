/// `{{ span_search }}`: the trace search of product §4, one row per span of the range.
///
/// The page itself holds the slowest spans and the failed ones, so it is useful without
/// JavaScript; the whole list, slowest first, is written beside the page as data files of
/// `chunk` spans (`<page>-spans-1.js`, …) that a small inline script loads one at a time, only
/// as far as the filters need: the first screen appears at once however large the store.
extension Directives {
  static let spanSearch = DirectiveDefinition(
    name: "span_search",
    summary: "Every span of the range, slowest first, filtered by app, operation, duration, name and status; each row links to its trace page. The slowest and the failed spans are in the page; the rest load from data files beside it as the filters need them.",
    arguments: [
      DirectiveArgument(key: "rows", summary: "rows shown at first, and added by each “Show more”", defaultValue: "50"),
      DirectiveArgument(key: "chunk", summary: "spans per data file", defaultValue: "5000"),
    ],
    example: "{{ span_search rows=100 }}",
    render: { args, call, context throws(TemplateError) in
      func count(_ key: String) throws(TemplateError) -> Int {
        guard let n = Int(args[key]!), n > 0 else {
          throw TemplateError(position: call.argument(key)?.position ?? call.position, text: args[key]!, message: "`\(key)` is a positive number")
        }
        return n
      }
      let rows = try count("rows")
      let chunk = try count("chunk")
      var slowest: [SpanRow] = []
      var failed: [SpanRow] = []
      var files = 0
      var total = 0
      do {
        var data = JSONWriter(capacity: 1 << 20)
        var inChunk = 0
        func flush() throws {
          guard inChunk > 0, let attach = context.attach else { return }
          files += 1
          data.raw("]);\n")
          try attach("\(context.pageName)-spans-\(files).js", data.string)
          data = JSONWriter(capacity: 1 << 20)
          inChunk = 0
        }
        // With data files every span is read, slowest first, and the failed ones come with them;
        // without (a single file), only the first rows are read and the failed asked for apart.
        let readsAll = context.attach != nil
        try context.forEachSpan(false, readsAll ? 0 : rows) { r in
          total += 1
          if slowest.count < rows { slowest.append(r) }
          if readsAll, r.isError, failed.count < rows { failed.append(r) }
          guard readsAll else { return }
          data.json(inChunk == 0 ? "llmscopeSpans(\(files), [\n" : ",\n")
          SpanSearchData.row(r, hasPage: context.tracePage(r.traceID) != nil, into: &data)
          inChunk += 1
          if inChunk == chunk { try flush() }
        }
        try flush()
        if !readsAll { try context.forEachSpan(true, rows) { failed.append($0) } }
      } catch {
        throw TemplateError(position: call.position, text: call.text, message: "cannot read the store: \(error)")
      }
      guard !slowest.isEmpty else { return .element("p", [("class", "empty")], text: "No spans in this range.") }

      let apps = context.summary.apps.map(\.name)
      func select(_ name: String, _ label: String, _ options: [(String, String)]) -> HTML {
        .element("label", [], [
          .text(label + " "),
          .element("select", [("name", name)], options.map { HTML.element("option", [("value", $0.0)], text: $0.1) }),
        ])
      }
      let form = HTML.element("form", [("class", "span-filters"), ("hidden", ""), ("role", "search"), ("aria-label", "Filter spans")], [
        select("app", "App", [("", "all")] + apps.map { ($0, $0) }),
        select("kind", "Operation", [("", "all")] + OperationKind.allCases.map { ($0.rawValue, $0.rawValue) }),
        .element("label", [], [.text("Span name "), .element("input", [("type", "search"), ("name", "name"), ("placeholder", "contains…")])]),
        .element("label", [], [.text("Duration ≥ "), .element("input", [("type", "number"), ("name", "min"), ("min", "0"), ("step", "any"), ("placeholder", "ms")])]),
        .element("label", [], [.text("≤ "), .element("input", [("type", "number"), ("name", "max"), ("min", "0"), ("step", "any"), ("placeholder", "ms")])]),
        select("status", "Status", [("", "all"), ("error", "error"), ("ok", "ok")]),
      ])
      let intro = HTML.element("p", [("class", "search-status"), ("aria-live", "polite")],
        text: "The \(FigureName.grouped(Int64(slowest.count))) slowest of \(FigureName.grouped(Int64(total))) spans in this range.")
      var parts: [HTML] = [
        form, intro, table(slowest, context),
        .element("p", [], [.element("button", [("type", "button"), ("class", "more"), ("hidden", "")], text: "Show more")]),
      ]
      parts.append(.element("h3", [], text: "Failed spans, slowest first"))
      parts.append(failed.isEmpty ? .element("p", [("class", "empty")], text: "No failed spans in this range.") : table(failed, context))
      if files > 0 {
        parts.append(.trusted("<script>\n" + String(decoding: DefaultTemplates.searchScript, as: UTF8.self) + "</script>"))
      }
      return .element("div", [
        ("class", "span-search"), ("data-span-search", ""), ("data-prefix", "\(context.pageName)-spans-"), ("data-chunks", String(files)),
        ("data-rows", String(rows)), ("data-total", String(total)),
      ], parts)
    })

  /// A table of spans, as the search script also writes it.
  private static func table(_ rows: [SpanRow], _ context: RenderContext) -> HTML {
    let head = HTML.element("thead", [], [
      .element("tr", [], SpanSearchData.columns.enumerated().map { i, h in
        HTML.element("th", [("scope", "col"), ("class", [4, 7].contains(i) ? "num" : "text")], text: h)
      })
    ])
    let body = HTML.element("tbody", [], rows.map { r in
      HTML.element("tr", r.isError ? [("class", "error")] : [], [
        .element("td", [("class", "text nowrap")], text: Timestamp.displaySeconds(r.startNanos)),
        .element("td", [("class", "text")], text: r.app),
        .element("td", [("class", "text")], [.element("span", [("class", "badge k-\(r.kind.rawValue)")], text: r.kind.rawValue)]),
        .element("td", [("class", "text")], text: r.name),
        .element("td", [("class", "num")], text: FigureName.format(Double(r.durationNanos) / 1e6, .milliseconds)),
        statusCell(isError: r.isError),
        .element("td", [("class", "text")], text: r.model ?? ""),
        .element("td", [("class", "num")], text: r.tokens.map { FigureName.grouped($0) } ?? ""),
        traceCell(r.traceID, span: r.spanID, context),
      ])
    })
    return .element("div", [("class", "table-wrap")], [.element("table", [("class", "trace-list")], [head, body])])
  }
}

/// The data files of the span search: one JSON array per span, in the order of `columns`
/// (the script formats them as the page's own tables are).
enum SpanSearchData {
  static let columns = ["Start (UTC)", "App", "Operation", "Span", "Duration", "Status", "Model", "Tokens", "Trace"]

  /// `[start, app, kind, name, duration ms, error 0/1, model|null, tokens|null, trace id, span id, has page 0/1]`
  static func row(_ r: SpanRow, hasPage: Bool, into w: inout JSONWriter) {
    w.byte(UInt8(ascii: "["))
    w.string(Timestamp.displaySeconds(r.startNanos))
    w.byte(UInt8(ascii: ","))
    w.string(r.app)
    w.byte(UInt8(ascii: ","))
    w.string(r.kind.rawValue)
    w.byte(UInt8(ascii: ","))
    w.string(r.name)
    w.byte(UInt8(ascii: ","))
    w.json(SummaryJSON.number(Double(r.durationNanos) / 1e6, .milliseconds))
    w.raw(r.isError ? ",1," : ",0,")
    if let m = r.model { w.string(m) } else { w.raw("null") }
    w.byte(UInt8(ascii: ","))
    if let t = r.tokens { w.int(t) } else { w.raw("null") }
    w.byte(UInt8(ascii: ","))
    w.string(r.traceID)
    w.byte(UInt8(ascii: ","))
    w.string(r.spanID)
    w.raw(hasPage ? ",1]" : ",0]")
  }
}
