/// A canonical field that llmscope reads from spans.
public enum CanonicalField: Int, Sendable, CaseIterable {
  case kind, provider, requestModel, responseModel
  case inputTokens, outputTokens, totalTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens
  case costUSD, ttftSeconds, streaming, finishReasons
  case errorType, errorMessage, errorLevel, entry
  case session, user, agent, toolName
}

extension CanonicalField {
  /// Position in `allCases`.
  var ordinal: Int { rawValue }
}

/// Where a value can come from. Every case can also be expressed as SQL over a store's
/// columns, so the same table drives SQLite ingest and, later, ClickHouse queries.
public enum ValueSource: Sendable, Equatable {
  /// A span attribute.
  case attribute(String)
  /// A member of an object held by a span attribute, as JSON text or as a kvlist.
  case member(String, String)
  /// Sum of member `bucket` and every member starting with `bucket_` of a JSON object
  /// attribute (Langfuse `usage_details`, whose buckets are disjoint).
  case bucketSum(String, bucket: String)
  /// The first `prefix.{i}.suffix` attribute over indices i.
  case indexed(prefix: String, suffix: String)
  /// A timestamp attribute (ISO 8601, possibly JSON-quoted) minus the span start, seconds.
  case elapsedSince(String)
  /// The earliest event with this name, minus the span start, seconds.
  case firstEvent(String)
  /// An attribute of the first event with this name.
  case eventAttribute(event: String, key: String)
  /// The provider spelled before the first dot of the span name (`openai.chat`).
  case spanNamePrefix
  /// The peer host (`server.address`).
  case serverAddress

  /// How the source is named where a figure says which convention its data came from:
  /// the attribute key, `key.member`, `key[bucket*]`, or `event NAME`.
  public var label: String {
    switch self {
    case .attribute(let k), .elapsedSince(let k): return k
    case .member(let k, let m): return "\(k).\(m)"
    case .bucketSum(let k, let bucket): return "\(k)[\(bucket)*]"
    case .indexed(let prefix, let suffix): return "\(prefix)N\(suffix)"
    case .firstEvent(let name): return "event " + name
    case .eventAttribute(let event, let key): return "event \(event) \(key)"
    case .spanNamePrefix: return "span name"
    case .serverAddress: return "server.address"
    }
  }

  /// The attribute key this source reads, when it reads one key directly.
  var attributeKey: String? {
    switch self {
    case .attribute(let k), .member(let k, _), .bucketSum(let k, _), .elapsedSince(let k): return k
    default: return nil
    }
  }
}

/// One way to read a canonical field: a source, an optional scale and an optional value map.
public struct ConventionRule: Sendable {
  public let field: CanonicalField
  public let source: ValueSource
  /// Numbers are multiplied by this (milliseconds to seconds: 0.001).
  public let scale: Double
  /// For enumerations: lower-cased source value → canonical value. A value not in the map
  /// falls through to the next rule.
  public let values: [String: String]?

  init(_ field: CanonicalField, _ source: ValueSource, scale: Double = 1, values: [String: String]? = nil) {
    self.field = field
    self.source = source
    self.scale = scale
    self.values = values
  }
}

/// The mapping from every common LLM instrumentation's attributes to llmscope's canonical
/// fields, in priority order per field (first usable value wins). The one place where
/// attribute keys are named; see ../docs (genai-conventions) for the families.
public enum ConventionTable {
  private static func kindMap(_ pairs: [(String, OperationKind)]) -> [String: String] {
    Dictionary(pairs.map { ($0.0.lowercased(), $0.1.rawValue) }, uniquingKeysWith: { a, _ in a })
  }

  public static let rules: [ConventionRule] = {
    var r: [ConventionRule] = []
    func add(_ f: CanonicalField, _ sources: [ValueSource], scale: Double = 1, values: [String: String]? = nil) {
      for s in sources { r.append(ConventionRule(f, s, scale: scale, values: values)) }
    }
    // Operation kind: vendor kinds first (Dify stamps `chat` on every span, OpenLLMetry
    // stamps `execute_task` on workflows), then the OTel operation, then inference.
    add(.kind, [.attribute("langfuse.observation.type")], values: kindMap([
      ("generation", .llm), ("embedding", .embedding), ("tool", .tool), ("agent", .agent), ("chain", .chain),
      ("retriever", .retriever), ("evaluator", .other), ("guardrail", .other),
    ]))
    add(.kind, [.attribute("openinference.span.kind")], values: kindMap([
      ("LLM", .llm), ("EMBEDDING", .embedding), ("TOOL", .tool), ("AGENT", .agent), ("CHAIN", .chain),
      ("RETRIEVER", .retriever), ("RERANKER", .reranker), ("GUARDRAIL", .other), ("EVALUATOR", .other), ("PROMPT", .other),
    ]))
    add(.kind, [.attribute("gen_ai.span.kind")], values: kindMap([
      ("GENERATION", .llm), ("LLM", .llm), ("EMBEDDING", .embedding), ("TOOL", .tool), ("AGENT", .agent),
      ("WORKFLOW", .chain), ("CHAIN", .chain), ("RETRIEVER", .retriever), ("RERANKER", .reranker), ("TASK", .task),
    ]))
    add(.kind, [.attribute("traceloop.span.kind")], values: kindMap([
      ("workflow", .chain), ("task", .task), ("agent", .agent), ("tool", .tool),
    ]))
    add(.kind, [.attribute("gen_ai.operation.name")], values: kindMap([
      ("chat", .llm), ("text_completion", .llm), ("generate_content", .llm), ("completion", .llm), ("generate", .llm),
      ("llm_request", .llm), ("embeddings", .embedding), ("embedding", .embedding), ("execute_tool", .tool),
      ("invoke_agent", .agent), ("create_agent", .agent), ("invoke_workflow", .chain), ("workflow", .chain),
      ("retrieval", .retriever), ("vector_db_retrieve", .retriever), ("rerank", .reranker), ("plan", .task),
      ("execute_task", .task), ("create_memory", .other), ("update_memory", .other), ("search_memory", .other),
      ("delete_memory", .other), ("create_memory_store", .other), ("delete_memory_store", .other),
    ]))
    add(.kind, [.attribute("llm.request.type")], values: kindMap([
      ("chat", .llm), ("completion", .llm), ("embedding", .embedding), ("rerank", .reranker),
    ]))
    // A tool key makes a tool span; any model key makes a model call (see `Conventions`).
    add(.toolName, [.attribute("gen_ai.tool.name"), .attribute("tool.name")])
    add(.provider, [
      .attribute("gen_ai.provider.name"), .attribute("gen_ai.system"), .attribute("llm.provider"), .attribute("llm.system"),
      .spanNamePrefix, .serverAddress,
    ])
    add(.requestModel, [
      .attribute("gen_ai.request.model"), .attribute("llm.request.model_name"),
      .member("llm.invocation_parameters", "model"), .member("llm.invocation_parameters", "model_name"),
      .member("embedding.invocation_parameters", "model"), .attribute("llm.model_name"),
      .attribute("langfuse.observation.model.name"), .attribute("embedding.model_name"), .attribute("reranker.model_name"),
      .attribute("ai.model.id"),
    ])
    add(.responseModel, [
      .attribute("gen_ai.response.model"), .attribute("llm.response.model_name"), .attribute("llm.model_name"),
      .attribute("langfuse.observation.model.name"), .attribute("embedding.model_name"),
    ])
    add(.inputTokens, [
      .attribute("gen_ai.usage.input_tokens"), .attribute("gen_ai.usage.prompt_tokens"), .attribute("llm.token_count.prompt"),
      .bucketSum("langfuse.observation.usage_details", bucket: "input"),
    ])
    add(.outputTokens, [
      .attribute("gen_ai.usage.output_tokens"), .attribute("gen_ai.usage.completion_tokens"),
      .attribute("llm.token_count.completion"), .bucketSum("langfuse.observation.usage_details", bucket: "output"),
    ])
    add(.totalTokens, [
      .attribute("gen_ai.usage.total_tokens"), .attribute("llm.usage.total_tokens"), .attribute("llm.token_count.total"),
      .member("langfuse.observation.usage_details", "total"),
    ])
    add(.cacheReadTokens, [
      .attribute("gen_ai.usage.cache_read.input_tokens"), .attribute("gen_ai.usage.cache_read_input_tokens"),
      .attribute("gen_ai.usage.input_tokens.cache_read"), .attribute("gen_ai.usage.input_tokens.cached"),
      .attribute("llm.token_count.prompt_details.cache_read"),
      .member("langfuse.observation.usage_details", "input_cached_tokens"),
      .member("langfuse.observation.usage_details", "input_cache_read"),
    ])
    add(.cacheWriteTokens, [
      .attribute("gen_ai.usage.cache_creation.input_tokens"), .attribute("gen_ai.usage.cache_creation_input_tokens"),
      .attribute("gen_ai.usage.input_tokens.cache_creation"), .attribute("llm.token_count.prompt_details.cache_write"),
      .member("langfuse.observation.usage_details", "input_cache_creation"),
    ])
    add(.reasoningTokens, [
      .attribute("gen_ai.usage.reasoning.output_tokens"), .attribute("gen_ai.usage.reasoning_tokens"),
      .attribute("llm.usage.reasoning_tokens"), .attribute("llm.token_count.completion_details.reasoning"),
      .member("langfuse.observation.usage_details", "output_reasoning_tokens"),
    ])
    add(.costUSD, [
      .member("langfuse.observation.cost_details", "total"), .attribute("llm.cost.total"), .attribute("gen_ai.usage.cost"),
    ])
    add(.ttftSeconds, [
      .attribute("gen_ai.response.time_to_first_chunk"), .attribute("trpc_agent_go.client.time_to_first_token"),
      .attribute("gen_ai.server.time_to_first_token"),
    ])
    add(.ttftSeconds, [.attribute("time_to_first_token_ms")], scale: 0.001)
    add(.ttftSeconds, [.elapsedSince("langfuse.observation.completion_start_time")])
    add(.ttftSeconds, [.attribute("ai.response.msToFirstChunk"), .attribute("ai.stream.msToFirstChunk")], scale: 0.001)
    // One rule per event name, so that a TTFT figure can say which event it came from.
    add(.ttftSeconds, [.firstEvent("First Token Stream Event"), .firstEvent("gen_ai.content.completion.chunk"), .firstEvent("llm.content.completion.chunk")])
    add(.streaming, [
      .attribute("gen_ai.request.stream"), .attribute("gen_ai.request.is_stream"), .attribute("gen_ai.is_streaming"),
      .attribute("llm.is_streaming"), .member("llm.invocation_parameters", "stream"),
      .member("langfuse.observation.model.parameters", "stream"),
    ])
    add(.finishReasons, [
      .attribute("gen_ai.response.finish_reasons"), .attribute("gen_ai.response.finish_reason"),
      .attribute("llm.response.finish_reason"), .attribute("llm.finish_reason"),
      .indexed(prefix: "gen_ai.completion.", suffix: ".finish_reason"),
    ])
    add(.errorType, [.attribute("error.type"), .eventAttribute(event: "exception", key: "exception.type")])
    add(.errorMessage, [
      .attribute("langfuse.observation.status_message"), .attribute("error.message"),
      .eventAttribute(event: "exception", key: "exception.message"),
    ])
    add(.errorLevel, [.attribute("langfuse.observation.level")])
    add(.entry, [.attribute("gen_ai.is_entry")])
    add(.session, [
      .attribute("gen_ai.conversation.id"), .attribute("session.id"), .attribute("langfuse.session.id"),
      .attribute("gen_ai.session.id"), .attribute("traceloop.association.properties.session_id"),
    ])
    add(.user, [
      .attribute("user.id"), .attribute("langfuse.user.id"), .attribute("gen_ai.user.id"),
      .attribute("trpc.go.agent.runner.user_id"), .attribute("traceloop.association.properties.user_id"),
    ])
    add(.agent, [
      .attribute("gen_ai.agent.name"), .attribute("agent.name"), .attribute("gen_ai.workflow.name"),
      .attribute("traceloop.workflow.name"), .attribute("traceloop.entity.name"),
    ])
    return r
  }()

  /// Resource attributes naming the instance, in priority order.
  public static let instanceKeys = ["host.name", "service.instance.id", "service.instance", "ip"]
  /// The resource attribute naming the application.
  public static let appKey = "service.name"
  /// The resource attribute holding the business-system (tenant) token; a secret.
  public static let businessTokenKey = "token"

  /// Values of provider keys that name a framework, not a model provider.
  public static let frameworkNames: Set<String> = ["trpc.go.agent", "langchain", "langgraph", "crewai", "llamaindex", "llama_index", "dify"]

  /// Spellings of providers across families → the OTel `gen_ai.provider.name` value.
  public static let providerAliases: [String: String] = [
    "az.ai.openai": "azure.ai.openai", "azure": "azure.ai.openai", "azure_openai": "azure.ai.openai",
    "az.ai.inference": "azure.ai.inference", "vertex_ai": "gcp.vertex_ai", "vertexai": "gcp.vertex_ai",
    "google": "gcp.gen_ai", "gemini": "gcp.gemini", "mistralai": "mistral_ai", "xai": "x_ai", "aws": "aws.bedrock",
    "amazon": "aws.bedrock", "bedrock": "aws.bedrock", "moonshot": "moonshot_ai", "watsonx": "ibm.watsonx.ai",
  ]

  /// Span-name prefixes that name a provider (`openai.chat`, `anthropic.chat`).
  public static let providerSpanPrefixes: Set<String> = [
    "openai", "anthropic", "cohere", "mistralai", "ollama", "groq", "bedrock", "vertexai", "gemini", "together",
    "replicate", "watsonx", "deepseek", "azure",
  ]

  /// Peer hosts of well-known model APIs.
  public static let providerHosts: [(suffix: String, provider: String)] = [
    ("openai.azure.com", "azure.ai.openai"), ("api.openai.com", "openai"), ("anthropic.com", "anthropic"),
    ("api.deepseek.com", "deepseek"), ("api.mistral.ai", "mistral_ai"), ("api.groq.com", "groq"),
    ("api.cohere.com", "cohere"), ("api.cohere.ai", "cohere"), ("generativelanguage.googleapis.com", "gcp.gemini"),
    ("aiplatform.googleapis.com", "gcp.vertex_ai"), ("api.x.ai", "x_ai"), ("api.moonshot.cn", "moonshot_ai"),
    ("dashscope.aliyuncs.com", "dashscope"),
  ]

  /// Event names that mark an error on the span.
  public static let errorEvents: Set<String> = ["exception"]

  /// Rules grouped by field (indexed by the field's position in `CanonicalField.allCases`),
  /// in priority order.
  static let rulesByField: [[Int]] = {
    var d = [[Int]](repeating: [], count: CanonicalField.allCases.count)
    for (i, r) in rules.enumerated() { d[r.field.ordinal].append(i) }
    return d
  }()

  /// Attribute key → rules that read it directly.
  static let rulesByKey: [String: [Int]] = {
    var d: [String: [Int]] = [:]
    for (i, r) in rules.enumerated() { if let k = r.source.attributeKey { d[k, default: []].append(i) } }
    return d
  }()
}
