// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "hpcgrade",
  platforms: [.macOS(.v13)],
  products: [
    // Static, so a standalone student file links it with plain `swiftc`.
    .library(name: "MPI", type: .static, targets: ["MPI"]),
    .executable(name: "hpcgrade", targets: ["hpcgrade"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CMPI",
      pkgConfig: "ompi-c",
      providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
    ),
    .target(name: "MPI", dependencies: ["CMPI"]),
    .target(
      name: "GraderCore",
      dependencies: [.product(name: "Yams", package: "Yams")]
    ),
    .executableTarget(
      name: "hpcgrade",
      dependencies: [
        "GraderCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(name: "TestSupport", dependencies: ["GraderCore"], path: "Tests/TestSupport"),
    .testTarget(name: "MPITests", dependencies: ["TestSupport"]),
    .testTarget(name: "GraderCoreTests", dependencies: ["GraderCore", "TestSupport"]),
    // End to end: the real CLI binary on real exercises.
    .testTarget(name: "hpcgradeTests", dependencies: ["hpcgrade", "TestSupport"]),
  ]
)
