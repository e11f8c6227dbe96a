/// A span as stored, with its resource and scope, as every store hands it back for trace pages.
public struct StoredSpan: Sendable, Equatable {
  public var resource: Resource
  public var resourceSchemaURL: String
  public var scope: InstrumentationScope
  public var scopeSchemaURL: String
  public var span: Span
}
