/// What the trace-level rules need to know of one span.
public struct TraceSpanFacts: Sendable, Equatable {
  public var spanID: String
  public var parentSpanID: String
  public var kind: OperationKind
  public var markedEntry: Bool
  public var start: Int64
  public var end: Int64
  public var scopeName: String
  public var requestModel: String?
  public var responseModel: String?

  public init(
    spanID: String, parentSpanID: String, kind: OperationKind, markedEntry: Bool, start: Int64, end: Int64,
    scopeName: String, requestModel: String?, responseModel: String?
  ) {
    self.spanID = spanID
    self.parentSpanID = parentSpanID
    self.kind = kind
    self.markedEntry = markedEntry
    self.start = start
    self.end = end
    self.scopeName = scopeName
    self.requestModel = requestModel
    self.responseModel = responseModel
  }
}

/// The rules that need a whole trace: which spans are LLM calls (entries), and which model
/// calls were recorded twice by two instrumentations.
public enum TraceRules {
  /// The entry spans of a trace.
  ///
  /// Spans marked `gen_ai.is_entry` are the entries. A trace with no marked span counts each
  /// topmost LLM-related span instead: a span of any GenAI kind (llm, embedding, tool, agent,
  /// chain, task, retriever, reranker) with no GenAI ancestor. A missing parent ends the
  /// walk up, so an orphaned subtree still has its entry.
  public static func entries(_ spans: [TraceSpanFacts]) -> Set<String> {
    let marked = spans.filter(\.markedEntry)
    if !marked.isEmpty { return Set(marked.map(\.spanID)) }
    var byID: [String: TraceSpanFacts] = [:]
    for s in spans { byID[s.spanID] = s }
    var result = Set<String>()
    for s in spans where s.kind.isGenAI {
      var parent = s.parentSpanID
      var steps = 0
      var covered = false
      while !parent.isEmpty, let p = byID[parent], steps <= spans.count {
        if p.kind.isGenAI {
          covered = true
          break
        }
        parent = p.parentSpanID
        steps += 1
      }
      if !covered { result.insert(s.spanID) }
    }
    return result
  }

  /// Scope names of framework instrumentations, whose model spans wrap an SDK's.
  static let frameworkScopeMarkers = [
    "langchain", "langgraph", "llama_index", "llamaindex", "langfuse", "crewai", "haystack", "dspy", "autogen",
    "semantic_kernel", "semantic-kernel", "smolagents", "agno", "dify", "trpc", "mastra", "vercel", "openai_agents",
    "openai-agents", "beeai", "pydantic_ai", "pydantic-ai", "strands", "google_adk", "google-adk",
  ]

  static func isFramework(_ scope: String) -> Bool {
    let s = scope.lowercased()
    return frameworkScopeMarkers.contains { s.contains($0) }
  }

  /// `a` and `b` name the same model: equal, or one is the other with a date or version
  /// suffix that servers add (`gpt-4o-mini-2024-07-18`, `gpt-4-0613`, `…-20241022`): groups
  /// of two or more digits, at least three in all. `claude-3` and `claude-3-5` differ.
  static func sameModel(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    let (short, long) = a.count < b.count ? (a, b) : (b, a)
    guard long.hasPrefix(short + "-") else { return false }
    let groups = long.dropFirst(short.count + 1).split(separator: "-", omittingEmptySubsequences: false)
    return groups.allSatisfy { $0.count >= 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
      && groups.reduce(0) { $0 + $1.count } >= 3
  }

  static func modelsMatch(_ a: TraceSpanFacts, _ b: TraceSpanFacts) -> Bool {
    let ma = [a.requestModel, a.responseModel].compactMap { $0 }
    let mb = [b.requestModel, b.responseModel].compactMap { $0 }
    if ma.isEmpty || mb.isEmpty { return false }
    return ma.contains { x in mb.contains { y in sameModel(x, y) } }
  }

  /// Model calls recorded twice, mapped to the span that is counted instead.
  ///
  /// Two model-call spans (llm or embedding) of one trace are one call when they come from
  /// different instrumentation scopes, are of the same kind, name the same model and overlap
  /// in time, wherever each sits in the span tree. The call is counted once, with the figures
  /// of the SDK's span (a scope that is not a known framework such as LangChain or Langfuse);
  /// between two of a kind, the shorter (inner) span. Each counted span absorbs at most one
  /// duplicate per other scope, the one overlapping it most, so parallel calls stay apart.
  public static func duplicates(_ spans: [TraceSpanFacts]) -> [String: String] {
    let calls = spans.filter(\.kind.isModelCall)
    guard calls.count > 1, Set(calls.map(\.scopeName)).count > 1 else { return [:] }
    func preference(_ s: TraceSpanFacts) -> (Int, Int64, String) {
      (isFramework(s.scopeName) ? 1 : 0, s.end - s.start, s.spanID)
    }
    let ordered = calls.sorted { preference($0) < preference($1) }
    var kept: [TraceSpanFacts] = []
    var absorbed: [String: Set<String>] = [:]  // kept span id → scopes it absorbed
    var result: [String: String] = [:]
    for s in ordered {
      var best: (overlap: Int64, id: String)?
      for k in kept where k.scopeName != s.scopeName && k.kind == s.kind && !(absorbed[k.spanID]?.contains(s.scopeName) ?? false) {
        let overlap = min(k.end, s.end) - max(k.start, s.start)
        guard overlap > 0 || (k.start == s.start && k.end == s.end), modelsMatch(k, s) else { continue }
        if best == nil || overlap > best!.overlap { best = (overlap, k.spanID) }
      }
      if let best {
        result[s.spanID] = best.id
        absorbed[best.id, default: []].insert(s.scopeName)
      } else {
        kept.append(s)
      }
    }
    return result
  }
}
