// swift-tools-version:6.0
// The benchmark that chose sagstal's event queue (issue 15, item 3): it records the queue
// operations of one replication and replays them on several queue designs. A separate package,
// not built by the main package's `swift build` or CI:
//
//   cd Benchmarks/EventQueue && swift build -c release && .build/release/event-queue-benchmark
//
// See docs/engine.md.
import PackageDescription

let package = Package(
    name: "EventQueueBenchmark",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "sagstal", path: "../.."),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .executableTarget(
            name: "event-queue-benchmark",
            dependencies: [
                .product(name: "SagstalEngine", package: "sagstal"),
                .product(name: "SagstalModel", package: "sagstal"),
                .product(name: "SagstalRunner", package: "sagstal"),
                .product(name: "SagstalScenario", package: "sagstal"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            // As SagstalEngine/SagstalModel are built: every variant (EventQueue included, whose
            // generic code is specialised here) is compiled with the same flags.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
    ],
    swiftLanguageModes: [.v6]
)
