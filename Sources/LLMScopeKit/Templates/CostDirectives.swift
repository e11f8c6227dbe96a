/// `prices` and `what_if`: where a page's costs come from, and what the same traffic would
/// have cost on other models.
extension Directives {
  static let prices = DirectiveDefinition(
    name: "prices", summary: "The price rows behind the page's costs, with their sources, and the models left unpriced.",
    arguments: [],
    example: "{{ prices }}",
    render: { _, _, context throws(TemplateError) in
      let table = context.summary.prices
      let cost = context.figures.cost
      func perMillion(_ p: Int128?) -> String { p.map(PriceRow.perMillion) ?? "–" }
      let head = HTML.element("thead", [], [
        .element("tr", [], ["Price row", "Matches", "From", "Input", "Cached input", "Output", "Reasoning", "Calls priced", "Source"].enumerated().map {
          HTML.element("th", [("scope", "col"), ("class", (3...7).contains($0.offset) ? "num" : "text")], text: $0.element)
        })
      ])
      let rows = cost.rows.keys.sorted().compactMap { id in table.rows.first { $0.id == id } }.map { r -> HTML in
        let match: String
        switch r.match {
        case .exact(let m): match = "model \(m)"
        case .pattern(let p): match = "pattern \(p)"
        }
        return HTML.element("tr", [("id", "price-" + r.id)], [
          .element("th", [("scope", "row"), ("class", "text")], [.element("code", [], text: r.id)]),
          .element("td", [("class", "text")], text: match), .element("td", [("class", "text nowrap")], text: r.effectiveFromText),
          .element("td", [("class", "num")], text: perMillion(r.input)), .element("td", [("class", "num")], text: perMillion(r.cachedInput)),
          .element("td", [("class", "num")], text: perMillion(r.output)), .element("td", [("class", "num")], text: perMillion(r.reasoning)),
          .element("td", [("class", "num")], text: FigureName.grouped(Int64(cost.rows[r.id] ?? 0))), .element("td", [("class", "text")], text: r.source),
        ])
      }
      var parts: [HTML] = [
        .element("p", [("class", "prices-origin")], text: "USD per million tokens, from \(table.origin) (taken \(table.taken)). Each call is priced at the row in effect on the day it started; cached input tokens at the cached price where the row has one, reasoning tokens at the reasoning price where it has one, else as output.")
      ]
      if !rows.isEmpty { parts.append(.element("div", [("class", "table-wrap")], [.element("table", [("class", "prices")], [head, .element("tbody", [], rows)])])) }
      if cost.unpricedCalls > 0 {
        let models = cost.unpricedModels.keys.sorted().map { "\($0) (\(cost.unpricedModels[$0]!) calls)" }.joined(separator: ", ")
        parts.append(.element("p", [("class", "unpriced")], text: "Unpriced, no row names them: \(models). Add rows with --prices to price them."))
      }
      if rows.isEmpty && cost.unpricedCalls == 0 { parts.append(.element("p", [("class", "empty")], text: "No model call with token usage in this range.")) }
      return .element("div", [("class", "prices-used")], parts)
    })

  static let whatIf = DirectiveDefinition(
    name: "what_if", summary: "What each model's traffic (the same input, cached, output and reasoning tokens) would have cost on each priced model.",
    arguments: [
      DirectiveArgument(key: "kind", summary: "the traffic and the candidate models: llm calls or embeddings", allowed: ["llm", "embedding"], defaultValue: "llm"),
      DirectiveArgument(key: "models", summary: "candidate models (price-table names; default: every model the table prices for this kind)", defaultValue: ""),
    ],
    example: "{{ what_if models=gpt-4o,gpt-4o-mini*,claude-3-5-haiku* }}",
    render: { args, call, context throws(TemplateError) in
      let kind = OperationKind(rawValue: args["kind"]!)!
      let s = context.summary
      // Candidates at the prices in effect at the end of the range; chat models have an
      // output price, embedding models none.
      var candidates = s.prices.current(at: s.range.to).filter { kind == .embedding ? $0.output == 0 : $0.output > 0 }
      let wanted = list(args["models"]!)
      if !wanted.isEmpty {
        let names = Set(candidates.map(\.model))
        if let unknown = wanted.first(where: { !names.contains($0) }) {
          throw TemplateError(
            position: call.argument("models")?.position ?? call.position, text: unknown, message: "the price table has no \(kind.rawValue) model `\(unknown)`",
            validNames: candidates.map(\.model))
        }
        candidates = wanted.compactMap { w in candidates.first { $0.model == w } }
      }
      let used = s.models.filter { m in
        m.kind == kind && (context.scope.models.isEmpty || context.scope.models.contains(m.name)) && m.figures.callsWithUsage > 0
      }
      guard !used.isEmpty, !candidates.isEmpty else {
        return .element("p", [("class", "empty")], text: used.isEmpty ? "No \(kind.rawValue) calls with token usage in this range." : "The price table prices no \(kind.rawValue) model.")
      }
      var all = TokenBuckets()
      var actual = USD.zero
      var allPriced = true
      for m in used {
        all += m.figures.cost.traffic
        actual = actual + m.figures.cost.total
        if m.figures.cost.unpricedCalls > 0 { allPriced = false }
      }
      struct Column {
        var title: String
        var traffic: TokenBuckets
        var actual: USD?
      }
      let columns = [Column(title: "All \(kind == .llm ? "LLM" : "embedding") traffic", traffic: all, actual: allPriced ? actual : nil)]
        + used.map { Column(title: $0.name, traffic: $0.figures.cost.traffic, actual: $0.figures.cost.unpricedCalls == 0 ? $0.figures.cost.total : nil) }
      let head = HTML.element("thead", [], [
        .element("tr", [], [HTML.element("th", [("scope", "col"), ("class", "text")], text: "Priced at")] + columns.map { c in
          HTML.element("th", [("scope", "col"), ("class", "num")], [
            .text(c.title), .element("br", []), .element("span", [("class", "cell-delta")], text: "actual " + (c.actual?.display ?? "partly unpriced")),
          ])
        })
      ])
      let body = HTML.element("tbody", [], candidates.map { row in
        HTML.element("tr", [], [
          .element("th", [("scope", "row"), ("class", "text"), ("title", row.source)], [.element("code", [], text: row.id)])
        ] + columns.map { c in
          let cost = row.cost(of: c.traffic).total
          var parts: [HTML] = [.element("span", [("data-what-if", row.id), ("data-traffic", c.title), ("data-value", cost.json)], text: cost.display)]
          if let a = c.actual, a.pico > 0 {
            let change = Double(cost.pico - a.pico) / Double(a.pico) * 100
            let cls = cost == a ? "delta-flat" : cost < a ? "delta-better" : "delta-worse"
            let text = cost == a ? "same" : (change > 0 ? "▲ " : "▼ ") + NumberFormatting.fixed(abs(change), places: 1) + "%"
            parts.append(.element("span", [("class", "cell-delta \(cls)")], text: text))
          }
          return HTML.element("td", [("class", "num")], parts)
        })
      })
      let note = HTML.element("p", [("class", "note")], text: "Each column's tokens priced at each model's price in effect at the end of the range (\(s.prices.origin)); the change is against what the traffic cost at the prices of its days.")
      return .element("div", [("class", "table-wrap")], [.element("table", [("class", "what-if")], [head, body])]) + note
    })
}
