import Foundation

@testable import LLMScopeKit

#if canImport(Glibc)
import Glibc
#endif

/// The real ClickHouse engine (PyPI's chdb, installed by `make test` under .build/chdb) behind
/// Tests/ClickHouse/chdb_http.py, which answers ClickHouse's HTTP interface on a loopback port.
/// One server for the whole test run, stopped when the run ends (the server also ends itself
/// when its parent is gone); each test uses its own database.
final class ClickHouseServer: Sendable {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let python = ProcessInfo.processInfo.environment["LLMSCOPE_CHDB_PYTHON"] ?? root.appendingPathComponent(".build/chdb/bin/python").path
  static let user = "llmscope"
  static let password = "s3cret-pw"

  static var available: Bool { FileManager.default.isExecutableFile(atPath: python) }

  /// The shared server; `nil` when it could not start.
  static let shared: ClickHouseServer? = try? ClickHouseServer()

  let port: Int

  private init() throws {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("llmscope-chdb-\(UUID().uuidString)").path
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.python)
    p.arguments = [Self.root.appendingPathComponent("Tests/ClickHouse/chdb_http.py").path, "--data", data, "--user", Self.user, "--password", Self.password]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    p.standardInput = FileHandle.nullDevice
    try p.run()
    // The first line says the port.
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("listening on "), let port = Int(text.dropFirst(13).prefix { $0.isNumber }) else {
      p.terminate()
      throw ClickHouseError(message: "the chdb server did not start: \(text)", hint: nil)
    }
    self.port = port
    // The CLI reads the credentials from the environment.
    setenv("LLMSCOPE_CLICKHOUSE_USER", Self.user, 1)
    setenv("LLMSCOPE_CLICKHOUSE_PASSWORD", Self.password, 1)
    Self.started = p.processIdentifier
    atexit { if ClickHouseServer.started > 0 { kill(ClickHouseServer.started, SIGTERM) } }
  }

  /// The server's process, stopped when the test run exits.
  nonisolated(unsafe) static var started: Int32 = 0

  /// A store URL for a database of its own.
  func url(database: String = "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased(), table: String = "otel_traces") -> String {
    "clickhouse://127.0.0.1:\(port)/\(database)?table=\(table)"
  }
}
