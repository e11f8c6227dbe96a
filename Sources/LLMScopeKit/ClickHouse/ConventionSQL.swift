/// The convention table (`ConventionTable`) as ClickHouse SQL over `otel_traces` columns: each
/// canonical field becomes one expression, built from the same rules in the same priority
/// order as the SQLite store's ingest reads them, so both stores read spans alike.
///
/// Attribute values are text in `otel_traces`; each expression is NULL where the span has no
/// usable value, as `CanonicalSpan`'s field is `nil`. The field expressions read the rule
/// columns of `ruleColumns`, which a query selects one layer beneath them.
enum ConventionSQL {
  /// A string literal; the keys and values come from llmscope's own table, quoted all the same.
  static func literal(_ s: String) -> String {
    "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
  }

  static func list(_ items: [String]) -> String { "[" + items.map(literal).joined(separator: ", ") + "]" }

  static func attribute(_ key: String) -> String { "if(mapContains(SpanAttributes, \(literal(key))), SpanAttributes[\(literal(key))], NULL)" }

  /// Seconds from the span's start to instant expression `t` (DateTime64(9)).
  static func secondsSinceStart(_ t: String) -> String { "(toUnixTimestamp64Nano(\(t)) - toUnixTimestamp64Nano(Timestamp)) / 1e9" }

  /// What one rule yields, as Nullable(String).
  static func value(_ rule: ConventionRule) -> String {
    switch rule.source {
    case .attribute(let k): return attribute(k)
    case .member(let k, let m):
      let a = attribute(k)
      return "multiIf(JSONType(\(a), \(literal(m))) = 'String', JSONExtractString(\(a), \(literal(m))), JSONType(\(a), \(literal(m))) IN ('Int64', 'UInt64', 'Double', 'Bool'), JSONExtractRaw(\(a), \(literal(m))), NULL)"
    case .bucketSum(let k, let bucket):
      let pairs = "arrayFilter(kv -> kv.1 = \(literal(bucket)) OR startsWith(kv.1, \(literal(bucket + "_"))) AND isNotNull(toFloat64OrNull(kv.2)), JSONExtractKeysAndValuesRaw(ifNull(\(attribute(k)), '')))"
      return "if(notEmpty(\(pairs)), toString(arraySum(arrayMap(kv -> toInt64(toFloat64OrZero(kv.2)), \(pairs)))), NULL)"
    case .indexed(let prefix, let suffix):
      // The lowest index's value.
      let matching = "arraySort(kv -> toUInt64OrZero(substring(kv.1, \(prefix.utf8.count + 1), length(kv.1) - \(prefix.utf8.count + suffix.utf8.count))), arrayFilter(kv -> startsWith(kv.1, \(literal(prefix))) AND endsWith(kv.1, \(literal(suffix))) AND match(substring(kv.1, \(prefix.utf8.count + 1), length(kv.1) - \(prefix.utf8.count + suffix.utf8.count)), '^[0-9]+$'), arrayZip(mapKeys(SpanAttributes), mapValues(SpanAttributes))))"
      return "if(notEmpty(\(matching)), \(matching)[1].2, NULL)"
    case .elapsedSince(let k):
      let t = "parseDateTime64BestEffortOrNull(trim(BOTH '\"' FROM ifNull(\(attribute(k)), '')), 9, 'UTC')"
      return "if(isNull(\(t)), NULL, toString(\(secondsSinceStart("assumeNotNull(\(t))"))))"
    case .firstEvent(let name):
      let times = "arrayFilter((t, n) -> n = \(literal(name)), Events.Timestamp, Events.Name)"
      return "if(empty(\(times)), NULL, toString(\(secondsSinceStart("arrayMin(\(times))"))))"
    case .eventAttribute(let event, let key):
      let i = "indexOf(Events.Name, \(literal(event)))"
      return "if(\(i) = 0 OR NOT mapContains(Events.Attributes[\(i)], \(literal(key))), NULL, Events.Attributes[\(i)][\(literal(key))])"
    case .spanNamePrefix:
      let prefix = "lower(splitByChar('.', SpanName)[1])"
      return "if(position(SpanName, '.') > 0 AND \(prefix) IN \(list(ConventionTable.providerSpanPrefixes.sorted())), \(prefix), NULL)"
    case .serverAddress:
      let host = "lower(ifNull(\(attribute("server.address")), ''))"
      let cases = ConventionTable.providerHosts.map { "endsWith(\(host), \(literal($0.suffix))), \(literal($0.provider))" }
      return "if(\(host) = '', NULL, multiIf(\(cases.joined(separator: ", ")), NULL))"
    }
  }

  /// Every rule's value, trimmed, as a column `rule_N` (N its index in `ConventionTable.rules`)
  /// of a layer beneath the fields. The fields name these columns, so each rule's expression
  /// is written, and planned by ClickHouse, once however many fields and tests read it.
  static var ruleColumns: String {
    ConventionTable.rules.indices.map { "trimBoth(\(value(ConventionTable.rules[$0]))) AS rule_\($0)" }.joined(separator: ",\n")
  }

  /// A rule of a field and the column that holds its trimmed value.
  struct RuleColumn {
    let rule: ConventionRule
    let column: String
  }

  static func rules(_ f: CanonicalField) -> [RuleColumn] {
    ConventionTable.rulesByField[f.ordinal].map { RuleColumn(rule: ConventionTable.rules[$0], column: "rule_\($0)") }
  }

  /// The first non-empty text; for enumerations, the first value the rule's map knows.
  static func text(_ f: CanonicalField) -> String {
    let parts = rules(f).map { r -> String in
      let v = "nullIf(\(r.column), '')"
      guard let map = r.rule.values else { return v }
      let keys = map.keys.sorted()
      return "transform(lower(\(v)), \(list(keys)), \(list(keys.map { map[$0]! })), NULL)"
    }
    return coalesce(parts)
  }

  /// Each rule's value read as a number, times the rule's scale, as Int64.
  private static func intParts(_ f: CanonicalField) -> [String] {
    rules(f).map { r in
      let v = r.column
      let scaled = "toFloat64OrNull(\(v)) * \(r.rule.scale)"
      let exact = r.rule.scale == 1 ? "toInt64OrNull(\(v))" : "NULL"
      return "coalesce(\(exact), if(isFinite(\(scaled)) AND abs(\(scaled)) < 9e18, toInt64(round(\(scaled))), NULL))"
    }
  }

  /// Each rule's value read as a finite number, times the rule's scale.
  private static func doubleParts(_ f: CanonicalField) -> [String] {
    rules(f).map { r in
      let d = "toFloat64OrNull(\(r.column))"
      return "if(isFinite(\(d)), \(d) * \(r.rule.scale), NULL)"
    }
  }

  /// The first value that reads as a number, times the rule's scale, as Int64.
  static func int(_ f: CanonicalField) -> String { coalesce(intParts(f)) }

  /// The first value that reads as a finite number, times the rule's scale.
  static func double(_ f: CanonicalField) -> String { coalesce(doubleParts(f)) }

  /// The label (`ValueSource.label`) of the rule that gave `int(f)` or `double(f)`.
  static func source(_ f: CanonicalField, double: Bool = false) -> String {
    let parts = double ? doubleParts(f) : intParts(f)
    let cases = zip(parts, rules(f)).map { "isNotNull(\($0)), \(literal($1.rule.source.label))" }
    return "multiIf(\(cases.joined(separator: ", ")), NULL)"
  }

  /// The first `true`/`false`/`1`/`0`, as 1 or 0.
  static func bool(_ f: CanonicalField) -> String {
    coalesce(rules(f).map { r in
      let v = "lower(\(r.column))"
      return "multiIf(\(v) IN ('true', '1'), 1, \(v) IN ('false', '0'), 0, NULL)"
    })
  }

  /// The provider: framework names skipped, spellings unified, peer hints (span name, host)
  /// only for model calls.
  static func provider(allowPeerHints: String) -> String {
    coalesce(rules(.provider).map { r in
      let v = "lower(nullIf(\(r.column), ''))"
      let usable = "if(\(v) IN \(list(ConventionTable.frameworkNames.sorted())), NULL, \(v))"
      let aliases = ConventionTable.providerAliases.keys.sorted()
      let unified = "transform(\(usable), \(list(aliases)), \(list(aliases.map { ConventionTable.providerAliases[$0]! })), \(usable))"
      return r.rule.source == .spanNamePrefix || r.rule.source == .serverAddress ? "if(\(allowPeerHints), \(unified), NULL)" : unified
    })
  }

  /// The operation kind, as `Conventions.canonicalize` decides it: a vendor or OTel kind, else
  /// `tool` for a tool name or call id, else `llm` for a model, else `other`.
  static var kind: String {
    "coalesce(\(text(.kind)), multiIf(isNotNull(\(text(.toolName))) OR mapContains(SpanAttributes, 'gen_ai.tool.call.id'), 'tool', "
      + "isNotNull(\(text(.requestModel))) OR isNotNull(\(text(.responseModel))), 'llm', 'other'))"
  }

  private static func coalesce(_ parts: [String]) -> String { parts.count == 1 ? parts[0] : "coalesce(\(parts.joined(separator: ", ")))" }
}
