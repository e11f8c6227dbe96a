/// A batch of spans turned into the store's column values, ready to insert.
///
/// Preparing (canonicalizing and serializing) needs no database, so ingest does it on another
/// thread while the previous batch is written.
public struct PreparedBatch: Sendable {
  struct Resource: Sendable {
    var attributes: String
    var droppedAttributesCount: Int
    var schemaURL: String
    var scopes: [Scope]
  }
  struct Scope: Sendable {
    var name: String
    var version: String
    var attributes: String
    var droppedAttributesCount: Int
    var schemaURL: String
    var spans: [Row]
  }
  /// One span's columns.
  struct Row: Sendable {
    var span: Span
    var canonical: CanonicalSpan
    var attributes: [UInt8]
    var events: [UInt8]
    var links: [UInt8]
  }

  var resources: [Resource] = []
  public private(set) var spanCount = 0

  /// Canonicalizes and serializes `batch`.
  public init(_ batch: [ResourceSpans]) {
    var w = JSONWriter(capacity: 4096)
    func json(_ body: (inout JSONWriter) -> Void) -> [UInt8] {
      w.bytes.removeAll(keepingCapacity: true)
      body(&w)
      return w.bytes
    }
    for rs in batch {
      let identity = Conventions.identity(of: rs.resource)
      var r = Resource(
        attributes: StoredJSON.text { StoredJSON.attributes(rs.resource.attributes, into: &$0) },
        droppedAttributesCount: Int(rs.resource.droppedAttributesCount), schemaURL: rs.schemaURL, scopes: [])
      for ss in rs.scopeSpans {
        var scope = Scope(
          name: ss.scope.name, version: ss.scope.version,
          attributes: StoredJSON.text { StoredJSON.attributes(ss.scope.attributes, into: &$0) },
          droppedAttributesCount: Int(ss.scope.droppedAttributesCount), schemaURL: ss.schemaURL, spans: [])
        scope.spans.reserveCapacity(ss.spans.count)
        for span in ss.spans {
          var row = Row(
            span: span, canonical: Conventions.canonicalize(span, identity: identity),
            attributes: json { StoredJSON.attributes(span.attributes, into: &$0) },
            events: json { StoredJSON.events(span.events, into: &$0) },
            links: json { StoredJSON.links(span.links, into: &$0) })
          // Serialized above; drop the decoded form to keep batches small.
          row.span.attributes = []
          row.span.events = []
          row.span.links = []
          scope.spans.append(row)
        }
        spanCount += scope.spans.count
        r.scopes.append(scope)
      }
      resources.append(r)
    }
  }
}
