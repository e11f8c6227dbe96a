/// The span rows reports read, derived in ClickHouse from `otel_traces`: each span's canonical
/// fields (`ConventionSQL`) and the two trace rules of `TraceRules` (which spans are LLM calls,
/// which model calls are recorded twice) as SQL, so that figures are aggregated where the
/// spans are and only aggregates travel.
///
/// The trace rules read whole traces: every span of each trace with a span in the range, as
/// the SQLite store applies them to every span of a trace at ingest.
///
/// Placeholders: `{from:Int64}`, `{to:Int64}` (the range, nanoseconds), and the filter's
/// `{app:String}`, `{tokens:Array(String)}` (the business system's tokens), `{model:String}`.
struct SpanRowsSQL {
  /// The qualified table.
  let table: String
  let filter: ClickHouseFilter

  /// Columns of `rows`: trace_id, span_id, name, start_ns, end_ns, duration_ms, app, instance,
  /// token, op_kind, provider, request_model, response_model, model (response else request),
  /// input_tokens, output_tokens, total_tokens, cache_read_tokens, reasoning_tokens, ttft_ns,
  /// usage_source, ttft_source, is_error, error_message, status_message, resource, is_entry,
  /// model_call (a model call counted once), trace_models and trace_request_models (the model
  /// keys of the trace's counted model calls in the range that pass the filter), trace_tokens
  /// (input + output tokens of the trace's counted model calls). Only spans in the range that
  /// pass the filter.
  var rows: String {
    """
    (SELECT * FROM (\(spans)) WHERE \(filter.rowCondition))
    """
  }

  /// Spans starting in the range.
  static let inRange = "Timestamp BETWEEN fromUnixTimestamp64Nano({from:Int64}) AND fromUnixTimestamp64Nano({to:Int64})"

  /// Three layers: table columns and each rule's value (`ConventionSQL.ruleColumns`), the
  /// canonical fields over those, the fields made of fields. No alias names another in its
  /// own layer: ClickHouse's analyzer copies an alias's expression into every place that
  /// names it, and plans the copies one by one.
  private var spans: String {
    let c = Self.columns
    let modelCall = "op_kind IN \(Self.modelKinds)"
    return """
      SELECT trace_id, span_id, name, start_ns, end_ns, duration_ms, app, instance, token, op_kind,
        if(\(modelCall), provider_hinted, provider_plain) AS provider, request_model, response_model,
        coalesce(response_model, request_model) AS model, input_tokens, output_tokens,
        coalesce(total_recorded, if(isNull(input_tokens) OR isNull(output_tokens), NULL, input_tokens + output_tokens)) AS total_tokens,
        cache_read_tokens, reasoning_tokens, ttft_ns, usage_source, if(isNull(ttft_ns), NULL, ttft_rule) AS ttft_source, is_error,
        if(is_error = 1, if(status_message != '', status_message, error_recorded), NULL) AS error_message, status_message, resource,
        is_entry, toUInt8(\(modelCall) AND NOT duplicate) AS model_call, trace_models, trace_request_models, all_models, trace_tokens
      FROM (
        SELECT trace_id, span_id, name, start_ns, end_ns, duration_ms, app, instance, token, \(c.kind) AS op_kind,
          \(ConventionSQL.provider(allowPeerHints: "1")) AS provider_hinted, \(ConventionSQL.provider(allowPeerHints: "0")) AS provider_plain,
          \(c.requestModel) AS request_model, \(c.responseModel) AS response_model,
          \(c.inputTokens) AS input_tokens, \(c.outputTokens) AS output_tokens, \(ConventionSQL.int(.totalTokens)) AS total_recorded,
          \(c.cacheReadTokens) AS cache_read_tokens, \(c.reasoningTokens) AS reasoning_tokens,
          \(c.ttftNanos) AS ttft_ns, \(ConventionSQL.source(.outputTokens)) AS usage_source, \(ConventionSQL.source(.ttftSeconds, double: true)) AS ttft_rule,
          \(Self.isError) AS is_error, \(ConventionSQL.text(.errorMessage)) AS error_recorded, status_message,
          resource, is_entry, duplicate, trace_models, trace_request_models, all_models, trace_tokens
        FROM (
          SELECT TraceId AS trace_id, SpanId AS span_id, SpanName AS name, toUnixTimestamp64Nano(Timestamp) AS start_ns,
            start_ns + toInt64(Duration) AS end_ns, (end_ns - start_ns) / 1e6 AS duration_ms,
            \(Self.app) AS app, \(Self.instance) AS instance, \(Self.token) AS token, SpanAttributes, StatusCode, Events.Name AS event_names,
            StatusMessage AS status_message, ResourceAttributes AS resource, \(ConventionSQL.ruleColumns),
            toUInt8(has(rules.entry_ids, SpanId)) AS is_entry, has(rules.duplicate_ids, SpanId) AS duplicate,
            rules.trace_models AS trace_models, rules.trace_request_models AS trace_request_models,
            rules.all_models AS all_models, rules.trace_tokens AS trace_tokens
          FROM \(table) AS s INNER JOIN (\(rules)) AS rules ON s.TraceId = rules.rules_trace
          WHERE s.\(Self.inRange)))
      """
  }

  static let modelKinds = ConventionSQL.list(OperationKind.allCases.filter(\.isModelCall).map(\.rawValue))

  /// The canonical fields as ClickHouse expressions, shared by the rows and the rules.
  struct Columns {
    let kind = ConventionSQL.kind
    let requestModel = ConventionSQL.text(.requestModel)
    let responseModel = ConventionSQL.text(.responseModel)
    let inputTokens = ConventionSQL.int(.inputTokens)
    let outputTokens = ConventionSQL.int(.outputTokens)
    let cacheReadTokens = ConventionSQL.int(.cacheReadTokens)
    let reasoningTokens = ConventionSQL.int(.reasoningTokens)
    /// The TTFT in nanoseconds, kept where it reads as 0 … 10⁷ seconds, as ingest keeps it.
    var ttftNanos: String {
      let s = ConventionSQL.double(.ttftSeconds)
      return "if(\(s) >= 0 AND \(s) < 1e7, toInt64(round(\(s) * 1e9)), NULL)"
    }
  }
  static let columns = Columns()

  /// `Conventions.identity`: the app, else `unknown_service`; the first instance key with a value.
  static let app = "if(ResourceAttributes['\(ConventionTable.appKey)'] != '', ResourceAttributes['\(ConventionTable.appKey)'], 'unknown_service')"
  static var instance: String {
    "multiIf(" + ConventionTable.instanceKeys.map { "ResourceAttributes[\(ConventionSQL.literal($0))] != '', ResourceAttributes[\(ConventionSQL.literal($0))]" }
      .joined(separator: ", ") + ", NULL)"
  }
  static let token = "nullIf(ResourceAttributes['\(ConventionTable.businessTokenKey)'], '')"

  /// `Conventions.canonicalize`'s error test: status Error, a Langfuse level ERROR or FATAL,
  /// an error type, or an error event; over the rule columns and `event_names`.
  static var isError: String {
    "toUInt8(StatusCode = 'Error' OR upperUTF8(ifNull(\(ConventionSQL.text(.errorLevel)), '')) IN ('ERROR', 'FATAL') "
      + "OR isNotNull(\(ConventionSQL.text(.errorType))) OR hasAny(event_names, \(ConventionSQL.list(ConventionTable.errorEvents.sorted()))))"
  }

  /// One row per trace with a span in the range: its entry span ids, its duplicate model-call
  /// span ids, and the models of its counted calls. Four layers: each span's facts, each
  /// trace's arrays, the two rules over them, what the rows need of the rules.
  private var rules: String {
    let c = Self.columns
    let genAI = ConventionSQL.list(OperationKind.allCases.filter(\.isGenAI).map(\.rawValue))
    let frameworks = ConventionSQL.list(TraceRules.frameworkScopeMarkers)
    // A model call: 1 id, 2 framework scope, 3 duration, 4 scope, 5 kind, 6 start, 7 end,
    // 8 its model names, 9 model key, 10 request-model key, 11 starts in the range, 12 tokens,
    // 13 response else request model, 14 app, 15 token.
    let call = """
      tuple(span_id, toUInt8(multiSearchAny(lower(scope), \(frameworks))), end_ns - start_ns, scope, op_kind, start_ns, end_ns,
        arrayFilter(m -> m != '', [ifNull(request_model, ''), ifNull(response_model, '')]),
        coalesce(response_model, request_model, '(unknown)'), coalesce(request_model, response_model, '(unknown)'),
        toUInt8(start_ns BETWEEN {from:Int64} AND {to:Int64}), ifNull(input_tokens, 0) + ifNull(output_tokens, 0),
        coalesce(response_model, request_model), app, token)
      """
    // The overlap of each kept call with call i where it may absorb it, else -1 (see
    // `TraceRules.duplicates`): another scope, the same kind, not yet absorbing i's scope,
    // overlapping (or both the same instant), naming the same model.
    let overlap = "least(calls[k].7, calls[i].7) - greatest(calls[k].6, calls[i].6)"
    let candidates = """
      arrayMap(k -> if(calls[k].4 != calls[i].4 AND calls[k].5 = calls[i].5 AND NOT has(acc.2, (k, calls[i].4))
        AND (\(overlap) > 0 OR (calls[k].6 = calls[i].6 AND calls[k].7 = calls[i].7))
        AND arrayExists(x -> arrayExists(y -> \(Self.sameModel("x", "y")), calls[i].8), calls[k].8), \(overlap), -1), acc.1)
      """
    // Each span's parent's position; a pointer-jumping pass per doubling of the walk up, so
    // `covered` says whether any ancestor is a GenAI span.
    let up = "arrayMap(p -> indexOf(ids, p), parents)"
    let covered = """
      arrayFold((acc, r) -> (arrayMap((f, j) -> toUInt8(f OR acc.1[j]), acc.1, acc.2), arrayMap(j -> acc.2[j], acc.2)),
        range(toUInt64(ceil(log2(length(ids) + 1)))), (arrayMap(j -> genai[j], \(up)), \(up))).1
      """
    let counted = "arrayMap(j -> NOT has(duplicates, j), arrayEnumerate(calls))"
    let passes = filter.callCondition(call: "c")
    return """
      SELECT rules_trace, entry_ids, arrayMap(i -> calls[i].1, duplicates) AS duplicate_ids, all_models,
        arrayDistinct(arrayMap(c -> c.9, arrayFilter((c, k) -> k AND \(passes), calls, \(counted)))) AS trace_models,
        arrayDistinct(arrayMap(c -> c.10, arrayFilter((c, k) -> k AND \(passes), calls, \(counted)))) AS trace_request_models,
        arraySum(arrayMap((c, k) -> if(k, c.12, 0), calls, \(counted))) AS trace_tokens
      FROM (
        SELECT rules_trace, calls,
          if(has(marks, 1), arrayFilter((id, m) -> m = 1, ids, marks), arrayFilter((id, g, v) -> g = 1 AND v = 0, ids, genai, \(covered))) AS entry_ids,
          arrayFold((acc, i) -> if(arrayMax(arrayPushBack(\(candidates), -1)) < 0, (arrayPushBack(acc.1, i), acc.2, acc.3),
              (acc.1, arrayPushBack(acc.2, (acc.1[arrayFirstIndex(v -> v = arrayMax(\(candidates)), \(candidates))], calls[i].4)), arrayPushBack(acc.3, i))),
            range(1, length(calls) + 1), (CAST([] AS Array(UInt64)), CAST([] AS Array(Tuple(UInt64, String))), CAST([] AS Array(UInt64)))).3 AS duplicates,
          arrayDistinct(arrayFilter(m -> isNotNull(m), arrayMap(c -> c.13, calls))) AS all_models
        FROM (
          SELECT rules_trace, groupArray(span_id) AS ids, groupArray(parent_id) AS parents, groupArray(toUInt8(op_kind IN \(genAI))) AS genai, groupArray(marked) AS marks,
            arraySort(x -> (x.2, x.3, x.1), groupArrayIf(\(call), op_kind IN \(Self.modelKinds))) AS calls
          FROM (
            SELECT rules_trace, span_id, parent_id, scope, start_ns, end_ns, \(c.kind) AS op_kind,
              \(c.requestModel) AS request_model, \(c.responseModel) AS response_model, toUInt8(ifNull(\(ConventionSQL.bool(.entry)), 0)) AS marked,
              \(c.inputTokens) AS input_tokens, \(c.outputTokens) AS output_tokens, app, token
            FROM (
              SELECT TraceId AS rules_trace, SpanId AS span_id, ParentSpanId AS parent_id, ScopeName AS scope,
                toUnixTimestamp64Nano(Timestamp) AS start_ns, start_ns + toInt64(Duration) AS end_ns, \(Self.app) AS app, \(Self.token) AS token,
                SpanAttributes, \(ConventionSQL.ruleColumns)
              FROM \(table) WHERE TraceId IN (SELECT TraceId FROM \(table) WHERE \(Self.inRange))))
          GROUP BY rules_trace))
      """
  }

  /// `TraceRules.sameModel` over two String expressions: equal, or the longer is the shorter
  /// with a `-`-joined suffix of digit groups (two or more digits each, three or more in all).
  static func sameModel(_ a: String, _ b: String) -> String {
    let short = "if(lengthUTF8(\(a)) < lengthUTF8(\(b)), \(a), \(b))"
    let long = "if(lengthUTF8(\(a)) < lengthUTF8(\(b)), \(b), \(a))"
    let suffix = "substring(\(long), length(\(short)) + 2)"
    return "(\(a) = \(b) OR (startsWith(\(long), concat(\(short), '-')) AND match(\(suffix), '^[0-9]{2,}(-[0-9]{2,})*$') AND length(replaceAll(\(suffix), '-', '')) >= 3))"
  }
}

/// A `SpanFilter` as ClickHouse conditions, its business system given by the tokens whose
/// fingerprint it names (the tokens never leave llmscope's process: they are parameters).
struct ClickHouseFilter {
  var filter: SpanFilter
  /// The tokens of `filter.businessSystem`; empty when it names none in the store.
  var tokens: [String] = []

  /// Over a span row of `SpanRowsSQL`'s columns.
  var rowCondition: String {
    conditions(app: "app", token: "token", model: "model", isEntry: "is_entry = 1", traceModels: "all_models")
  }

  /// Over a model call tuple `call` of the rules (its app, token and model, its trace's
  /// entries and models).
  func callCondition(call c: String) -> String {
    conditions(app: "\(c).14", token: "\(c).15", model: "\(c).13", isEntry: "has(entry_ids, \(c).1)", traceModels: "all_models")
  }

  private func conditions(app: String, token: String, model: String, isEntry: String, traceModels: String) -> String {
    var parts = ["1"]
    if filter.app != nil { parts.append("\(app) = {app:String}") }
    if filter.businessSystem != nil { parts.append("has({tokens:Array(String)}, \(token))") }
    if filter.model != nil { parts.append("(\(model) = {model:String} OR (\(isEntry) AND has(\(traceModels), {model:String})))") }
    return "(" + parts.joined(separator: " AND ") + ")"
  }

  /// The parameters of `range` and the filter.
  func params(_ range: TimeRange) -> [String: String] {
    var p = ["from": String(range.from), "to": String(range.to)]
    if let a = filter.app { p["app"] = a }
    if filter.businessSystem != nil { p["tokens"] = ClickHouseClient.arrayParameter(tokens) }
    if let m = filter.model { p["model"] = m }
    return p
  }
}
