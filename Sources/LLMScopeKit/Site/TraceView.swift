/// One trace arranged for its page: spans in a tree by parent, with the facts the waterfall
/// shows (critical path, clock skew, missing parents).
public struct TraceView: Sendable {
  public struct Node: Sendable {
    public var stored: StoredSpan
    public var canonical: CanonicalSpan
    public var children: [Int] = []
    public var depth = 0
    /// The span's parent is not in the trace; it is shown under the root.
    public var parentMissing = false
    /// The span starts before its parent or ends after it (clocks of two hosts disagree).
    public var clockSkew = false
    /// On the chain of last-finishing spans that sets the trace's duration.
    public var onCriticalPath = false
    public var span: Span { stored.span }
  }

  public var traceID: String
  /// Nodes in display order (depth-first, children by start time).
  public var nodes: [Node]
  public var order: [Int]
  /// Each node's place in `order`.
  public var position: [Int]
  public var start: Int64
  public var end: Int64
  /// Nesting deeper than this is drawn flat at the limit (and says so).
  public static let maxDepth = 64

  public init(traceID: String, spans: [StoredSpan]) {
    self.traceID = traceID
    var nodes = spans.map { s in Node(stored: s, canonical: Conventions.canonicalize(s.span, identity: Conventions.identity(of: s.resource))) }
    var index: [String: Int] = [:]
    for (i, n) in nodes.enumerated() { index[n.span.spanID] = i }
    var roots: [Int] = []
    var orphans: [Int] = []
    for i in nodes.indices {
      let parent = nodes[i].span.parentSpanID
      if parent.isEmpty || parent == nodes[i].span.spanID {
        roots.append(i)
      } else if let p = index[parent] {
        nodes[p].children.append(i)
        let (ps, pe) = (nodes[p].span.startTimeUnixNano, nodes[p].span.endTimeUnixNano)
        nodes[i].clockSkew = nodes[i].span.startTimeUnixNano < ps || nodes[i].span.endTimeUnixNano > pe
      } else {
        nodes[i].parentMissing = true
        orphans.append(i)
      }
    }
    func byStart(_ a: Int, _ b: Int) -> Bool {
      (nodes[a].span.startTimeUnixNano, nodes[a].span.spanID) < (nodes[b].span.startTimeUnixNano, nodes[b].span.spanID)
    }
    roots.sort(by: byStart)
    orphans.sort(by: byStart)
    // Orphans hang under the first root, or stand at the top when there is none.
    if let root = roots.first { nodes[root].children += orphans } else { roots = orphans }
    for i in nodes.indices {
      let sorted = nodes[i].children.sorted(by: byStart)
      nodes[i].children = sorted
    }

    // Depth-first order; a span reached twice (a cycle in bad data) is shown once.
    var order: [Int] = []
    var seen = Set<Int>()
    func visit(_ i: Int, _ depth: Int) {
      guard seen.insert(i).inserted else { return }
      nodes[i].depth = min(depth, Self.maxDepth)
      order.append(i)
      for c in nodes[i].children { visit(c, depth + 1) }
    }
    for r in roots { visit(r, 0) }
    for i in nodes.indices where !seen.contains(i) {
      nodes[i].parentMissing = true
      visit(i, 0)
    }

    // Critical path: from each root, follow the child that finishes last.
    for r in roots {
      var current: Int? = r
      var steps = 0
      while let c = current, steps <= nodes.count {
        nodes[c].onCriticalPath = true
        current = nodes[c].children.max { (nodes[$0].span.endTimeUnixNano, $1) < (nodes[$1].span.endTimeUnixNano, $0) }
        steps += 1
      }
    }
    self.traceID = traceID
    self.nodes = nodes
    self.order = order
    var position = [Int](repeating: 0, count: nodes.count)
    for (p, i) in order.enumerated() { position[i] = p }
    self.position = position
    start = nodes.map(\.span.startTimeUnixNano).min() ?? 0
    end = max(start, nodes.map(\.span.endTimeUnixNano).max() ?? 0)
  }

  public var duration: Int64 { end - start }
}
