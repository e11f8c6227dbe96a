/// What the application list shows of an app beyond its figures.
public struct AppDetails: Sendable, Equatable {
  /// Resource attributes other than the well-known ones, as `key=value`, sorted.
  public var tags: [String] = []
  /// End of the app's last span in the range, nanoseconds since the Unix epoch.
  public var lastSeen: Int64 = 0
  /// LLM calls per time bucket of the range, for a sparkline.
  public var trend: [Double] = []

  /// Resource attributes that are not shown as tags: identity, SDK and process details, and
  /// the secret business-system token.
  static let wellKnownKeys: Set<String> = [
    "service.name", "service.instance.id", "service.instance", "host.name", "ip", "token", "telemetry.sdk.name",
    "telemetry.sdk.language", "telemetry.sdk.version", "telemetry.auto.version", "telemetry.distro.name", "telemetry.distro.version",
  ]
  static let wellKnownPrefixes = ["process.", "os.", "host.", "container.", "k8s.", "telemetry."]

  static func isTag(_ key: String) -> Bool {
    !wellKnownKeys.contains(key) && !wellKnownPrefixes.contains { key.hasPrefix($0) } && !SecretAttributes.isSecret(key)
  }
}

/// Attribute keys that carry secrets and are never written in full.
enum SecretAttributes {
  /// Words that mark an attribute key as secret-bearing, wherever they stand in it.
  private static let words = ["authorization", "api_key", "apikey", "api-key", "password", "secret", "access_token", "cookie"]

  static func isSecret(_ key: String) -> Bool {
    let k = key.lowercased()
    return k == "token" || k.hasSuffix(".token") || words.contains { k.containsBytes($0) }
  }
}
