import Foundation
import Testing

@testable import LLMScopeKit

/// Files under Tests/LLMScopeKitTests/Fixtures, copied from shared/corpus so the suite runs
/// on a fresh clone.
enum Fixtures {
  static let root: URL = {
    if let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return url }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
  }()

  static func corpus(_ name: String) -> String { root.appendingPathComponent("corpus/\(name)").path }

  static let datasets = [
    "otel-openai-v2", "otel-openai-v2-legacy", "openinference-openai", "openinference-langchain",
    "openinference-langchain-plus-openai",
  ]

  /// The corpus's independently computed figures (expected.json), per dataset.
  nonisolated(unsafe) static let expected: [String: Any] = {
    let data = try! Data(contentsOf: URL(fileURLWithPath: corpus("expected.json")))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
  }()

  static func figures(_ dataset: String) -> [String: Any] {
    (expected[dataset] as! [String: Any])["figures"] as! [String: Any]
  }
}

/// A fresh temporary folder, removed when the value is released.
final class TemporaryFolder {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "llmscope-test-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }

  func file(_ name: String) -> String { path + "/" + name }

  @discardableResult
  func write(_ name: String, _ text: String) -> String {
    let p = file(name)
    try! text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
  }

  @discardableResult
  func write(_ name: String, bytes: [UInt8]) -> String {
    let p = file(name)
    _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
    return p
  }
}

/// Runs the CLI in-process and captures what it prints.
final class CapturedRun: @unchecked Sendable {
  private let lock = NSLock()
  private var outText = ""
  private var errText = ""
  private(set) var status: Int32 = -1

  init(_ args: [String]) {
    let console = Console(
      out: { [unowned self] s in lock.withLock { outText += s } },
      err: { [unowned self] s in lock.withLock { errText += s } }, showsProgress: false)
    status = CommandLineTool.run(args, console: console)
  }

  var out: String { lock.withLock { outText } }
  var err: String { lock.withLock { errText } }
}

/// Ingests `inputs` into a new store in `folder` and returns it.
func ingestedStore(_ inputs: [String], in folder: TemporaryFolder, name: String = "store.db") throws -> (SQLiteSpanStore, IngestReport) {
  let store = try SQLiteSpanStore(path: folder.file(name), create: true)
  let report = try Ingestor(store: store).ingest(inputs)
  return (store, report)
}

/// Minimal OTLP/JSON builders for hand-made cases.
enum OTLPJSON {
  static func attr(_ key: String, _ value: String) -> String { "{\"key\":\"\(key)\",\"value\":\(value)}" }
  static func str(_ s: String) -> String { "{\"stringValue\":\"\(s)\"}" }
  static func int(_ i: Int) -> String { "{\"intValue\":\"\(i)\"}" }

  static func span(
    trace: String = "0123456789abcdef0123456789abcdef", id: String, parent: String = "", name: String = "span",
    start: Int64 = 1_700_000_000_000_000_000, durationMs: Int64 = 100, attributes: [String] = [], extra: String = ""
  ) -> String {
    let end = start + durationMs * 1_000_000
    return """
      {"traceId":"\(trace)","spanId":"\(id)","parentSpanId":"\(parent)","name":"\(name)","kind":1,\
      "startTimeUnixNano":"\(start)","endTimeUnixNano":"\(end)","attributes":[\(attributes.joined(separator: ","))]\(extra)}
      """
  }

  static func request(spans: [String], resource: [String] = [attr("service.name", str("app"))], scope: String = "test.scope") -> String {
    """
    {"resourceSpans":[{"resource":{"attributes":[\(resource.joined(separator: ","))]},"scopeSpans":[{"scope":{"name":"\(scope)"},"spans":[\(spans.joined(separator: ","))]}]}]}
    """
  }
}
