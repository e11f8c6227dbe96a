/// Short, stable, one-way labels for secrets such as the business-system `token`.
public enum Fingerprint {
  /// FNV-1a 64 of the UTF-8 bytes.
  static func fnv1a64(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }

  /// A 12-hex-digit label for `secret` (`bs-` prefixed), the same on every run and machine.
  /// The secret itself cannot be read back from it.
  public static func of(_ secret: String) -> String {
    // Hash twice with different salts so short tokens are not trivially tabled.
    let h = fnv1a64("llmscope/business-system/" + secret) ^ (fnv1a64(secret + "/llmscope") >> 7)
    let hex = Hex.encode(withUnsafeBytes(of: h.bigEndian) { Array($0) })
    return "bs-" + String(hex.prefix(12))
  }
}
