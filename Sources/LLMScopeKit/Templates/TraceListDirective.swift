/// `{{ traces … }}`: a list of LLM calls, the slowest, the failed or the latest.
extension Directives {
  static let traces = DirectiveDefinition(
    name: "traces", summary: "A list of LLM calls (entry spans) with their trace: the slowest, the failed or the latest.",
    arguments: [
      DirectiveArgument(key: "show", summary: "which calls", allowed: LLMCallSelection.allCases.map(\.rawValue), defaultValue: "slowest"),
      DirectiveArgument(key: "limit", summary: "at most this many rows", defaultValue: "20"),
    ],
    example: "{{ traces show=failed limit=10 }}",
    render: { args, call, context throws(TemplateError) in
      guard let limit = Int(args["limit"]!), limit > 0 else {
        throw TemplateError(position: call.argument("limit")?.position ?? call.position, text: args["limit"]!, message: "`limit` is a positive number of rows")
      }
      let rows: [LLMCallRow]
      do {
        rows = try context.llmCalls(LLMCallSelection(rawValue: args["show"]!)!, limit)
      } catch {
        throw TemplateError(position: call.position, text: call.text, message: "cannot read the store: \(error)")
      }
      guard !rows.isEmpty else { return .element("p", [("class", "empty")], text: "No LLM calls in this range.") }
      let head = HTML.element("thead", [], [
        .element("tr", [], ["Start (UTC)", "App", "LLM call", "Duration", "Status", "Tokens", "Trace"].enumerated().map { i, h in
          HTML.element("th", [("scope", "col"), ("class", [3, 5].contains(i) ? "num" : "text")], text: h)
        })
      ])
      let body = HTML.element("tbody", [], rows.map { r in
        HTML.element("tr", r.isError ? [("class", "error")] : [], [
          .element("td", [("class", "text nowrap")], text: Timestamp.displaySeconds(r.startNanos)),
          .element("td", [("class", "text")], [context.appPage(r.app).map { HTML.element("a", [("href", $0)], text: r.app) } ?? .text(r.app)]),
          .element("td", [("class", "text")], text: r.name),
          .element("td", [("class", "num")], text: FigureName.format(r.durationMs, .milliseconds)),
          statusCell(isError: r.isError, message: r.statusMessage ?? "error"),
          .element("td", [("class", "num")], text: FigureName.grouped(r.tokens)),
          traceCell(r.traceID, span: r.spanID, context),
        ])
      })
      return .element("div", [("class", "table-wrap")], [.element("table", [("class", "trace-list")], [head, body])])
    })
}
