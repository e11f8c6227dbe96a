#if canImport(Glibc)
import Glibc
#endif

/// Folder listings without Foundation.
enum Directory {
  /// The names in folder `path` (without `.` and `..`), in the order the system lists them;
  /// `nil` when it cannot be read.
  static func entries(_ path: String) -> [String]? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var names: [String] = []
    while let e = readdir(dir) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }
}
