/// Where a figure shown on a page comes from, written on its element so that every number can
/// be checked against `llmscope summary --json` from the HTML alone:
///
/// * `data-figure`: the summary JSON field (`model_calls`, `llm_latency_ms.p95`);
/// * `data-scope`: `all` (the totals), or the row `app:NAME`, `system:FINGERPRINT`,
///   `model:NAME`, `request_model:NAME` (of `apps`, `business_systems`, `models`, `request_models`);
/// * `data-within-app`, `data-within-system`, `data-within-model`: the page's filters, when the
///   row is one of a filtered summary (`summary --app NAME`, `--system`, `--model`);
/// * `data-value`: the number exactly as the JSON writes it, absent where the JSON has `null`;
/// * `data-period`: `previous` for the period of equal length just before the page's range.
///
/// The page's range is on its `<main>` as `data-range-from` and `data-range-to`.
struct FigureSource {
  /// `all`, or `KIND:NAME`.
  var scope: String
  /// The filters of the summary the row is read from: (`app`|`system`|`model`, value).
  var within: [(String, String)]

  /// The page's own figures: its totals, or for a filtered page the row its filter names.
  static func page(_ scope: PageScope) -> FigureSource {
    var filters = filters(scope)
    guard let last = filters.popLast() else { return FigureSource(scope: "all", within: []) }
    return FigureSource(scope: "\(last.0):\(last.1)", within: filters)
  }

  /// A row of a table on a page with `scope`: `kind` is `app`, `system`, `model` or `request_model`.
  static func row(_ kind: String, _ name: String, on scope: PageScope) -> FigureSource {
    FigureSource(scope: "\(kind):\(name)", within: filters(scope))
  }

  private static func filters(_ scope: PageScope) -> [(String, String)] {
    var out: [(String, String)] = []
    if let a = scope.app { out.append(("app", a)) }
    if let s = scope.businessSystem { out.append(("system", s)) }
    if let m = scope.model { out.append(("model", m)) }
    return out
  }

  /// The data attributes of `name`'s value in `figures`.
  func attributes(_ name: FigureName, _ figures: Figures, period: String? = nil) -> [(String, String)] {
    var attrs = [("data-figure", name.summaryField), ("data-scope", scope)]
    for (kind, value) in within { attrs.append(("data-within-\(kind)", value)) }
    if let v = name.summaryValue(in: figures) { attrs.append(("data-value", v)) }
    if let period { attrs.append(("data-period", period)) }
    return attrs
  }
}
