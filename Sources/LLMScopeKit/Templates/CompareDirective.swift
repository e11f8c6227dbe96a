/// `compare`: a table of chosen figures in the page's range beside the baseline's.
extension Directives {
  static let compare = DirectiveDefinition(
    name: "compare", summary: "Chosen figures of this range beside the baseline's (`--baseline-from`/`--baseline-to`, by default the previous period), with the change coloured by better or worse.",
    arguments: [
      DirectiveArgument(
        key: "names", summary: "which figures, in order", allowed: figureNames, isList: true,
        defaultValue: "llm_calls,llm_latency_p95,model_error_rate,ttft_avg,tpot_avg,output_tokens_per_second,total_tokens,cost"),
      appArgument,
    ],
    example: "{{ compare names=llm_latency_p95,model_error_rate,cost }}",
    render: { args, call, context throws(TemplateError) in
      let f = try figures(args["app"]!, call, context)
      let from = source(args["app"]!, context)
      guard let comparison = context.comparison(app: args["app"]!, from) else { return .empty }
      let head = HTML.element("thead", [], [
        .element("tr", [], [("Figure", "text"), ("This range", "num"), (context.baselineLabel.prefix(1).uppercased() + context.baselineLabel.dropFirst(), "num"), ("Change", "num")].map {
          HTML.element("th", [("scope", "col"), ("class", $0.1)], text: $0.0)
        })
      ])
      let rows = list(args["names"]!).compactMap(FigureName.init(rawValue:)).map { name -> HTML in
        let change = comparison.baseline.spans == 0 ? nil : Comparison.change(name, now: f, before: comparison.baseline)
        return HTML.element("tr", [], [
          .element("th", [("scope", "row"), ("class", "text")], text: name.label),
          .element("td", [("class", "num")] + from.attributes(name, f) + provenance(name, f, context), text: name.formatted(in: f)),
          .element("td", [("class", "num")] + from.attributes(name, comparison.baseline, period: "baseline") + provenance(name, comparison.baseline, context), text: name.formatted(in: comparison.baseline)),
          .element("td", [("class", "num \(change?.cls ?? "delta-flat")")], text: change?.text ?? (comparison.baseline.spans == 0 ? "no data before" : "–")),
        ])
      }
      return .element("div", [("class", "table-wrap")], [.element("table", [("class", "compare")], [head, .element("tbody", [], rows)])])
    })
}
