#if canImport(Glibc)
import Glibc
#endif

/// One row of a price table: what one model (or family of models) cost per million tokens
/// from a date on, and where that price was read.
public struct PriceRow: Sendable, Equatable {
  public enum Match: Sendable, Equatable {
    /// The model's name, compared without regard to case.
    case exact(String)
    /// A glob: `*` stands for any run of characters (`gpt-4o-mini*`).
    case pattern(String)
  }

  public let match: Match
  /// The day from which this price applies, nanoseconds since the Unix epoch (UTC midnight).
  public let effectiveFrom: Int64
  /// The row's `from` as written: `2024-08-06`.
  public let effectiveFromText: String
  /// USD per million tokens, in 10⁻⁶ USD (so `2.50` is 2,500,000): exact.
  public var input: Int128
  public var output: Int128
  /// Cached input tokens; input tokens' price when the provider has no cache price.
  public var cachedInput: Int128?
  /// Reasoning tokens; output tokens' price when the provider bills them as output.
  public var reasoning: Int128?
  /// Where the price was read (a pricing page's address and the date it was read).
  public var source: String

  /// The row's name in provenance: `gpt-4o@2024-08-06`, `gpt-4o-mini*@2024-07-18`.
  public let id: String

  public init(
    match: Match, effectiveFrom: Int64, effectiveFromText: String, input: Int128, output: Int128, cachedInput: Int128?, reasoning: Int128?,
    source: String
  ) {
    self.match = match
    self.effectiveFrom = effectiveFrom
    self.effectiveFromText = effectiveFromText
    self.input = input
    self.output = output
    self.cachedInput = cachedInput
    self.reasoning = reasoning
    self.source = source
    switch match {
    case .exact(let m), .pattern(let m): id = "\(m)@\(effectiveFromText)"
    }
  }

  /// What the row matches: the model name or the pattern.
  public var model: String {
    switch match {
    case .exact(let m), .pattern(let m): return m
    }
  }

  /// How closely the row names `model`: exact rows beat every pattern, longer patterns beat
  /// shorter ones; `nil` when it does not match.
  func specificity(for model: String) -> Int? {
    switch match {
    case .exact(let m): return m.lowercased() == model.lowercased() ? Int.max : nil
    case .pattern(let p):
      return Self.glob(Array(p.lowercased().utf8), Array(model.lowercased().utf8)) ? p.utf8.count - p.filter { $0 == "*" }.count : nil
    }
  }

  private static func glob(_ p: [UInt8], _ s: [UInt8]) -> Bool {
    var (pi, si, star, mark) = (0, 0, -1, 0)
    while si < s.count {
      if pi < p.count, p[pi] != UInt8(ascii: "*"), p[pi] == s[si] {
        pi += 1
        si += 1
      } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
        star = pi
        mark = si
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        si = mark
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
    return pi == p.count
  }

  /// A price as people write it: `$2.5`, `$0.075` (USD per million tokens).
  static func perMillion(_ price: Int128) -> String { "$" + USD(pico: price * 1_000_000).decimal(places: 6).trimmingZeros }

  /// The cost of one call's tokens at this row's prices.
  public func cost(of tokens: TokenBuckets) -> CostBreakdown {
    // Price per million tokens in 10^-6 USD times tokens is cost in 10^-12 USD.
    CostBreakdown(
      input: USD(pico: Int128(tokens.uncachedInput) * input),
      cachedInput: USD(pico: Int128(tokens.cachedInput) * (cachedInput ?? input)),
      output: USD(pico: Int128(tokens.plainOutput) * output),
      reasoning: USD(pico: Int128(tokens.reasoning) * (reasoning ?? output)))
  }
}

/// A model call's tokens split the way prices are: input without the cached part, cached
/// input, output without reasoning, reasoning.
public struct TokenBuckets: Sendable, Equatable {
  public var uncachedInput: Int64 = 0
  public var cachedInput: Int64 = 0
  public var plainOutput: Int64 = 0
  public var reasoning: Int64 = 0

  public init() {}

  /// Input tokens include the cached ones and output tokens the reasoning ones (the OTel
  /// GenAI and OpenInference definitions); a part larger than its whole is cut to the whole.
  public init(input: Int64?, cacheRead: Int64?, output: Int64?, reasoning: Int64?) {
    let i = max(0, input ?? 0)
    let o = max(0, output ?? 0)
    cachedInput = min(i, max(0, cacheRead ?? 0))
    uncachedInput = i - cachedInput
    self.reasoning = min(o, max(0, reasoning ?? 0))
    plainOutput = o - self.reasoning
  }

  static func += (a: inout TokenBuckets, b: TokenBuckets) {
    a.uncachedInput &+= b.uncachedInput
    a.cachedInput &+= b.cachedInput
    a.plainOutput &+= b.plainOutput
    a.reasoning &+= b.reasoning
  }
}

/// A cost split by kind of token.
public struct CostBreakdown: Sendable, Equatable {
  public var input = USD.zero
  public var cachedInput = USD.zero
  public var output = USD.zero
  public var reasoning = USD.zero

  public init(input: USD = .zero, cachedInput: USD = .zero, output: USD = .zero, reasoning: USD = .zero) {
    self.input = input
    self.cachedInput = cachedInput
    self.output = output
    self.reasoning = reasoning
  }

  public var total: USD { input + cachedInput + output + reasoning }

  static func += (a: inout CostBreakdown, b: CostBreakdown) {
    a.input = a.input + b.input
    a.cachedInput = a.cachedInput + b.cachedInput
    a.output = a.output + b.output
    a.reasoning = a.reasoning + b.reasoning
  }
}

/// A versioned table of model prices (`--prices FILE`; llmscope ships Assets/prices.json).
public struct PriceTable: Sendable, Equatable {
  /// The day the prices were taken, as the file says.
  public var taken: String
  /// Where the table came from: the file path, or `llmscope's default prices`.
  public var origin: String
  public var rows: [PriceRow]

  public init(taken: String, origin: String, rows: [PriceRow]) {
    self.taken = taken
    self.origin = origin
    self.rows = rows
  }

  /// The table llmscope ships.
  public static let bundled: PriceTable = {
    // The bundled file is checked by the tests, so it always parses.
    try! PriceTable(json: String(decoding: PackageResources.prices_json, as: UTF8.self), origin: "llmscope's default prices (Assets/prices.json)")
  }()

  /// The row that prices a call to `model` made at `time`: among the rows in effect on that
  /// day, the most specific match, and of those the latest; `nil` when none matches.
  public func row(for model: String, at time: Int64) -> PriceRow? {
    var best: (specificity: Int, row: PriceRow)?
    for r in rows where r.effectiveFrom <= time {
      guard let s = r.specificity(for: model) else { continue }
      if let b = best, (b.specificity, b.row.effectiveFrom) >= (s, r.effectiveFrom) { continue }
      best = (s, r)
    }
    return best?.row
  }

  /// The row that prices a call: its response model's, else its request model's.
  public func row(model: String?, requestModel: String?, at time: Int64) -> PriceRow? {
    model.flatMap { row(for: $0, at: time) } ?? requestModel.flatMap { row(for: $0, at: time) }
  }

  /// Each distinct model of the table with the price in effect at `time`, by name: the
  /// candidates of the what-if comparison.
  public func current(at time: Int64) -> [PriceRow] {
    var latest: [String: PriceRow] = [:]
    for r in rows where r.effectiveFrom <= time {
      if let have = latest[r.model], have.effectiveFrom >= r.effectiveFrom { continue }
      latest[r.model] = r
    }
    return latest.keys.sorted().map { latest[$0]! }
  }

  /// The table of `--prices FILE`, or the bundled one without it.
  public static func load(_ path: String?) throws(PriceTableError) -> PriceTable {
    guard let path else { return .bundled }
    return try PriceTable(path: path)
  }

  /// Reads a price table file.
  public init(path: String) throws(PriceTableError) {
    guard let bytes = FileBytes.read(path) else {
      throw PriceTableError(file: path, message: "cannot be read (\(String(cString: strerror(errno))))", hint: "pass --prices with a JSON price table; see README, \"Cost\"")
    }
    try self.init(json: String(decoding: bytes, as: UTF8.self), origin: path)
  }

  /// Parses a price table:
  ///
  /// ```json
  /// {"taken": "2026-12-01", "prices": [
  ///   {"model": "gpt-4o", "from": "2024-08-06", "input": 2.50, "cached_input": 1.25,
  ///    "output": 10.00, "source": "https://openai.com/api/pricing/"},
  ///   {"pattern": "claude-3-5-haiku*", "from": "2024-11-04", "input": 0.80, "output": 4.00,
  ///    "source": "…"}]}
  /// ```
  ///
  /// Prices are USD per million tokens with at most six decimals.
  public init(json text: String, origin: String) throws(PriceTableError) {
    var errorOffset = 0
    guard let root = JSONValue.parse(text, errorOffset: &errorOffset) else {
      let line = text.utf8.prefix(errorOffset).filter { $0 == 0x0A }.count + 1
      throw PriceTableError(file: origin, message: "line \(line): not valid JSON", hint: "a price table is a JSON object with \"taken\" and \"prices\"")
    }
    func fail(_ message: String, _ hint: String? = nil) -> PriceTableError { PriceTableError(file: origin, message: message, hint: hint) }
    guard case .object = root else { throw fail("not a JSON object", "a price table is a JSON object with \"taken\" and \"prices\"") }
    guard case .string(let taken)? = root["taken"], Timestamp.parse(taken) != nil else {
      throw fail("`taken` must be the date the prices were read, like \"2026-12-01\"")
    }
    guard case .array(let items)? = root["prices"] else { throw fail("`prices` must be a list of price rows") }
    var rows: [PriceRow] = []
    var seen: [String: Int] = [:]
    for (i, item) in items.enumerated() {
      let at = "prices[\(i)]"
      guard case .object(let members) = item else { throw fail("\(at): a row is an object") }
      let known: Set = ["model", "pattern", "from", "input", "output", "cached_input", "reasoning", "source", "note"]
      if let unknown = members.first(where: { !known.contains($0.0) }) {
        throw fail("\(at): unknown field `\(unknown.0)`", "fields: " + known.sorted().joined(separator: ", "))
      }
      let match: PriceRow.Match
      switch (item["model"], item["pattern"]) {
      case (.string(let m)?, nil) where !m.isEmpty: match = .exact(m)
      case (nil, .string(let p)?) where !p.isEmpty: match = .pattern(p)
      default: throw fail("\(at): give either `model` (an exact name) or `pattern` (with * for any characters)")
      }
      let name: String
      switch match {
      case .exact(let m), .pattern(let m): name = "\(at) (\(m))"
      }
      guard case .string(let from)? = item["from"], from.count == 10, let day = Timestamp.parse(from) else {
        throw fail("\(name): `from` must be the day the price took effect, like \"2024-08-06\"")
      }
      func price(_ key: String, required: Bool) throws(PriceTableError) -> Int128? {
        guard let v = item[key] else {
          if required { throw fail("\(name): `\(key)` is missing (USD per million tokens)") }
          return nil
        }
        guard let d = v.double, d.isFinite, d >= 0, d < 1e9 else { throw fail("\(name): `\(key)` must be a number of USD per million tokens") }
        let micro = (d * 1e6).rounded()
        guard abs(d * 1e6 - micro) < 1e-3 else { throw fail("\(name): `\(key)` has more than six decimals") }
        return Int128(Int64(micro))
      }
      guard case .string(let source)? = item["source"], !source.isEmpty else {
        throw fail("\(name): `source` must say where the price was read (a pricing page and the date)")
      }
      let row = PriceRow(
        match: match, effectiveFrom: day, effectiveFromText: from, input: try price("input", required: true)!,
        output: try price("output", required: true)!, cachedInput: try price("cached_input", required: false),
        reasoning: try price("reasoning", required: false), source: source)
      if let j = seen[row.id.lowercased()] { throw fail("\(name): the same model and `from` as prices[\(j)]") }
      seen[row.id.lowercased()] = i
      rows.append(row)
    }
    self.init(taken: taken, origin: origin, rows: rows)
  }
}

/// A price table that cannot be used, in the user's words.
public struct PriceTableError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var message: String
  public var hint: String?
  public var description: String { "\(file): \(message)" + (hint.map { "\n  hint: \($0)" } ?? "") }
}

/// Finds the price row of each model call, remembering the answer per model and day.
struct PriceLookup {
  let table: PriceTable
  private struct Key: Hashable {
    var model: String?
    var requestModel: String?
    var day: Int64
  }
  private var cache: [Key: PriceRow?] = [:]

  init(_ table: PriceTable) { self.table = table }

  /// The row for the call's response model, else its request model, on the day it started.
  mutating func row(for call: SummaryRow) -> PriceRow? {
    row(model: call.model, requestModel: call.requestModel, day: Timestamp.floorDiv(call.startNanos, Self.day))
  }

  static let day: Int64 = 86_400_000_000_000

  /// The row for a response model, else a request model, on a UTC day (days since the epoch):
  /// rows take effect at the start of a day.
  mutating func row(model: String?, requestModel: String?, day: Int64) -> PriceRow? {
    let key = Key(model: model, requestModel: requestModel, day: day)
    if let cached = cache[key] { return cached }
    let found = table.row(model: model, requestModel: requestModel, at: day * Self.day)
    cache[key] = found
    return found
  }
}
