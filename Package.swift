// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "llmscope",
  products: [
    .executable(name: "llmscope", targets: ["llmscope"]),
    .library(name: "LLMScopeKit", targets: ["LLMScopeKit"]),
  ],
  targets: [
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(
      name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .target(
      name: "LLMScopeKit",
      dependencies: ["CSQLite", "CCmarkGFM", "CZlib"],
      exclude: ["Assets", "DefaultTemplates"],
      resources: [
        .embedInCode("Assets/style.css"), .embedInCode("Assets/table.js"), .embedInCode("Assets/search.js"), .embedInCode("Assets/prices.json"), .embedInCode("DefaultTemplates/index.md"),
        .embedInCode("DefaultTemplates/app.md"), .embedInCode("DefaultTemplates/models.md"),
        .embedInCode("DefaultTemplates/tokens.md"), .embedInCode("DefaultTemplates/traces.md"),
        .embedInCode("DefaultTemplates/trace.md"), .embedInCode("DefaultTemplates/usage.md"),
        .embedInCode("DefaultTemplates/model.md"), .embedInCode("DefaultTemplates/business_system.md"),
      ]
    ),
    .executableTarget(name: "llmscope", dependencies: ["LLMScopeKit"]),
    .executableTarget(name: "llmscope-bench", dependencies: ["LLMScopeKit"], path: "Sources/Bench"),
    .testTarget(
      name: "LLMScopeKitTests",
      dependencies: ["LLMScopeKit"],
      resources: [.copy("Fixtures"), .copy("Golden")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
