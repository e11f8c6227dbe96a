/// What a span does in an LLM application, unified across instrumentation families.
public enum OperationKind: String, Sendable, CaseIterable, Comparable {
  case llm, embedding, tool, agent, chain, task, retriever, reranker, other

  /// A call to a model: the spans that carry calls, tokens and time to first token.
  public var isModelCall: Bool { self == .llm || self == .embedding }

  /// Any GenAI operation (used to find the topmost LLM-related span of a trace).
  public var isGenAI: Bool { self != .other }

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
