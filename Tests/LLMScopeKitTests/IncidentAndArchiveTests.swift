import Foundation
import Testing

@testable import LLMScopeKit

/// Incident bundles (`incident`, `verify`) and the nightly archive (`build --archive`).
@Suite struct IncidentAndArchiveTests {
  /// SHA-256 by coreutils' sha256sum: independent of llmscope's own.
  static func sha256sum(_ path: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    p.arguments = [path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(String(decoding: out, as: UTF8.self).prefix(64))
  }

  static let trace = "0123456789abcdef0123456789abcdef"

  static func store(_ folder: TemporaryFolder) throws -> String {
    _ = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    return folder.file("store.db")
  }

  @Test("an incident bundle's manifest lists every file with the SHA-256 sha256sum computes, and verify checks them")
  func bundle() throws {
    let folder = TemporaryFolder()
    let store = try Self.store(folder)
    let s = try SQLiteSpanStore(path: store, create: false, readOnly: true)
    let bounds = try #require(try s.timeBounds())
    let ids = try s.traceIDs(in: bounds, selection: .errors)
    let (from, to) = (Timestamp.format(bounds.from, fractionDigits: 9), Timestamp.format(bounds.from + (bounds.to - bounds.from) / 2, fractionDigits: 9))
    let args = ["incident", "--store", store, "--from", from, "--to", to, "--trace", ids[0], "--trace", ids[1], "-o", folder.file("bundle"), "--now", "2026-12-03T00:00:00Z"]
    let run = CapturedRun(args)
    #expect(run.status == 0, "\(run.err)")
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("bundle/manifest.json")))) as! [String: Any]
    #expect(manifest["command_line"] as! [String] == ["llmscope"] + args)
    #expect((manifest["store"] as! [String: Any])["spans"] as! Int == 244)
    let window = manifest["window"] as! [String: String]
    #expect(Timestamp.parse(window["from"]!) == bounds.from && Timestamp.parse(window["to"]!) == Timestamp.parse(to))
    let inputs = manifest["inputs"] as! [String: Int]
    let summary = try s.summary(in: TimeRange(from: bounds.from, to: Timestamp.parse(to)!))
    #expect(inputs["spans"] == summary.totals.spans && inputs["llm_calls"] == summary.totals.llmCalls && inputs["model_errors"] == summary.totals.modelErrors)
    let traces = manifest["traces"] as! [[String: Any]]
    #expect(traces.map { $0["trace_id"] as! String } == ids.prefix(2).sorted())
    #expect(traces.allSatisfy { ($0["spans"] as! Int) == (try? s.storedSpans(traceID: $0["trace_id"] as! String).count) })
    // Every file but manifest.json itself is listed, with its size and SHA-256.
    let files = manifest["files"] as! [[String: Any]]
    let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.file("bundle")).filter { $0 != "manifest.json" && $0 != ".llmscope-site" }
    #expect(Set(files.map { $0["name"] as! String }) == Set(onDisk))
    #expect(onDisk.contains("manifest.html") && onDisk.contains("trace-\(ids[0]).html") && !onDisk.contains("trace-\(ids[2]).html"))
    for f in files {
      let path = folder.file("bundle/" + (f["name"] as! String))
      #expect(try Self.sha256sum(path) == f["sha256"] as! String, "\(path)")
      #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int == f["bytes"] as! Int)
    }
    #expect(CapturedRun(["verify", folder.file("bundle")]).status == 0)
    // The same command gives the same bundle, byte for byte.
    let first = try Data(contentsOf: URL(fileURLWithPath: folder.file("bundle/manifest.json")))
    #expect(CapturedRun(args).status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("bundle/manifest.json"))) == first)
    // A changed, a removed and an added file are each reported.
    let page = folder.file("bundle/models.html")
    try (String(contentsOfFile: page, encoding: .utf8).replacingOccurrences(of: "Models", with: "Modems")).write(toFile: page, atomically: true, encoding: .utf8)
    try FileManager.default.removeItem(atPath: folder.file("bundle/style.css"))
    folder.write("bundle/extra.html", "x")
    let verify = CapturedRun(["verify", folder.file("bundle")])
    #expect(verify.status == 1)
    #expect(verify.err.contains("models.html: SHA-256 differs from the manifest") && verify.err.contains("style.css: missing") && verify.err.contains("extra.html: not in the manifest"), "\(verify.err)")
  }

  @Test("incident refuses a missing window, a malformed id and a trace the store does not have")
  func incidentErrors() throws {
    let folder = TemporaryFolder()
    let store = try Self.store(folder)
    let noWindow = CapturedRun(["incident", "--store", store, "-o", folder.file("b")])
    #expect(noWindow.status == 2 && noWindow.err.contains("--from and --to"))
    let badID = CapturedRun(["incident", "--store", store, "--from", "2020-01-01", "--to", "2030-01-01", "--trace", "xyz", "-o", folder.file("b")])
    #expect(badID.status == 2 && badID.err.contains("'xyz' is not a trace id"))
    let missing = CapturedRun(["incident", "--store", store, "--from", "2020-01-01", "--to", "2030-01-01", "--trace", Self.trace, "-o", folder.file("b")])
    #expect(missing.status == 1 && missing.err.contains("no trace \(Self.trace) in \(store)"))
    let notABundle = CapturedRun(["verify", folder.path])
    #expect(notABundle.status == 1 && notABundle.err.contains("manifest.json: cannot be read"))
  }

  @Test("build --archive keeps each night in a dated folder and an index of every night with its figures")
  func archive() throws {
    let folder = TemporaryFolder()
    let store = try Self.store(folder)
    let s = try SQLiteSpanStore(path: store, create: false, readOnly: true)
    let bounds = try #require(try s.timeBounds())
    let archive = folder.file("archive")
    var expected: [String: Int] = [:]
    for (night, tenths) in [("2026-12-01", 6), ("2026-12-03", 9), ("2026-12-01", 3)] {
      let to = bounds.from + (bounds.to - bounds.from) / 10 * Int64(tenths)
      let r = CapturedRun([
        "build", "--store", store, "--archive", archive, "--now", "\(night)T05:00:00Z", "--trace-pages", "slowest:1",
        "--from", Timestamp.format(bounds.from, fractionDigits: 9), "--to", Timestamp.format(to, fractionDigits: 9),
      ])
      #expect(r.status == 0, "\(r.err)")
      expected[night] = try s.summary(in: TimeRange(from: bounds.from, to: to)).totals.llmCalls
    }
    let entries = try FileManager.default.contentsOfDirectory(atPath: archive).sorted()
    #expect(entries == ["2026-12-01", "2026-12-03", "index.html", "style.css"])
    let index = try String(contentsOfFile: archive + "/index.html", encoding: .utf8)
    // Newest first; the night built twice shows its second build.
    let first = try #require(index.range(of: "href=\"2026-12-03/index.html\""))
    let second = try #require(index.range(of: "href=\"2026-12-01/index.html\""))
    #expect(first.lowerBound < second.lowerBound)
    #expect(Set(expected.values).count == 2)
    for (night, calls) in expected {
      #expect(index.contains("data-night=\"\(night)\" data-figure=\"llm_calls\" data-value=\"\(calls)\""), "\(night)")
    }
    #expect(index.contains("<figure class=\"chart\"") && externalURLs(index).isEmpty && htmlProblems(index).isEmpty)
    #expect(FileManager.default.fileExists(atPath: archive + "/2026-12-03/summary.json"))
  }
}
