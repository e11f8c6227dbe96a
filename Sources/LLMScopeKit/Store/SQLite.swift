import CSQLite

/// An SQLite failure, with SQLite's own message and result code.
struct SQLiteError: Error, CustomStringConvertible {
  var code: Int32
  var message: String
  var description: String { "SQLite error \(code): \(message)" }
  /// The database file is damaged or not a database.
  var isCorruption: Bool { code & 0xFF == SQLITE_CORRUPT || code & 0xFF == SQLITE_NOTADB }
}

/// A thin owner of one SQLite connection.
final class SQLiteDatabase {
  let handle: OpaquePointer

  /// Opens `path`; `readOnly` never creates or changes the file.
  init(path: String, readOnly: Bool) throws {
    var db: OpaquePointer?
    let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
    guard rc == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      sqlite3_close(db)
      throw SQLiteError(code: rc, message: message)
    }
    handle = db
    sqlite3_busy_timeout(db, 30_000)
    sqlite3_extended_result_codes(db, 1)
  }

  deinit { sqlite3_close_v2(handle) }

  var lastError: SQLiteError {
    SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
  }

  /// Runs one or more statements without results.
  func execute(_ sql: String) throws {
    var err: UnsafeMutablePointer<CChar>?
    let rc = sqlite3_exec(handle, sql, nil, nil, &err)
    if rc != SQLITE_OK {
      let message = err.map { String(cString: $0) } ?? "error"
      sqlite3_free(err)
      throw SQLiteError(code: rc, message: message)
    }
  }

  func prepare(_ sql: String) throws -> SQLiteStatement {
    var stmt: OpaquePointer?
    guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt else {
      throw lastError
    }
    return SQLiteStatement(stmt, db: self)
  }

  /// The first column of the first row of `sql`, as an integer.
  func scalarInt(_ sql: String) throws -> Int64? {
    let s = try prepare(sql)
    return try s.step() ? s.int(0) : nil
  }

  var changes: Int { Int(sqlite3_changes(handle)) }

  /// Runs `body` in a transaction (`BEGIN IMMEDIATE`), committing on success and rolling
  /// back on any error.
  func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }
}

/// A prepared statement; reset and rebind it to run it again.
final class SQLiteStatement {
  let handle: OpaquePointer
  unowned let db: SQLiteDatabase

  init(_ handle: OpaquePointer, db: SQLiteDatabase) {
    self.handle = handle
    self.db = db
  }

  deinit { sqlite3_finalize(handle) }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  func bind(_ i: Int32, _ v: String?) {
    guard let v else { return bindNull(i) }
    var copy = v
    copy.withUTF8 { buf in bindText(i, UnsafeRawBufferPointer(buf)) }
  }

  func bind(_ i: Int32, bytes: [UInt8]) {
    bytes.withUnsafeBytes { buf in bindText(i, buf) }
  }

  private func bindText(_ i: Int32, _ buf: UnsafeRawBufferPointer) {
    let empty: StaticString = ""
    let p = buf.baseAddress?.assumingMemoryBound(to: CChar.self)
      ?? UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self)
    sqlite3_bind_text(handle, i, p, Int32(buf.count), Self.transient)
  }

  func bind(_ i: Int32, _ v: Int64?) {
    guard let v else { return bindNull(i) }
    sqlite3_bind_int64(handle, i, v)
  }

  func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(handle, i, Int64(v)) }

  func bind(_ i: Int32, _ v: Double?) {
    guard let v, v.isFinite else { return bindNull(i) }
    sqlite3_bind_double(handle, i, v)
  }

  func bind(_ i: Int32, _ v: Bool?) {
    guard let v else { return bindNull(i) }
    sqlite3_bind_int64(handle, i, v ? 1 : 0)
  }

  func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }

  /// Advances to the next row; `false` when done.
  @discardableResult
  func step() throws -> Bool {
    switch sqlite3_step(handle) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw db.lastError
    }
  }

  func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
  func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
  func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }
  func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
  func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
  func string(_ i: Int32) -> String {
    guard let p = sqlite3_column_text(handle, i) else { return "" }
    let n = Int(sqlite3_column_bytes(handle, i))
    return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
  }
  func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }
}
