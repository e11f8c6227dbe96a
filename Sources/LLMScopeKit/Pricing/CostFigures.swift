/// What a group's model calls cost, and which price rows said so.
///
/// Only calls that report token usage can be priced. Of those, a call whose model no row of
/// the price table names is counted as unpriced, never given a guessed price.
public struct CostFigures: Sendable, Equatable {
  /// The cost of the priced calls, by kind of token; exact.
  public var breakdown = CostBreakdown()
  public var pricedCalls = 0
  public var unpricedCalls = 0
  /// Price row id (`PriceRow.id`) → calls priced with it.
  public var rows: [String: Int] = [:]
  /// Model → calls with usage that no row prices.
  public var unpricedModels: [String: Int] = [:]
  /// The tokens of every call with usage, priced or not: the traffic of the what-if table.
  public var traffic = TokenBuckets()

  public init() {}

  public var total: USD { breakdown.total }

  /// `nil` when no call could be priced: pages show `unpriced` (or `–` without usage).
  public var pricedTotal: USD? { pricedCalls == 0 ? nil : total }

  /// Adds `calls` calls of `model` whose tokens sum to `tokens` (prices are linear, so the
  /// cost of the sum is the sum of the costs).
  mutating func add(_ tokens: TokenBuckets, calls: Int = 1, price: PriceRow?, model: String) {
    traffic += tokens
    if let price {
      breakdown += price.cost(of: tokens)
      pricedCalls += calls
      rows[price.id, default: 0] += calls
    } else {
      unpricedCalls += calls
      unpricedModels[model, default: 0] += calls
    }
  }

  /// Hover text naming the price rows behind the figure and the calls left unpriced.
  func provenance(_ table: PriceTable) -> String {
    var lines: [String] = []
    for id in rows.keys.sorted() {
      let source = table.rows.first { $0.id == id }?.source ?? ""
      lines.append("\(id): \(rows[id]!) calls, price from \(source)")
    }
    if unpricedCalls > 0 {
      let models = unpricedModels.keys.sorted().map { "\($0) (\(unpricedModels[$0]!))" }.joined(separator: ", ")
      lines.append("unpriced, no row in the price table: \(models)")
    }
    if lines.isEmpty { lines.append("no model call with token usage") }
    return "Prices: \(table.origin), taken \(table.taken)\n" + lines.joined(separator: "\n")
  }
}
