// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: sagstal (CLI) → Runner → Model/Stats/Output/Optimise → Scenario/Engine/Random → CGSL.
// Only SagstalRandom imports the C module CGSL.
// The engine, the model and the random streams run single-threaded per replication and never
// overlap accesses to their state; dynamic exclusivity checks cost ~15 % of the run time there
// (callgrind), so they are off for these three targets only. Static checks remain.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "sagstal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sagstal", targets: ["sagstal"]),
        .library(name: "SagstalRunner", targets: ["SagstalRunner"]),
        // For Benchmarks/EventQueue (a separate package that replays the model's queue operations).
        .library(name: "SagstalEngine", targets: ["SagstalEngine"]),
        .library(name: "SagstalModel", targets: ["SagstalModel"]),
        .library(name: "SagstalScenario", targets: ["SagstalScenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]),
        .target(name: "SagstalRandom", dependencies: ["CGSL"], swiftSettings: hotPath),
        .target(name: "SagstalEngine", dependencies: [],
                swiftSettings: hotPath),
        .target(name: "SagstalScenario", dependencies: ["Yams"]),
        .target(name: "SagstalStats", dependencies: ["SagstalRandom"]),
        .target(name: "SagstalModel", dependencies: [
            "SagstalRandom", "SagstalEngine", "SagstalScenario", "SagstalStats",
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: hotPath),
        .target(name: "SagstalOutput", dependencies: ["SagstalStats", "SagstalScenario"]),
        // The ranking-and-selection procedure of `sagstal optimise`: statistics only, no simulation.
        .target(name: "SagstalOptimise", dependencies: ["SagstalStats"]),
        .target(name: "SagstalReport", dependencies: ["SagstalStats", "SagstalOutput", "SagstalScenario", "SagstalOptimise"]),
        .target(name: "SagstalRunner", dependencies: [
            "SagstalModel", "SagstalStats", "SagstalOutput", "SagstalScenario", "SagstalRandom", "SagstalReport",
            "SagstalOptimise", .product(name: "CSV", package: "CSV.swift"),
        ]),
        .target(name: "SagstalSensitivity", dependencies: [
            "SagstalRandom", "SagstalStats", "SagstalScenario", "SagstalModel", "SagstalRunner", "SagstalReport", "SagstalOutput",
        ]),
        .target(name: "SagstalFit", dependencies: [
            "SagstalRandom", "SagstalStats", "SagstalScenario", "SagstalOutput", "SagstalReport", .product(name: "CSV", package: "CSV.swift"),
        ]),
        .target(name: "SagstalCalibrate", dependencies: [
            "SagstalRandom", "SagstalStats", "SagstalScenario", "SagstalModel", "SagstalRunner", "SagstalSensitivity", "SagstalReport",
            "SagstalOutput", .product(name: "CSV", package: "CSV.swift"),
        ]),
        .target(name: "SagstalTrace", dependencies: ["SagstalModel", "SagstalStats", "SagstalScenario", "SagstalOutput", "SagstalRunner"]),
        .target(name: "SagstalThreshold", dependencies: [
            "SagstalRandom", "SagstalStats", "SagstalScenario", "SagstalModel", "SagstalRunner", "SagstalReport", "SagstalOutput",
        ]),
        .executableTarget(name: "sagstal", dependencies: [
            "SagstalRunner", "SagstalScenario", "SagstalReport", "SagstalModel", "SagstalSensitivity", "SagstalThreshold", "SagstalOptimise", "SagstalFit", "SagstalTrace", "SagstalCalibrate",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "SagstalRandomTests", dependencies: ["SagstalRandom"]),
        .testTarget(name: "SagstalEngineTests", dependencies: ["SagstalEngine"]),
        .testTarget(name: "SagstalScenarioTests", dependencies: ["SagstalScenario"]),
        .testTarget(name: "SagstalStatsTests", dependencies: ["SagstalStats"]),
        .testTarget(name: "SagstalSensitivityTests", dependencies: ["SagstalSensitivity", "SagstalRandom", "SagstalRunner", "SagstalScenario"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SagstalOptimiseTests", dependencies: ["SagstalOptimise", "SagstalRandom", "SagstalStats"]),
        .testTarget(name: "SagstalOutputTests", dependencies: ["SagstalOutput", "SagstalStats", "SagstalScenario"]),
        .testTarget(name: "SagstalModelTests", dependencies: ["SagstalModel", "SagstalScenario", "SagstalRandom"]),
        .testTarget(name: "SagstalCalibrateTests", dependencies: ["SagstalCalibrate", "SagstalModel", "SagstalRunner", "SagstalScenario", "SagstalStats"]),
        .testTarget(name: "SagstalTraceTests", dependencies: ["SagstalTrace", "SagstalModel", "SagstalRunner", "SagstalScenario", "SagstalStats", "SagstalOutput"]),
        .testTarget(name: "SagstalRunnerTests", dependencies: ["SagstalRunner", "SagstalModel", "SagstalScenario", "SagstalStats", "SagstalRandom", "SagstalOptimise"]),
        .testTarget(name: "SagstalReportTests", dependencies: ["SagstalReport", "SagstalStats", "SagstalOutput", "SagstalScenario", "SagstalOptimise"]),
        .testTarget(name: "SagstalCLITests", dependencies: ["sagstal"]),
        .testTarget(name: "SagstalFitTests", dependencies: ["SagstalTrace", "SagstalFit", "SagstalRunner", "SagstalScenario", "SagstalRandom", "SagstalModel"], exclude: ["Fixtures"]),
        .testTarget(name: "SagstalThresholdTests", dependencies: ["SagstalThreshold", "SagstalRunner", "SagstalScenario", "SagstalRandom"]),
    ],
    swiftLanguageModes: [.v6]
)
