import CSQLite

#if canImport(Glibc)
import Glibc
#endif

/// llmscope's embedded span store: one SQLite file in WAL mode.
///
/// One row per span, keyed by (trace_id, span_id), so ingesting the same data twice adds
/// nothing. Attributes, events and links are kept losslessly as JSON text next to the
/// canonical fields (`CanonicalSpan`) in indexed columns. Each `insert` is one transaction.
public final class SQLiteSpanStore: SpanSink {
  public let path: String
  let db: SQLiteDatabase
  private var insertSpan: SQLiteStatement?
  private var resourceIDs: [String: Int64] = [:]
  private var scopeIDs: [String: Int64] = [:]

  /// Opens the store at `path`. With `create`, a missing file becomes a new store;
  /// without it, the store must exist. A file that is not an llmscope store, a newer
  /// store, or a damaged one is reported and left unchanged.
  public init(path: String, create: Bool, readOnly: Bool = false) throws(StoreError) {
    self.path = path
    var st = stat()
    let exists = stat(path, &st) == 0
    if !exists && !create { throw StoreError.missing(path) }
    if exists && (st.st_mode & S_IFMT) == S_IFDIR {
      throw StoreError(path: path, message: "is a folder, not a store file", hint: "pass --store with a file path such as llmscope.db")
    }
    if exists && st.st_size > 0 { try Self.validate(path) }
    do {
      db = try SQLiteDatabase(path: path, readOnly: readOnly)
      if !readOnly {
        try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;")
        try migrate()
      }
      try db.execute("PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;")
    } catch let e as StoreError {
      throw e
    } catch let e as SQLiteError {
      throw e.isCorruption ? StoreError.corrupt(path, e.message) : StoreError(path: path, message: e.message, hint: nil)
    } catch {
      throw StoreError(path: path, message: "\(error)", hint: nil)
    }
  }

  /// Checks, without writing, that an existing file is an llmscope store this build reads.
  private static func validate(_ path: String) throws(StoreError) {
    guard let f = fopen(path, "rb") else { throw StoreError(path: path, message: "cannot be read (\(String(cString: strerror(errno))))", hint: nil) }
    var header = [UInt8](repeating: 0, count: 100)
    let n = fread(&header, 1, 100, f)
    fclose(f)
    guard n >= 16, Array(header[0..<16]) == Array("SQLite format 3\u{0}".utf8) else {
      throw StoreError.notAStore(path, "not a SQLite database")
    }
    guard n == 100 else { throw StoreError.corrupt(path, "truncated header") }
    do {
      // Read through SQLite, not the header bytes: a store being written keeps its newest
      // pages, the header included, in the write-ahead log.
      let ro = try SQLiteDatabase(path: path, readOnly: true)
      let tables = try ro.scalarInt("SELECT count(*) FROM sqlite_master") ?? 0
      let userVersion = try ro.scalarInt("PRAGMA user_version") ?? 0
      let appID = try ro.scalarInt("PRAGMA application_id") ?? 0
      if appID != Schema.applicationID {
        if tables == 0 && userVersion == 0 { return }  // an empty SQLite file: made into a store
        throw StoreError.notAStore(path, "a SQLite database of another program")
      }
      if userVersion > Schema.version { throw StoreError.tooNew(path, version: userVersion) }
      _ = try ro.scalarInt("SELECT count(*) FROM (SELECT 1 FROM spans LIMIT 1)")
    } catch let e as StoreError {
      throw e
    } catch let e as SQLiteError {
      throw e.isCorruption ? StoreError.corrupt(path, e.message) : StoreError(path: path, message: e.message, hint: nil)
    } catch {
      throw StoreError(path: path, message: "\(error)", hint: nil)
    }
  }

  private func migrate() throws {
    let current = try db.scalarInt("PRAGMA user_version") ?? 0
    guard current < Schema.version else { return }
    try db.transaction {
      if current == 0 {
        for sql in Schema.create { try db.execute(sql) }
      } else {
        for v in Int(current)..<Int(Schema.version) {
          for sql in Schema.upgrades[v - 1] { try db.execute(sql) }
        }
      }
      try db.execute("PRAGMA application_id=\(Schema.applicationID); PRAGMA user_version=\(Schema.version);")
    }
  }

  /// The store's schema version.
  public var schemaVersion: Int64 { (try? db.scalarInt("PRAGMA user_version")) ?? 0 }

  // MARK: - Writing

  /// Stores a batch of spans in one transaction and re-derives entries and duplicate model
  /// calls for every trace the batch touched. On any error nothing of the batch is kept.
  public func insert(_ batch: [ResourceSpans]) throws -> InsertResult {
    try insert(PreparedBatch(batch))
  }

  /// Stores a prepared batch in one transaction (see `insert(_:)`).
  public func insert(_ batch: PreparedBatch) throws -> InsertResult {
    do {
      return try db.transaction {
        var result = InsertResult()
        var touched = Set<String>()
        let stmt = try insertStatement()
        for r in batch.resources {
          let resourceID = try resourceID(r)
          for sc in r.scopes {
            let scopeID = try scopeID(sc)
            for row in sc.spans {
              bind(stmt, row, resourceID: resourceID, scopeID: scopeID)
              try stmt.step()
              stmt.reset()
              if db.changes == 1 {
                result.stored += 1
                touched.insert(row.span.traceID)
              } else {
                result.duplicates += 1
              }
            }
          }
        }
        try deriveTraces(touched.sorted())
        return result
      }
    } catch let e as SQLiteError where e.isCorruption {
      throw StoreError.corrupt(path, e.message)
    }
  }

  private static let columns = [
    "trace_id", "span_id", "parent_span_id", "name", "span_kind", "start_ns", "end_ns", "status_code", "resource_id",
    "scope_id", "app", "instance", "business_system", "op_kind", "provider", "request_model", "response_model",
    "input_tokens", "output_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens",
    "cost_usd", "ttft_ns", "streaming", "finish_reasons", "is_error", "error_type", "marked_entry", "session_id",
    "user_id", "agent_name", "tool_name", "flags", "trace_state", "error_message", "status_message",
    "dropped_attributes_count", "dropped_events_count", "dropped_links_count", "events", "links", "attributes",
    "usage_source", "ttft_source",
  ]

  private func insertStatement() throws -> SQLiteStatement {
    if let s = insertSpan { return s }
    let cols = Self.columns
    let sql = "INSERT OR IGNORE INTO spans(\(cols.joined(separator: ","))) VALUES(\(Array(repeating: "?", count: cols.count).joined(separator: ",")))"
    let s = try db.prepare(sql)
    insertSpan = s
    return s
  }

  private func bind(_ s: SQLiteStatement, _ row: PreparedBatch.Row, resourceID: Int64, scopeID: Int64) {
    let span = row.span
    let c = row.canonical
    s.bind(1, span.traceID)
    s.bind(2, span.spanID)
    s.bind(3, span.parentSpanID)
    s.bind(4, span.name)
    s.bind(5, Int(span.kind))
    s.bind(6, span.startTimeUnixNano)
    s.bind(7, span.endTimeUnixNano)
    s.bind(8, Int(span.status.code))
    s.bind(9, resourceID)
    s.bind(10, scopeID)
    s.bind(11, c.app)
    s.bind(12, c.instance)
    s.bind(13, c.businessSystem)
    s.bind(14, c.kind.rawValue)
    s.bind(15, c.provider)
    s.bind(16, c.requestModel)
    s.bind(17, c.responseModel)
    s.bind(18, c.inputTokens)
    s.bind(19, c.outputTokens)
    s.bind(20, c.totalTokens)
    s.bind(21, c.cacheReadTokens)
    s.bind(22, c.cacheWriteTokens)
    s.bind(23, c.reasoningTokens)
    s.bind(24, c.costUSD)
    s.bind(25, c.ttftNanos)
    s.bind(26, c.streaming)
    if c.finishReasons.isEmpty {
      s.bindNull(27)
    } else {
      var fw = JSONWriter()
      fw.byte(UInt8(ascii: "["))
      for (i, r) in c.finishReasons.enumerated() {
        if i > 0 { fw.byte(UInt8(ascii: ",")) }
        fw.string(r)
      }
      fw.byte(UInt8(ascii: "]"))
      s.bind(27, bytes: fw.bytes)
    }
    s.bind(28, c.isError)
    s.bind(29, c.errorType)
    s.bind(30, c.isMarkedEntry)
    s.bind(31, c.sessionID)
    s.bind(32, c.userID)
    s.bind(33, c.agentName)
    s.bind(34, c.toolName)
    s.bind(35, Int(span.flags))
    s.bind(36, span.traceState)
    s.bind(37, c.errorMessage)
    s.bind(38, span.status.message)
    s.bind(39, Int(span.droppedAttributesCount))
    s.bind(40, Int(span.droppedEventsCount))
    s.bind(41, Int(span.droppedLinksCount))
    s.bind(42, bytes: row.events)
    s.bind(43, bytes: row.links)
    s.bind(44, bytes: row.attributes)
    s.bind(45, c.usageSource)
    s.bind(46, c.ttftSource)
  }

  private func resourceID(_ r: PreparedBatch.Resource) throws -> Int64 {
    try internedID(
      &resourceIDs, key: [r.attributes, String(r.droppedAttributesCount), r.schemaURL],
      sql: "INSERT INTO resources(attributes, dropped_attributes_count, schema_url) VALUES(?,?,?)"
    ) { s in
      s.bind(1, r.attributes)
      s.bind(2, r.droppedAttributesCount)
      s.bind(3, r.schemaURL)
    }
  }

  private func scopeID(_ sc: PreparedBatch.Scope) throws -> Int64 {
    try internedID(
      &scopeIDs, key: [sc.name, sc.version, sc.attributes, String(sc.droppedAttributesCount), sc.schemaURL],
      sql: "INSERT INTO scopes(name, version, attributes, dropped_attributes_count, schema_url) VALUES(?,?,?,?,?)"
    ) { s in
      s.bind(1, sc.name)
      s.bind(2, sc.version)
      s.bind(3, sc.attributes)
      s.bind(4, sc.droppedAttributesCount)
      s.bind(5, sc.schemaURL)
    }
  }

  /// The id of a resource or scope row, inserting it the first time (rows are unique on all
  /// their columns, so each distinct resource is stored once).
  private func internedID(_ cache: inout [String: Int64], key parts: [String], sql: String, bind: (SQLiteStatement) -> Void) throws -> Int64 {
    let key = parts.joined(separator: "\u{0}")
    if let id = cache[key] { return id }
    let s = try db.prepare(sql + " ON CONFLICT DO UPDATE SET id=id RETURNING id")
    bind(s)
    guard try s.step() else { throw db.lastError }
    let id = s.int(0)
    cache[key] = id
    return id
  }

  /// Recomputes `is_entry` and `duplicate_of` for the given traces (`TraceRules`).
  private func deriveTraces(_ traceIDs: [String]) throws {
    guard !traceIDs.isEmpty else { return }
    let select = try db.prepare(
      """
      SELECT s.span_id, s.parent_span_id, s.op_kind, s.marked_entry, s.start_ns, s.end_ns, sc.name,
             s.request_model, s.response_model, s.is_entry, s.duplicate_of
      FROM spans s JOIN scopes sc ON sc.id = s.scope_id WHERE s.trace_id = ?
      """)
    let update = try db.prepare("UPDATE spans SET is_entry = ?, duplicate_of = ? WHERE trace_id = ? AND span_id = ?")
    for trace in traceIDs {
      select.reset()
      select.bind(1, trace)
      var facts: [TraceSpanFacts] = []
      var current: [String: (Bool, String?)] = [:]
      while try select.step() {
        let f = TraceSpanFacts(
          spanID: select.string(0), parentSpanID: select.string(1),
          kind: OperationKind(rawValue: select.string(2)) ?? .other, markedEntry: select.int(3) != 0,
          start: select.int(4), end: select.int(5), scopeName: select.string(6),
          requestModel: select.optionalString(7), responseModel: select.optionalString(8))
        facts.append(f)
        current[f.spanID] = (select.int(9) != 0, select.optionalString(10))
      }
      let entries = TraceRules.entries(facts)
      let dups = TraceRules.duplicates(facts)
      for f in facts {
        let want = (entries.contains(f.spanID), dups[f.spanID])
        guard let have = current[f.spanID], have.0 != want.0 || have.1 != want.1 else { continue }
        update.reset()
        update.bind(1, want.0)
        update.bind(2, want.1)
        update.bind(3, trace)
        update.bind(4, f.spanID)
        try update.step()
      }
    }
  }
}
