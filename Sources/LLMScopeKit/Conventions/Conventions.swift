/// Who emitted a batch of spans: the app, its instance and its business system.
public struct ResourceIdentity: Sendable, Equatable {
  public var app: String
  public var instance: String?
  /// Fingerprint of the `token` resource attribute; the token itself is never exposed.
  public var businessSystem: String?
}

/// Reads canonical fields from spans of any instrumentation family, using `ConventionTable`.
public enum Conventions {
  /// The app, instance and business system of a resource.
  public static func identity(of resource: Resource) -> ResourceIdentity {
    let attrs = resource.attributes
    let app = attrs[ConventionTable.appKey]?.text.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown_service"
    var instance: String?
    for k in ConventionTable.instanceKeys {
      if let v = attrs[k]?.text, !v.isEmpty {
        instance = v
        break
      }
    }
    let token = attrs[ConventionTable.businessTokenKey]?.text.flatMap { $0.isEmpty ? nil : $0 }
    return ResourceIdentity(app: app, instance: instance, businessSystem: token.map(Fingerprint.of))
  }

  /// The canonical reading of one span.
  public static func canonicalize(_ span: Span, identity: ResourceIdentity) -> CanonicalSpan {
    var reader = SpanReader(span: span)
    var c = CanonicalSpan()
    c.app = identity.app
    c.instance = identity.instance
    c.businessSystem = identity.businessSystem

    c.requestModel = reader.text(.requestModel)
    c.responseModel = reader.text(.responseModel)
    c.toolName = reader.text(.toolName)
    if let k = reader.text(.kind).flatMap(OperationKind.init(rawValue:)) {
      c.kind = k
    } else if c.toolName != nil || span.attributes["gen_ai.tool.call.id"] != nil {
      c.kind = .tool
    } else if c.requestModel != nil || c.responseModel != nil {
      c.kind = .llm
    }
    c.provider = reader.provider(allowPeerHints: c.kind.isModelCall)
    c.inputTokens = reader.int(.inputTokens)
    var usageRule: Int?
    c.outputTokens = reader.int(.outputTokens, rule: &usageRule)
    c.usageSource = usageRule.map { ConventionTable.rules[$0].source.label }
    c.totalTokens = reader.int(.totalTokens) ?? {
      guard let i = c.inputTokens, let o = c.outputTokens else { return nil }
      return i &+ o
    }()
    c.cacheReadTokens = reader.int(.cacheReadTokens)
    c.cacheWriteTokens = reader.int(.cacheWriteTokens)
    c.reasoningTokens = reader.int(.reasoningTokens)
    c.costUSD = reader.double(.costUSD)
    var ttftRule: Int?
    if let s = reader.double(.ttftSeconds, rule: &ttftRule), s.isFinite, s >= 0, s < 1e7 {
      c.ttftNanos = Int64((s * 1e9).rounded())
      c.ttftSource = ttftRule.map { ConventionTable.rules[$0].source.label }
    }
    c.streaming = reader.bool(.streaming) ?? (c.ttftNanos != nil ? true : nil)
    c.finishReasons = reader.strings(.finishReasons).map(MessageReader.normalizedFinish)
    if c.finishReasons.isEmpty && c.kind == .llm {
      // Last resort: the finish reasons inside the output messages (OTel streams carry no other).
      c.finishReasons = MessageReader.finishReasons(of: span)
    }
    c.errorType = reader.text(.errorType)
    c.errorMessage = span.status.message.isEmpty ? reader.text(.errorMessage) : span.status.message
    let level = reader.text(.errorLevel)?.uppercased()
    c.isError = span.status.code == 2 || level == "ERROR" || level == "FATAL" || c.errorType != nil
      || span.events.contains { ConventionTable.errorEvents.contains($0.name) }
    if !c.isError { c.errorMessage = nil }
    c.isMarkedEntry = reader.bool(.entry) ?? false
    c.sessionID = reader.text(.session)
    c.userID = reader.text(.user)
    c.agentName = reader.text(.agent)
    return c
  }
}

/// Evaluates `ConventionTable` rules against one span. Attributes are indexed once, so each
/// span costs one dictionary lookup per attribute however many rules there are.
struct SpanReader {
  let span: Span
  /// For each rule, the index of the attribute it reads, or -1.
  private var hits: [Int32]
  private var indexedKeys: [Int] = []
  private var parsedJSON: [Int: JSONValue?] = [:]

  init(span: Span) {
    self.span = span
    hits = [Int32](repeating: -1, count: ConventionTable.rules.count)
    for (i, kv) in span.attributes.enumerated() {
      if let ids = ConventionTable.rulesByKey[kv.key] {
        for id in ids { hits[id] = Int32(i) }
      } else if kv.key.hasPrefix("gen_ai.completion.") {
        indexedKeys.append(i)
      }
    }
  }

  private mutating func json(_ index: Int) -> JSONValue? {
    if let cached = parsedJSON[index] { return cached }
    let v = JSONValue(attribute: span.attributes[index].value)
    parsedJSON[index] = v
    return v
  }

  /// The value a rule yields for this span, if any.
  private mutating func value(_ ruleID: Int) -> AnyValue? {
    let rule = ConventionTable.rules[ruleID]
    switch rule.source {
    case .attribute:
      let h = hits[ruleID]
      return h >= 0 ? span.attributes[Int(h)].value : nil
    case .member(_, let member):
      let h = hits[ruleID]
      guard h >= 0, let v = json(Int(h))?[member] else { return nil }
      return AnyValue(json: v)
    case .bucketSum(_, let bucket):
      let h = hits[ruleID]
      guard h >= 0, case .object(let members)? = json(Int(h)) else { return nil }
      var sum: Int64 = 0
      var any = false
      for (k, v) in members where k == bucket || k.hasPrefix(bucket + "_") {
        if let d = v.double, d.isFinite {
          sum &+= Int64(d)
          any = true
        }
      }
      return any ? .int(sum) : nil
    case .indexed(let prefix, let suffix):
      var best: (Int, AnyValue)?
      for i in indexedKeys {
        let key = span.attributes[i].key
        guard key.hasPrefix(prefix), key.hasSuffix(suffix) else { continue }
        let middle = key.dropFirst(prefix.count).dropLast(suffix.count)
        guard let n = Int(middle), best == nil || n < best!.0 else { continue }
        best = (n, span.attributes[i].value)
      }
      return best?.1
    case .elapsedSince:
      let h = hits[ruleID]
      guard h >= 0, let text = span.attributes[Int(h)].value.text, let t = Timestamp.parse(text) else { return nil }
      return .double(Double(t - span.startTimeUnixNano) / 1e9)
    case .firstEvent(let name):
      let times = span.events.filter { $0.name == name }.map(\.timeUnixNano)
      guard let t = times.min() else { return nil }
      return .double(Double(t - span.startTimeUnixNano) / 1e9)
    case .eventAttribute(let event, let key):
      return span.events.first(where: { $0.name == event })?.attributes[key]
    case .spanNamePrefix:
      guard let dot = span.name.firstIndex(of: ".") else { return nil }
      let prefix = span.name[..<dot].lowercased()
      return ConventionTable.providerSpanPrefixes.contains(prefix) ? .string(prefix) : nil
    case .serverAddress:
      guard let host = span.attributes["server.address"]?.text?.lowercased(), !host.isEmpty else { return nil }
      for (suffix, provider) in ConventionTable.providerHosts where host.hasSuffix(suffix) { return .string(provider) }
      return nil
    }
  }

  private func rules(_ f: CanonicalField) -> [Int] { ConventionTable.rulesByField[f.ordinal] }

  /// First non-empty text; for enumerations, the first value the rule's map knows.
  mutating func text(_ f: CanonicalField) -> String? {
    for id in rules(f) {
      guard let v = value(id)?.text?.trimmingSpaces, !v.isEmpty else { continue }
      if let map = ConventionTable.rules[id].values {
        if let mapped = map[v.lowercased()] { return mapped }
        continue
      }
      return String(v)
    }
    return nil
  }

  mutating func int(_ f: CanonicalField) -> Int64? {
    var rule: Int?
    return int(f, rule: &rule)
  }

  /// The first usable integer, with the index of the rule that gave it in `rule`.
  mutating func int(_ f: CanonicalField, rule: inout Int?) -> Int64? {
    for id in rules(f) {
      guard let v = value(id) else { continue }
      let scale = ConventionTable.rules[id].scale
      rule = id
      if scale == 1, let i = v.int64 { return i }
      if let d = v.double, d.isFinite, abs(d * scale) < 9e18 { return Int64((d * scale).rounded()) }
    }
    rule = nil
    return nil
  }

  mutating func double(_ f: CanonicalField) -> Double? {
    var rule: Int?
    return double(f, rule: &rule)
  }

  /// The first usable number, with the index of the rule that gave it in `rule`.
  mutating func double(_ f: CanonicalField, rule: inout Int?) -> Double? {
    for id in rules(f) {
      if let d = value(id)?.double, d.isFinite {
        rule = id
        return d * ConventionTable.rules[id].scale
      }
    }
    rule = nil
    return nil
  }

  mutating func bool(_ f: CanonicalField) -> Bool? {
    for id in rules(f) {
      if let b = value(id)?.bool { return b }
    }
    return nil
  }

  /// A list of strings from an array, a JSON array in a string, or a single string.
  mutating func strings(_ f: CanonicalField) -> [String] {
    for id in rules(f) {
      guard let v = value(id) else { continue }
      switch v {
      case .array(let items):
        let s = items.compactMap(\.text)
        if !s.isEmpty { return s }
      case .string(let text):
        if text.hasPrefix("["), case .array(let items)? = JSONValue.parse(text) {
          let s = items.compactMap(\.string)
          if !s.isEmpty { return s }
        } else if !text.isEmpty {
          return [text]
        }
      default: continue
      }
    }
    return []
  }

  /// The provider, skipping framework names and unifying spellings across families.
  mutating func provider(allowPeerHints: Bool) -> String? {
    for id in rules(.provider) {
      let source = ConventionTable.rules[id].source
      if !allowPeerHints && (source == .spanNamePrefix || source == .serverAddress) { continue }
      guard let raw = value(id)?.text?.trimmingSpaces, !raw.isEmpty else { continue }
      let v = raw.lowercased()
      if ConventionTable.frameworkNames.contains(v) { continue }
      return ConventionTable.providerAliases[v] ?? v
    }
    return nil
  }
}

extension AnyValue {
  /// A JSON scalar as an attribute value (structured JSON is kept as its text form).
  init?(json: JSONValue) {
    switch json {
    case .string(let s): self = .string(s)
    case .number(let d): self = .double(d)
    case .bool(let b): self = .bool(b)
    case .null: return nil
    case .array(let a): self = .array(a.compactMap(AnyValue.init(json:)))
    case .object: return nil
    }
  }
}
