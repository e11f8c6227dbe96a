#if canImport(Glibc)
import Glibc
#endif

/// Whole small files (templates, price tables, manifests) read in one go.
enum FileBytes {
  /// The file's bytes; `nil` when it cannot be opened, with `errno` set.
  static func read(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&chunk, 1, chunk.count, f)
      if n <= 0 { break }
      bytes += chunk[0..<n]
    }
    return bytes
  }

  /// The file as UTF-8 text.
  static func text(_ path: String) -> String? { read(path).map { String(decoding: $0, as: UTF8.self) } }
}
