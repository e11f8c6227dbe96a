import Foundation
import Testing

@testable import LLMScopeKit

/// Seeded mutation fuzzing of everything llmscope parses from others: OTLP/JSON, OTLP
/// protobuf and templates. Every mutant must decode or fail with an error, never crash, in
/// bounded time. Fixtures/fuzz-regressions holds the inputs that once failed (and hostile
/// hand-made ones); they run on every `make test`.
@Suite struct FuzzTests {
  /// Tokens that make parsers work hard: deep nesting, huge numbers, bad escapes, NaN.
  static let hostile: [[UInt8]] = [
    Array(String(repeating: "[", count: 5_000).utf8), Array(String(repeating: "{\"a\":", count: 3_000).utf8),
    Array("1e999999999".utf8), Array("-99999999999999999999999".utf8), Array("\"NaN\"".utf8), Array("\"\\ud800\"".utf8),
    Array("\"\\u00".utf8), [0xFF, 0xFE, 0xC0, 0x80], [0xED, 0xA0, 0x80], Array("{{ chart".utf8), Array("\\{{".utf8),
    // Protobuf: a length far past the data, a 10-byte varint, a bad wire type.
    [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], [0x0F],
  ]

  /// Mutants per run of the suite (more with LLMSCOPE_FUZZ_MUTANTS=N).
  static let mutantCount = Int(ProcessInfo.processInfo.environment["LLMSCOPE_FUZZ_MUTANTS"] ?? "") ?? 600

  static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var b = input
    for _ in 0...rng.below(4) {
      let at = rng.below(b.count + 1)
      switch rng.below(6) {
      case 0 where !b.isEmpty: b[min(at, b.count - 1)] ^= UInt8(1 << rng.below(8))  // flip a bit
      case 1: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)  // a random byte
      case 2: b = Array(b.prefix(at))  // truncate
      case 3 where !b.isEmpty:  // repeat a slice
        let from = rng.below(b.count)
        b.insert(contentsOf: b[from..<min(b.count, from + rng.below(64) + 1)], at: at)
      case 4: b.insert(contentsOf: hostile[rng.below(hostile.count)], at: at)
      case 5 where at < b.count: b.remove(at: at)  // drop a byte
      default: break
      }
    }
    return b
  }

  /// Decodes with every parser; returns how long it took. A crash ends the test process.
  static func parseAll(_ bytes: [UInt8]) -> Double {
    let start = Date()
    bytes.withUnsafeBufferPointer { buf in
      _ = try? OTLPJSONDecoder(location: InputLocation(file: "fuzz.json")).decode(buf, origin: 0)
      _ = try? OTLPProtobufDecoder(location: InputLocation(file: "fuzz.pb")).decode(buf, range: 0..<buf.count, origin: 0)
    }
    _ = try? TemplateParser.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.md")
    return Date().timeIntervalSince(start)
  }

  static func seeds() throws -> [[UInt8]] {
    let json = try String(contentsOfFile: Fixtures.corpus("otel-openai-v2.jsonl"), encoding: .utf8).split(separator: "\n").prefix(3)
    let pb = try FileManager.default.contents(atPath: Fixtures.corpus("otel-openai-v2-pb/traces-00001.pb")).map { [UInt8]($0) }
    let template = [UInt8](DefaultTemplates.all.first { $0.name == "index" }!.source)
    return json.map { Array($0.utf8) } + [try #require(pb), template]
  }

  @Test("mutants of corpus JSON, protobuf and templates decode or fail cleanly, each in bounded time")
  func mutants() throws {
    var rng = SplitMix64(seed: 20_261_203)
    let seeds = try Self.seeds()
    var slowest = 0.0
    for i in 0..<Self.mutantCount {
      let input = Self.mutate(seeds[i % seeds.count], &rng)
      slowest = max(slowest, Self.parseAll(input))
    }
    #expect(slowest < 2, "a mutant took \(slowest) s")
  }

  @Test("every input in the regression corpus decodes or fails cleanly")
  func regressions() throws {
    let dir = Fixtures.root.appendingPathComponent("fuzz-regressions").path
    let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
    #expect(!files.isEmpty)
    for f in files {
      let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + f))
      #expect(Self.parseAll([UInt8](bytes)) < 2, "\(f)")
    }
  }

  @Test("a protobuf length far past the data is an error, not an allocation")
  func hugeLength() {
    let bytes: [UInt8] = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x0A]
    let decoded = bytes.withUnsafeBufferPointer { buf in
      try? OTLPProtobufDecoder(location: InputLocation(file: "x.pb")).decode(buf, range: 0..<buf.count, origin: 0)
    }
    #expect(decoded == nil, "decoded a message whose length is past the data")
  }
}
