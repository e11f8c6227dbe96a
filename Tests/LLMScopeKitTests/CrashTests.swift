import Foundation
import Testing

@testable import LLMScopeKit

/// `kill -9` in the middle of the work: the store and the site stay valid.
@Suite struct CrashTests {
  /// The llmscope binary that `swift build --build-tests` made beside the tests.
  static let binary: String = {
    let built = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("llmscope").path
    if FileManager.default.isExecutableFile(atPath: built) { return built }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent(".build/debug/llmscope").path
  }()

  /// Starts llmscope with `args`, kills it with SIGKILL after `seconds`; true if it was killed
  /// (not already done).
  static func killed(_ args: [String], after seconds: Double) throws -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    Thread.sleep(forTimeInterval: seconds)
    let running = p.isRunning
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    return running && p.terminationReason == .uncaughtSignal
  }

  /// JSON lines of `traces` traces of 20 spans each, every one distinct.
  static func synthetic(traces: Int, in folder: TemporaryFolder) -> String {
    var lines: [String] = []
    for t in 0..<traces {
      let trace = String(format: "%032x", t + 1)
      let attributes = [OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("m")), OTLPJSON.attr("gen_ai.usage.input_tokens", OTLPJSON.int(10))]
      let root = String(format: "%016x", t * 20 + 1)
      var spans: [String] = []
      for s in 0..<20 {
        let start: Int64 = 1_700_000_000_000_000_000 + Int64(t) * 1_000_000_000 + Int64(s) * 1_000_000
        let id = String(format: "%016x", t * 20 + s + 1)
        spans.append(OTLPJSON.span(trace: trace, id: id, parent: s == 0 ? "" : root, name: "chat \(s)", start: start, attributes: attributes))
      }
      lines.append(OTLPJSON.request(spans: spans))
    }
    return folder.write("spans.jsonl", lines.joined(separator: "\n") + "\n")
  }

  @Test("kill -9 during ingest leaves a valid store holding whole batches; ingesting the file again completes it",
        .enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the llmscope binary beside the tests"))
  func killDuringIngest() throws {
    let folder = TemporaryFolder()
    let input = Self.synthetic(traces: 3_000, in: folder)
    let store = folder.file("store.db")
    var killedOnce = false
    for delay in [0.4, 0.8, 1.6] where !killedOnce {
      try? FileManager.default.removeItem(atPath: store)
      killedOnce = try Self.killed(["ingest", "--quiet", "--batch-spans", "1000", "--store", store, input], after: delay)
    }
    #expect(killedOnce, "ingest finished before it could be killed")
    let partial = try SQLiteSpanStore(path: store, create: false, readOnly: true)
    let count = try partial.spanCount()
    #expect(count < 60_000 && count % 1_000 == 0, "\(count) spans: not whole batches")
    #expect(try partial.db.scalarInt("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'") == 0)
    // Again: everything is there, with the figures of an uninterrupted ingest.
    let again = CapturedRun(["ingest", "--quiet", "--store", store, input])
    #expect(again.status == 0, "\(again.err)")
    let (clean, _) = try ingestedStore([input], in: folder, name: "clean.db")
    let resumed = try SQLiteSpanStore(path: store, create: false, readOnly: true)
    #expect(try resumed.spanCount() == 60_000)
    #expect(SummaryJSON.encode(try resumed.summary()) == SummaryJSON.encode(try clean.summary()))
  }

  @Test("kill -9 during build leaves the previous site as it was; the next build clears what the killed one left",
        .enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the llmscope binary beside the tests"))
  func killDuringBuild() throws {
    let folder = TemporaryFolder()
    _ = try ingestedStore([Self.synthetic(traces: 1_500, in: folder)], in: folder)
    let store = folder.file("store.db")
    let site = folder.file("site")
    #expect(CapturedRun(["build", "--store", store, "--out", site, "--now", "2026-12-03T00:00:00Z", "--trace-pages", "slowest:5"]).status == 0)
    let before = try FileManager.default.contentsOfDirectory(atPath: site).sorted().map { ($0, FileManager.default.contents(atPath: site + "/" + $0)) }
    // Killed while it writes its pages: its temporary folder is left behind.
    func leftover() throws -> Bool { try FileManager.default.contentsOfDirectory(atPath: folder.path).contains { $0.hasPrefix(".site.tmp-") } }
    var killedWriting = false
    for delay in [0.3, 0.6, 1.0, 1.5, 2.5] where !killedWriting {
      killedWriting = try Self.killed(["build", "--store", store, "--out", site, "--now", "2027-01-01T00:00:00Z"], after: delay) && leftover()
    }
    #expect(killedWriting, "build was not killed while writing")
    let after = try FileManager.default.contentsOfDirectory(atPath: site).sorted().map { ($0, FileManager.default.contents(atPath: site + "/" + $0)) }
    #expect(after.map(\.0) == before.map(\.0) && zip(after, before).allSatisfy { $0.1 == $1.1 })
    #expect(CapturedRun(["build", "--store", store, "--out", site, "--now", "2026-12-03T00:00:00Z", "--trace-pages", "slowest:5"]).status == 0)
    #expect(try !FileManager.default.contentsOfDirectory(atPath: folder.path).contains { $0.hasPrefix(".site.") })
  }
}
