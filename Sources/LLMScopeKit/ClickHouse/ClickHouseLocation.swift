/// Where a ClickHouse span store is: `clickhouse://HOST:PORT/DATABASE?table=otel_traces`
/// (`clickhouses://` for TLS), with the user and password from `LLMSCOPE_CLICKHOUSE_USER` and
/// `LLMSCOPE_CLICKHOUSE_PASSWORD`. The password is never part of any message.
public struct ClickHouseLocation: Sendable, Equatable, CustomStringConvertible {
  public var tls: Bool
  public var host: String
  public var port: Int
  public var database: String
  public var table: String
  public var user: String
  public var password: String

  /// `true` when `store` names a ClickHouse store rather than a SQLite file.
  public static func isURL(_ store: String) -> Bool { store.hasPrefix("clickhouse://") || store.hasPrefix("clickhouses://") }

  /// Parses a store URL; the environment gives the credentials.
  public init(_ url: String, environment: [String: String]) throws(ClickHouseError) {
    // A URL with credentials in it is never echoed back.
    let shown = url.contains("@") ? "(a clickhouse:// URL)" : url
    func bad(_ why: String) -> ClickHouseError {
      ClickHouseError(message: "--store \(shown): \(why)", hint: "write clickhouse://HOST:PORT/DATABASE?table=otel_traces (clickhouses:// for TLS)")
    }
    let scheme = url.hasPrefix("clickhouses://") ? "clickhouses://" : "clickhouse://"
    guard url.hasPrefix(scheme) else { throw bad("not a clickhouse:// URL") }
    tls = scheme == "clickhouses://"
    var rest = Substring(url.dropFirst(scheme.count))
    var query = Substring("")
    if let q = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: q)...]
      rest = rest[..<q]
    }
    if rest.contains("@") { throw bad("put the user and password in LLMSCOPE_CLICKHOUSE_USER and LLMSCOPE_CLICKHOUSE_PASSWORD, not in the URL") }
    let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    let hostPort = parts[0]
    database = parts.count > 1 ? String(parts[1]) : "default"
    if database.isEmpty { database = "default" }
    if let colon = hostPort.lastIndex(of: ":") {
      host = String(hostPort[..<colon])
      guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else { throw bad("the port is not a number from 1 to 65535") }
      port = p
    } else {
      host = String(hostPort)
      port = tls ? 8443 : 8123
    }
    guard !host.isEmpty else { throw bad("no host") }
    table = "otel_traces"
    for pair in query.split(separator: "&") {
      let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2, kv[0] == "table", !kv[1].isEmpty else { throw bad("unknown parameter '\(pair)' (only table=NAME)") }
      table = kv[1]
    }
    for (what, name) in [("database", database), ("table", table)] where !Self.isIdentifier(name) {
      throw bad("the \(what) name '\(name)' is not a plain identifier (letters, digits and _)")
    }
    user = environment["LLMSCOPE_CLICKHOUSE_USER"] ?? "default"
    password = environment["LLMSCOPE_CLICKHOUSE_PASSWORD"] ?? ""
  }

  static func isIdentifier(_ s: String) -> Bool {
    !s.isEmpty && s.unicodeScalars.allSatisfy { c in ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" }
  }

  /// The HTTP endpoint, without credentials.
  public var endpoint: String { "\(tls ? "https" : "http")://\(host):\(port)/" }

  /// `db.table`, quoted for SQL.
  var qualifiedTable: String { "`\(database)`.`\(table)`" }

  /// The store as messages name it: the URL with the user, never the password.
  public var description: String { "\(tls ? "clickhouses" : "clickhouse")://\(host):\(port)/\(database)?table=\(table) (user \(user))" }
}

/// A ClickHouse store that cannot be used, in the user's words.
public struct ClickHouseError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public var hint: String?
  /// ClickHouse's error code, when the server sent one.
  public var code: Int?

  public init(message: String, hint: String?, code: Int? = nil) {
    self.message = message
    self.hint = hint
    self.code = code
  }

  public var description: String { message + (hint.map { "\n  hint: \($0)" } ?? "") }
}
